"""A comment's preview: the same Markdown rendering and sanitising as posting, nothing stored."""

from server.access.admission import USER
from server.api.call import Call
from server.api.declaring import ApiModule
from server.queries import users as user_queries
from server.render import find_mentions, render_comment
from server.schemas.comments import RenderBody, Rendered

api = ApiModule(tag="comments", auth=USER)


@api.post("/render")
async def render(call: Call, body: RenderBody) -> Rendered:
    # Only people who may write need a preview (the route is for users): it keeps
    # anonymous load off the renderer.
    """Preview a comment: its Markdown as the sanitised HTML it would get"""
    handles = sorted(find_mentions(body.body))
    users = await user_queries.list_users_by_handles(call.pool, handles) if handles else []
    return Rendered(html=render_comment(body.body, {u.handle.lower(): u.handle for u in users}))


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
