"""Spaces, their moderators and their invited participants."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from server.queries import Executor, build
from server.queries.users import UserRow

SPACE_COLUMNS = (
    "id, slug, title, intro, intro_html, languages, status, contact, disclaimer, posting, "
    "moderation, allow_participant_questions, opens_at, closes_at, created_at, event_seq, epoch"
    # Stewarding: the lock (who, why) and slow mode.
    ", locked_at, locked_by, (SELECT u.display_name FROM users u WHERE u.id = locked_by) AS locked_by_name"
    ", lock_reason, slow_mode_secs"
)
# Columns a PATCH may change; anything else is never interpolated into SQL.
EDITABLE_COLUMNS = frozenset(
    {
        "title",
        "intro",
        "intro_html",
        "languages",
        "status",
        "contact",
        "disclaimer",
        "posting",
        "moderation",
        "allow_participant_questions",
        "opens_at",
        "closes_at",
    }
)


@dataclass(frozen=True, slots=True)
class SpaceRow:
    id: int
    slug: str
    title: str
    intro: str
    intro_html: str
    languages: list[str]
    status: str
    contact: str
    disclaimer: str
    posting: str
    moderation: str
    allow_participant_questions: bool
    opens_at: datetime | None
    closes_at: datetime | None
    created_at: datetime
    event_seq: int
    epoch: str
    locked_at: datetime | None = None
    locked_by: int | None = None
    locked_by_name: str | None = None
    lock_reason: str | None = None
    slow_mode_secs: int | None = None


async def insert_space(db: Executor, slug: str, fields: dict[str, Any]) -> SpaceRow | None:
    """Insert a space; None when the slug is taken."""
    columns = sorted(fields)
    assert set(columns) <= EDITABLE_COLUMNS
    placeholders = ", ".join(f"${i + 2}" for i in range(len(columns)))
    record = await db.fetchrow(
        f"""INSERT INTO spaces (slug, {", ".join(columns)}) VALUES ($1, {placeholders})
            ON CONFLICT (slug) DO NOTHING RETURNING {SPACE_COLUMNS}""",
        slug,
        *(fields[c] for c in columns),
    )
    return build(SpaceRow, record)


async def update_space(db: Executor, space_id: int, fields: dict[str, Any]) -> SpaceRow:
    columns = sorted(fields)
    assert columns and set(columns) <= EDITABLE_COLUMNS
    assignments = ", ".join(f"{c} = ${i + 2}" for i, c in enumerate(columns))
    record = await db.fetchrow(
        f"UPDATE spaces SET {assignments} WHERE id = $1 RETURNING {SPACE_COLUMNS}",
        space_id,
        *(fields[c] for c in columns),
    )
    space = build(SpaceRow, record)
    assert space is not None
    return space


async def get_space_by_slug(db: Executor, slug: str) -> SpaceRow | None:
    record = await db.fetchrow(f"SELECT {SPACE_COLUMNS} FROM spaces WHERE slug = $1", slug)
    return build(SpaceRow, record)


async def get_space(db: Executor, space_id: int) -> SpaceRow | None:
    record = await db.fetchrow(f"SELECT {SPACE_COLUMNS} FROM spaces WHERE id = $1", space_id)
    return build(SpaceRow, record)


async def lock_space(db: Executor, space_id: int) -> SpaceRow:
    """Lock the space row for this transaction: writers to one space go one at a time."""
    record = await db.fetchrow(f"SELECT {SPACE_COLUMNS} FROM spaces WHERE id = $1 FOR UPDATE", space_id)
    space = build(SpaceRow, record)
    assert space is not None
    return space


async def list_spaces_visible(db: Executor, user_id: int | None, is_admin: bool) -> list[SpaceRow]:
    """Non-draft spaces, plus drafts for admins and for their own moderators; newest first."""
    rows = await db.fetch(
        f"""SELECT {SPACE_COLUMNS} FROM spaces s
            WHERE s.status <> 'draft' OR $2
               OR EXISTS (SELECT 1 FROM space_moderators m WHERE m.space_id = s.id AND m.user_id = $1)
            ORDER BY s.created_at DESC, s.id DESC""",
        user_id,
        is_admin,
    )
    return [SpaceRow(**dict(r)) for r in rows]


async def list_moderators(db: Executor, space_ids: list[int]) -> dict[int, list[UserRow]]:
    rows = await db.fetch(
        """SELECT m.space_id, u.id, u.email, u.password_hash, u.display_name, u.handle,
                  u.affiliation, u.language, u.is_admin, u.created_at, u.quoting
           FROM space_moderators m JOIN users u ON u.id = m.user_id
           WHERE m.space_id = ANY($1::bigint[]) ORDER BY m.added_at, u.id""",
        space_ids,
    )
    result: dict[int, list[UserRow]] = {space_id: [] for space_id in space_ids}
    for row in rows:
        values = dict(row)
        result[values.pop("space_id")].append(UserRow(**values))
    return result


async def is_moderator(db: Executor, space_id: int, user_id: int) -> bool:
    found = await db.fetchval(
        "SELECT 1 FROM space_moderators WHERE space_id = $1 AND user_id = $2", space_id, user_id
    )
    return found is not None


async def is_invited(db: Executor, space_id: int, user_id: int) -> bool:
    found = await db.fetchval(
        "SELECT 1 FROM space_participants WHERE space_id = $1 AND user_id = $2", space_id, user_id
    )
    return found is not None


# The two lists of a space's members: its moderators, and the participants it
# invited (an invitation-only space admits only those).
MemberTable = Literal["space_moderators", "space_participants"]


async def insert_member(db: Executor, table: MemberTable, space_id: int, user_id: int) -> bool:
    """Add a member; False when they already were one."""
    status = await db.execute(
        f"INSERT INTO {table} (space_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", space_id, user_id
    )
    return bool(status.endswith(" 1"))


async def delete_member(db: Executor, table: MemberTable, space_id: int, user_id: int) -> bool:
    """Remove a member; False when they were not one."""
    status = await db.execute(f"DELETE FROM {table} WHERE space_id = $1 AND user_id = $2", space_id, user_id)
    return bool(status.endswith(" 1"))
