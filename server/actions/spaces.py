"""Creating and changing spaces, and naming their moderators and participants."""

from dataclasses import replace
from typing import Any

from server import errors
from server.access import roles
from server.access.identity import Viewer
from server.actions.audit import record_audit
from server.actions.invitations import participant_event
from server.events import Event, payload, record_event
from server.queries import Executor
from server.queries import spaces as space_queries
from server.queries import users as user_queries
from server.queries.spaces import MemberTable, SpaceRow
from server.queries.users import UserRow
from server.render import render_document
from server.running.services import Services
from server.schemas import common as common_schemas
from server.schemas import spaces as space_schemas
from server.schemas.audit import AuditEntry
from server.schemas.spaces import Space, SpaceCreate, SpacePatch


async def public_space(db: Executor, row: SpaceRow) -> Space:
    """The space as the public sees it (for event payloads)."""
    moderators = (await space_queries.list_moderators(db, [row.id]))[row.id]
    return space_schemas.space(row, moderators, "anonymous", roles.accepting_input(row))


async def _space_event(
    db: Executor, row: SpaceRow, type_: str, audit: AuditEntry | None = None, **extra: Any
) -> Event:
    """Record the event; `row` is read under the space's lock, so its seq is the one before."""
    # The payload shows the space as of this event, carrying the seq being taken.
    row = replace(row, event_seq=row.event_seq + 1)
    data = payload(space=await public_space(db, row)) | extra
    moderators = data | ({"audit": audit.model_dump(mode="json")} if audit else {})
    # A draft space is invisible to the public, and so are its events.
    event = await record_event(
        db, row.id, type_, public=None if row.status == "draft" else data, moderators=moderators
    )
    assert event.seq == row.event_seq
    return event


def _columns(fields: dict[str, Any]) -> dict[str, Any]:
    if "intro" in fields:
        fields["intro_html"] = render_document(fields["intro"])
    return fields


async def create_space(services: Services, viewer: Viewer, body: SpaceCreate) -> tuple[SpaceRow, Event]:
    roles.require_admin(viewer)
    fields = _columns(body.model_dump(exclude={"slug"}))
    async with services.pool.acquire() as conn, conn.transaction():
        row = await space_queries.insert_space(conn, body.slug, fields)
        if row is None:
            raise errors.SlugTaken()
        event = await _space_event(conn, row, "space.created")
    await services.publish(event)
    return replace(row, event_seq=event.seq), event


async def update_space(
    services: Services, viewer: Viewer, slug: str, body: SpacePatch
) -> tuple[SpaceRow, Event | None]:
    # SpacePatch refuses null wherever it cannot clear, so `intro` here is text.
    fields = _columns(body.model_dump(include=body.model_fields_set))
    async with services.pool.acquire() as conn, conn.transaction():
        space, role = await roles.visible_space(conn, viewer, slug)
        roles.require_steward(role)
        space = await space_queries.lock_space(conn, space.id)
        opens_at = fields.get("opens_at", space.opens_at)
        closes_at = fields.get("closes_at", space.closes_at)
        if opens_at and closes_at and closes_at <= opens_at:
            raise errors.InvalidBody("closes_at must be after opens_at.")
        if not fields:
            return space, None
        was_draft = space.status == "draft"
        row = await space_queries.update_space(conn, space.id, fields)
        # Publishing a draft is the moment the public first sees the space.
        type_ = "space.opened" if was_draft and row.status != "draft" else "space.updated"
        audit = None
        if row.moderation != space.moderation:
            # Switching between pre- and post-moderation is a moderation action.
            audit = await record_audit(
                conn,
                space.id,
                viewer,
                "space.set_moderation",
                "space",
                space.id,
                details={"from": space.moderation, "to": row.moderation},
            )
        event = await _space_event(conn, row, type_, audit)
    await services.publish(event)
    return replace(row, event_seq=event.seq), event


async def change_membership(
    services: Services, viewer: Viewer, slug: str, user_id: int, *, moderators: bool, add: bool
) -> tuple[UserRow, Event | None]:
    """Name or remove a moderator (admins), or invite a participant or withdraw the invitation
    (the space's moderators); no event when the person already was, or was not, one."""
    async with services.pool.acquire() as conn, conn.transaction():
        space, role = await roles.visible_space(conn, viewer, slug)
        if moderators:
            roles.require_admin(viewer)
        else:
            roles.require_steward(role)
        user = await user_queries.get_user(conn, user_id)
        if user is None:
            raise errors.UserNotFound()
        space = await space_queries.lock_space(conn, space.id)
        table: MemberTable = "space_moderators" if moderators else "space_participants"
        change = space_queries.insert_member if add else space_queries.delete_member
        if not await change(conn, table, space.id, user.id):
            return user, None
        if moderators:
            event = await _space_event(
                conn,
                space,
                "space.moderator_added" if add else "space.moderator_removed",
                user=common_schemas.user_summary(user).model_dump(mode="json"),
            )
        else:
            event = await participant_event(conn, space, viewer, user, invited=add)
    await services.publish(event)
    return user, event
