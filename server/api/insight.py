"""Insight endpoints: a space's statistics and its full-text search."""

from starlette.requests import Request

from server import errors
from server.access import roles
from server.api.declaring import ApiModule
from server.api.routing import parse_query, services, viewer
from server.insight import search as search_insight
from server.insight import statistics as statistics_insight
from server.schemas.insight import SearchPage, SearchQuery, Statistics

api = ApiModule(tag="insight", raises=(errors.SpaceNotFound,))


@api.get("/spaces/{slug}/statistics")
async def get_statistics(request: Request, _: None) -> Statistics:
    """Live statistics of a space (moderation outcomes for its moderators only)"""
    pool = services(request).pool
    space, role = await roles.visible_space(pool, await viewer(request), request.path_params["slug"])
    return await statistics_insight.read_space_statistics(pool, space.id, moderators=roles.is_steward(role))


@api.get(
    "/spaces/{slug}/search",
    query=SearchQuery,
    raises=(errors.InvalidQuery, errors.InvalidCursor, errors.NotModerator),
)
async def search(request: Request, _: None) -> SearchPage:
    """Full-text search over a space's comments and questions"""
    pool = services(request).pool
    # An unknown space is not found, whatever the query says.
    space, role = await roles.visible_space(pool, await viewer(request), request.path_params["slug"])
    query = parse_query(request, SearchQuery)
    return await search_insight.search(pool, space.id, query, moderators=roles.is_steward(role))


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
