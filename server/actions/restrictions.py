"""Muting and banning participants in a space, and suspending accounts site-wide.

A muted or banned person keeps reading everything public, live streams
included (public content is public); they cannot post, reply, support, edit or
pose questions there. A mute usually has an end; a ban usually has none. One
restriction per person and space: a new one replaces the one in force. The
person is told live, by a personal payload, and sees it as `my_restriction`.

A suspended account cannot log in or post anywhere: its sessions end and its
live connections close. Suspension has no space, so its audit entry is
site-wide and it writes no event.
"""

from datetime import UTC, datetime, timedelta

from server import errors
from server.access import roles
from server.access.identity import Viewer
from server.actions.audit import audited, record_audit
from server.events import Event, payload, record_event
from server.live.revocation import close_user_connections
from server.queries import Executor
from server.queries import restrictions as restriction_queries
from server.queries import spaces as space_queries
from server.queries import users as user_queries
from server.queries.restrictions import RestrictionRow, SuspensionRow
from server.queries.spaces import SpaceRow
from server.queries.users import UserRow
from server.running.services import Services
from server.schemas.participants import RestrictionCreate, SuspensionCreate, restriction, restriction_of


async def _is_steward(db: Executor, space: SpaceRow, user: UserRow) -> bool:
    return user.is_admin or await space_queries.is_moderator(db, space.id, user.id)


async def restrict(
    services: Services, viewer: Viewer, slug: str, body: RestrictionCreate
) -> tuple[RestrictionRow, UserRow, Event]:
    """Mute or ban a person in the space (replacing a restriction in force)."""
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        user = await user_queries.get_user(conn, body.user_id)
        if user is None:
            raise errors.UserNotFound()
        if await _is_steward(conn, space, user):
            raise errors.CannotRestrictSteward()
        until = datetime.now(UTC) + timedelta(seconds=body.duration_secs) if body.duration_secs else None
        previous = await restriction_queries.get_active_restriction(conn, space.id, user.id)
        row = await restriction_queries.upsert_restriction(
            conn,
            space_id=space.id,
            user_id=user.id,
            kind=body.kind,
            until=until,
            reason=body.reason,
            note=body.note,
            created_by=viewer.user_id,
        )
        entry = await record_audit(
            conn,
            space.id,
            viewer,
            "participant.mute" if body.kind == "muted" else "participant.ban",
            "user",
            user.id,
            reason=body.reason,
            note=body.note,
            details={
                "until": until.isoformat() if until else None,
                "duration_secs": body.duration_secs,
                "replaces": previous.kind if previous else None,
            },
        )
        moderators = audited(payload(restriction=restriction(row, space.slug, user)), entry)
        event = await record_event(
            conn,
            space.id,
            "participant.muted" if body.kind == "muted" else "participant.banned",
            public=None,
            moderators=moderators,
            recipient_id=user.id,
            personal=payload(my_restriction=restriction_of(row)),
        )
    await services.publish(event)
    return row, user, event


async def lift_restriction(
    services: Services, viewer: Viewer, slug: str, user_id: int
) -> tuple[RestrictionRow, UserRow, Event]:
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        user = await user_queries.get_user(conn, user_id)
        if user is None:
            raise errors.UserNotFound()
        row = await restriction_queries.delete_restriction(conn, space.id, user.id)
        if row is None:
            raise errors.RestrictionNotFound()
        entry = await record_audit(
            conn,
            space.id,
            viewer,
            "participant.unmute" if row.kind == "muted" else "participant.unban",
            "user",
            user.id,
            details={"was": row.kind, "until": row.until.isoformat() if row.until else None},
        )
        event = await record_event(
            conn,
            space.id,
            "participant.unmuted" if row.kind == "muted" else "participant.unbanned",
            public=None,
            moderators=audited(payload(restriction=restriction(row, space.slug, user)), entry),
            recipient_id=user.id,
            personal={"my_restriction": None},
        )
    await services.publish(event)
    return row, user, event


async def list_restrictions(
    services: Services, viewer: Viewer, slug: str
) -> tuple[SpaceRow, list[tuple[RestrictionRow, UserRow]]]:
    space = await roles.moderated_space(services.pool, viewer, slug)
    rows = await restriction_queries.list_active_restrictions(services.pool, space.id)
    result = []
    for row in rows:
        user = await user_queries.get_user(services.pool, row.user_id)
        assert user is not None
        result.append((row, user))
    return space, result


async def suspend_account(
    services: Services, viewer: Viewer, user_id: int, body: SuspensionCreate
) -> tuple[SuspensionRow, UserRow, int]:
    """Suspend the account: its sessions end, logins and posts are refused, live connections close."""
    roles.require_admin(viewer)
    async with services.pool.acquire() as conn, conn.transaction():
        user = await user_queries.get_user(conn, user_id)
        if user is None:
            raise errors.UserNotFound()
        if user.is_admin:
            raise errors.CannotRestrictSteward("An admin cannot be suspended; remove their admin role first.")
        row = await restriction_queries.upsert_suspension(
            conn, user.id, body.reason, body.note, viewer.user_id
        )
        revoked = await restriction_queries.delete_sessions_of(conn, user.id)
        await record_audit(
            conn,
            None,
            viewer,
            "account.suspend",
            "user",
            user.id,
            reason=body.reason,
            note=body.note,
            details={"sessions_revoked": revoked},
        )
    close_user_connections(services, user.id)
    return row, user, revoked


async def unsuspend_account(
    services: Services, viewer: Viewer, user_id: int
) -> tuple[SuspensionRow, UserRow]:
    roles.require_admin(viewer)
    async with services.pool.acquire() as conn, conn.transaction():
        user = await user_queries.get_user(conn, user_id)
        if user is None:
            raise errors.UserNotFound()
        row = await restriction_queries.delete_suspension(conn, user.id)
        if row is None:
            raise errors.RestrictionNotFound("This account is not suspended.")
        await record_audit(conn, None, viewer, "account.unsuspend", "user", user.id)
    return row, user
