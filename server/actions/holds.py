"""Holding one participant's comments for review, whatever the space's moderation mode."""

from server import errors
from server.access import roles
from server.access.identity import Viewer
from server.actions.audit import record_audit, record_moderators_event
from server.events import Event, payload
from server.queries import moderation as moderation_queries
from server.queries import spaces as space_queries
from server.queries import users as user_queries
from server.queries.moderation import HoldRow
from server.queries.users import UserRow
from server.running.services import Services
from server.schemas import common as common_schemas
from server.schemas.moderation import HoldBody, held_participant


async def hold_participant(
    services: Services, viewer: Viewer, slug: str, user_id: int, body: HoldBody
) -> tuple[HoldRow, Event]:
    """Hold (or change the reason for holding) a participant's comments in a space."""
    if body.reason == "other" and not body.note:
        raise errors.ReasonRequired("The reason `other` needs a note.")
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.moderated_space(conn, viewer, slug)
        user = await user_queries.get_user(conn, user_id)
        if user is None:
            raise errors.UserNotFound()
        if user.is_admin or await space_queries.is_moderator(conn, space.id, user.id):
            raise errors.UserIsModerator()
        space = await space_queries.lock_space(conn, space.id)
        assert viewer.user_id is not None
        row = await moderation_queries.upsert_hold(
            conn, space.id, user.id, reason=body.reason, note=body.note, held_by=viewer.user_id
        )
        audit = await record_audit(
            conn, space.id, viewer, "participant.hold", "user", user.id, reason=body.reason, note=body.note
        )
        event = await record_moderators_event(
            conn, space.id, "participant.held", payload(hold=held_participant(row)), audit
        )
    await services.publish(event)
    return row, event


async def lift_hold(services: Services, viewer: Viewer, slug: str, user_id: int) -> tuple[UserRow, Event]:
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.moderated_space(conn, viewer, slug)
        user = await user_queries.get_user(conn, user_id)
        if user is None:
            raise errors.UserNotFound()
        space = await space_queries.lock_space(conn, space.id)
        if not await moderation_queries.delete_hold(conn, space.id, user.id):
            raise errors.NotHeld()
        audit = await record_audit(conn, space.id, viewer, "participant.unhold", "user", user.id)
        event = await record_moderators_event(
            conn, space.id, "participant.hold_lifted", payload(user=common_schemas.user_summary(user)), audit
        )
    await services.publish(event)
    return user, event


async def list_held(services: Services, viewer: Viewer, slug: str) -> list[HoldRow]:
    space = await roles.moderated_space(services.pool, viewer, slug)
    return await moderation_queries.list_holds(services.pool, space.id)
