"""Insight endpoints: a space's statistics and its full-text search."""

from server import errors
from server.access import roles
from server.api.call import Call
from server.api.declaring import ApiModule
from server.insight import search as search_insight
from server.insight import statistics as statistics_insight
from server.schemas.insight import SearchPage, SearchQuery, Statistics

api = ApiModule(tag="insight", raises=(errors.SpaceNotFound,))


@api.get("/spaces/{slug}/statistics")
async def get_statistics(call: Call, _: None) -> Statistics:
    """Live statistics of a space (moderation outcomes for its moderators only)"""
    space, role = await call.visible_space()
    return await statistics_insight.read_space_statistics(
        call.pool, space.id, moderators=roles.is_steward(role)
    )


@api.get(
    "/spaces/{slug}/search",
    query=SearchQuery,
    raises=(errors.InvalidQuery, errors.InvalidCursor, errors.NotModerator),
)
async def search(call: Call, _: None) -> SearchPage:
    """Full-text search over a space's comments and questions"""
    # An unknown space is not found, whatever the query says.
    space, role = await call.visible_space()
    return await search_insight.search(
        call.pool, space.id, call.query(SearchQuery), moderators=roles.is_steward(role)
    )


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
