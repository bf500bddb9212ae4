"""Rendering a comment's text with its @mentions resolved to the accounts they name."""

from server.queries import Executor
from server.queries import users as user_queries
from server.render import find_mentions, render_comment


async def render_with_mentions(db: Executor, body: str) -> tuple[str, list[int]]:
    """The sanitised HTML of `body`, and the ids of the users it mentions."""
    handles = sorted(find_mentions(body))
    users = await user_queries.list_users_by_handles(db, handles) if handles else []
    html = render_comment(body, {u.handle.lower(): u.handle for u in users})
    return html, [u.id for u in users]
