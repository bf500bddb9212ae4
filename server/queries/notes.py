"""Moderators' private notes on a comment or a person."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor, build

NOTE_VIEW = """
    SELECT n.id, n.space_id, n.target_type, n.target_id, n.author_id, u.display_name AS author_name,
           n.body, n.created_at
    FROM moderator_notes n JOIN users u ON u.id = n.author_id
"""


@dataclass(frozen=True, slots=True)
class NoteRow:
    id: int
    space_id: int
    target_type: str
    target_id: int
    author_id: int
    author_name: str
    body: str
    created_at: datetime


async def insert_note(
    db: Executor, space_id: int, target_type: str, target_id: int, author_id: int, body: str
) -> NoteRow:
    note_id = await db.fetchval(
        """INSERT INTO moderator_notes (space_id, target_type, target_id, author_id, body)
           VALUES ($1, $2, $3, $4, $5) RETURNING id""",
        space_id,
        target_type,
        target_id,
        author_id,
        body,
    )
    row = await get_note(db, space_id, note_id)
    assert row is not None
    return row


async def get_note(db: Executor, space_id: int, note_id: int) -> NoteRow | None:
    return build(
        NoteRow, await db.fetchrow(NOTE_VIEW + " WHERE n.space_id = $1 AND n.id = $2", space_id, note_id)
    )


async def list_notes(
    db: Executor, space_id: int, target_type: str | None, target_id: int | None
) -> list[NoteRow]:
    rows = await db.fetch(
        NOTE_VIEW
        + """ WHERE n.space_id = $1 AND ($2::text IS NULL OR n.target_type = $2)
                AND ($3::bigint IS NULL OR n.target_id = $3)
              ORDER BY n.id""",
        space_id,
        target_type,
        target_id,
    )
    return [NoteRow(**dict(r)) for r in rows]


async def delete_note(db: Executor, note_id: int) -> bool:
    status = await db.execute("DELETE FROM moderator_notes WHERE id = $1", note_id)
    return bool(status.endswith(" 1"))
