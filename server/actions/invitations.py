"""Inviting participants to an invitation-only space: by name, or with a link.

Moderators create links (a random token shown once, an optional expiry, an
optional number of uses, a label saying whom it was for), list and revoke
them. A signed-in person who opens a link becomes an invited participant.
Who is invited is the moderators' business: the events are for them, and
for the invitee (a personal payload), never public.
"""

from datetime import UTC, datetime

from server import errors
from server.access import roles
from server.access.guards import check_may_write
from server.access.identity import Viewer, new_token, token_hash
from server.actions.audit import audited, record_audit, record_moderators_event
from server.events import Event, record_event
from server.queries import Executor
from server.queries import invitations as invitation_queries
from server.queries import spaces as space_queries
from server.queries import users as user_queries
from server.queries.invitations import InvitationRow
from server.queries.spaces import SpaceRow
from server.queries.users import UserRow
from server.running.services import Services
from server.schemas import common as common_schemas
from server.schemas.participants import InvitationCreate, invitation


async def participant_event(
    db: Executor, space: SpaceRow, viewer: Viewer, user: UserRow, *, invited: bool, via: int | None = None
) -> Event:
    """Record that `user` was invited (`via` an invitation link) or uninvited, with its audit entry."""
    entry = await record_audit(
        db,
        space.id,
        viewer,
        "participant.invite" if invited else "participant.uninvite",
        "user",
        user.id,
        details={"invitation_id": via} if via is not None else None,
    )
    data = {
        "space": space.slug,
        "user": common_schemas.user_summary(user).model_dump(mode="json"),
        "invitation_id": via,
    }
    return await record_event(
        db,
        space.id,
        "participant.invited" if invited else "participant.uninvited",
        public=None,
        moderators=audited(data, entry),
        recipient_id=user.id,
        personal=data,
    )


async def create_invitation(
    services: Services, viewer: Viewer, slug: str, body: InvitationCreate
) -> tuple[InvitationRow, str, Event]:
    token = new_token()
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        if body.expires_at is not None and body.expires_at <= datetime.now(UTC):
            raise errors.InvalidBody("expires_at must be in the future.", details=[{"loc": ["expires_at"]}])
        assert viewer.user_id is not None
        row = await invitation_queries.insert_invitation(
            conn,
            space_id=space.id,
            token_hash=token_hash(token),
            label=body.label,
            expires_at=body.expires_at,
            max_uses=body.max_uses,
            created_by=viewer.user_id,
        )
        event = await _invitation_event(conn, space, viewer, row, "invitation.created", "invitation.create")
    await services.publish(event)
    return row, token, event


async def _invitation_event(
    db: Executor, space: SpaceRow, viewer: Viewer, row: InvitationRow, type_: str, action: str
) -> Event:
    entry = await record_audit(db, space.id, viewer, action, "invitation", row.id, note=row.label)
    data = {"invitation": invitation(row, space.slug).model_dump(mode="json")}
    return await record_moderators_event(db, space.id, type_, data, entry)


async def list_invitations(
    services: Services, viewer: Viewer, slug: str
) -> tuple[SpaceRow, list[InvitationRow]]:
    space = await roles.moderated_space(services.pool, viewer, slug)
    return space, await invitation_queries.list_invitations(services.pool, space.id)


async def revoke_invitation(
    services: Services, viewer: Viewer, slug: str, invitation_id: int
) -> tuple[InvitationRow, Event | None]:
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        row = await invitation_queries.get_invitation(conn, space.id, invitation_id)
        if row is None:
            raise errors.InvitationNotFound()
        revoked = await invitation_queries.revoke_invitation(conn, row.id)
        if revoked is None:
            return row, None
        event = await _invitation_event(
            conn, space, viewer, revoked, "invitation.revoked", "invitation.revoke"
        )
    await services.publish(event)
    return revoked, event


def _check_usable(row: InvitationRow, now: datetime) -> None:
    """Refuse a revoked or expired link, saying since when."""
    if row.revoked_at is not None:
        raise errors.InvitationRevoked(details={"revoked_at": row.revoked_at.isoformat()})
    if row.expires_at is not None and row.expires_at <= now:
        raise errors.InvitationExpired(details={"expires_at": row.expires_at.isoformat()})


async def preview_invitation(
    services: Services, viewer: Viewer, token: str
) -> tuple[SpaceRow, InvitationRow, bool]:
    """What a link leads to, for the page its invitee opens before joining: its space and
    whether the viewer is in already; refused as accepting it would be."""
    found = await invitation_queries.find_invitation(services.pool, token_hash(token))
    if found is None:
        raise errors.InvitationNotFound()
    space = await space_queries.get_space(services.pool, found.space_id)
    assert space is not None
    _check_usable(found, datetime.now(UTC))
    user_id = viewer.user_id
    joined = user_id is not None and await space_queries.is_invited(services.pool, space.id, user_id)
    if not joined and found.max_uses is not None and found.uses >= found.max_uses:
        raise errors.InvitationUsedUp(details={"max_uses": found.max_uses})
    return space, found, joined


async def accept_invitation(
    services: Services, viewer: Viewer, token: str
) -> tuple[SpaceRow, UserRow, Event | None]:
    """The signed-in viewer joins the link's space as an invited participant."""
    if viewer.user is None:
        raise errors.NotAuthenticated("Log in (or register) to accept an invitation.")
    found = await invitation_queries.find_invitation(services.pool, token_hash(token))
    if found is None:
        raise errors.InvitationNotFound()
    async with services.pool.acquire() as conn, conn.transaction():
        space = await space_queries.lock_space(conn, found.space_id)
        row = await invitation_queries.lock_invitation(conn, found.id)
        _check_usable(row, datetime.now(UTC))
        await check_may_write(conn, viewer, space)
        user = await user_queries.get_user(conn, viewer.user.id)
        assert user is not None
        if await space_queries.is_invited(conn, space.id, user.id):
            return space, user, None
        if row.max_uses is not None and row.uses >= row.max_uses:
            raise errors.InvitationUsedUp(details={"max_uses": row.max_uses})
        await space_queries.insert_member(conn, "space_participants", space.id, user.id)
        await invitation_queries.count_use(conn, row.id)
        event = await participant_event(conn, space, viewer, user, invited=True, via=row.id)
    await services.publish(event)
    return space, user, event
