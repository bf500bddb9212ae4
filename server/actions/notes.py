"""Moderators' private notes on a comment or a person, for each other.

Only the space's moderators (and admins) read them: their events have no
public payload, so participants and screens never receive them.
"""

from server import errors
from server.access import roles
from server.access.identity import Viewer
from server.actions.audit import record_audit, record_moderators_event
from server.events import Event, payload
from server.queries import comments as comment_queries
from server.queries import notes as note_queries
from server.queries import users as user_queries
from server.queries.notes import NoteRow
from server.running.services import Services
from server.schemas.participants import NoteCreate, note


async def create_note(
    services: Services, viewer: Viewer, slug: str, body: NoteCreate
) -> tuple[NoteRow, Event]:
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        if body.target_type == "comment":
            comment = await comment_queries.get_comment(conn, body.target_id, None)
            found = comment is not None and comment.space_id == space.id
        else:
            found = await user_queries.get_user(conn, body.target_id) is not None
        if not found:
            raise errors.NoteTargetNotFound()
        assert viewer.user_id is not None
        row = await note_queries.insert_note(
            conn, space.id, body.target_type, body.target_id, viewer.user_id, body.body
        )
        entry = await record_audit(
            conn,
            space.id,
            viewer,
            "note.create",
            "note",
            row.id,
            details={"target_type": row.target_type, "target_id": row.target_id},
        )
        event = await record_moderators_event(conn, space.id, "note.created", payload(note=note(row)), entry)
    await services.publish(event)
    return row, event


async def list_notes(
    services: Services, viewer: Viewer, slug: str, target_type: str | None, target_id: int | None
) -> list[NoteRow]:
    space = await roles.moderated_space(services.pool, viewer, slug)
    return await note_queries.list_notes(services.pool, space.id, target_type, target_id)


async def delete_note(services: Services, viewer: Viewer, slug: str, note_id: int) -> tuple[NoteRow, Event]:
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        row = await note_queries.get_note(conn, space.id, note_id)
        if row is None:
            raise errors.NoteNotFound()
        await note_queries.delete_note(conn, row.id)
        entry = await record_audit(
            conn,
            space.id,
            viewer,
            "note.delete",
            "note",
            row.id,
            details={"target_type": row.target_type, "target_id": row.target_id, "author_id": row.author_id},
        )
        event = await record_moderators_event(
            conn,
            space.id,
            "note.deleted",
            {"note": {"id": row.id, "target_type": row.target_type, "target_id": row.target_id}},
            entry,
        )
    await services.publish(event)
    return row, event
