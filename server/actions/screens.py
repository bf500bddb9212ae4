"""Screen tokens: moderators create, name, list and revoke them.

The token is shown once, at creation; only its SHA-256 is stored. Revoking
one closes the connections using it: at once on this process, and within the
scheduler's interval on every other one (server/live/revocation.py).
"""

from server import errors
from server.access import roles
from server.access.identity import Viewer, new_token, token_hash
from server.actions.audit import record_audit, record_moderators_event
from server.events import Event, payload
from server.live.revocation import close_screen_connections
from server.queries import Executor
from server.queries import screens as screen_queries
from server.queries.screens import ScreenRow
from server.queries.spaces import SpaceRow
from server.running.services import Services
from server.schemas.screens import ScreenCreate, screen


async def _screen_event(
    db: Executor, space: SpaceRow, viewer: Viewer, row: ScreenRow, type_: str, action: str
) -> Event:
    entry = await record_audit(db, space.id, viewer, action, "screen", row.id, note=row.name)
    return await record_moderators_event(db, space.id, type_, payload(screen=screen(row, space.slug)), entry)


async def create_screen(
    services: Services, viewer: Viewer, slug: str, body: ScreenCreate
) -> tuple[ScreenRow, str, Event]:
    token = new_token()
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        assert viewer.user_id is not None
        row = await screen_queries.insert_screen(conn, space.id, token_hash(token), body.name, viewer.user_id)
        event = await _screen_event(conn, space, viewer, row, "screen.created", "screen.create")
    await services.publish(event)
    return row, token, event


async def list_screens(services: Services, viewer: Viewer, slug: str) -> tuple[SpaceRow, list[ScreenRow]]:
    space = await roles.moderated_space(services.pool, viewer, slug)
    return space, await screen_queries.list_screens(services.pool, space.id)


async def revoke_screen(
    services: Services, viewer: Viewer, slug: str, screen_id: int
) -> tuple[ScreenRow, Event | None]:
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        row = await screen_queries.get_screen(conn, space.id, screen_id)
        if row is None:
            raise errors.ScreenNotFound()
        revoked = await screen_queries.revoke_screen(conn, row.id)
        if revoked is None:
            return row, None
        event = await _screen_event(conn, space, viewer, revoked, "screen.revoked", "screen.revoke")
    await services.publish(event)
    close_screen_connections(services, revoked.id)
    return revoked, event
