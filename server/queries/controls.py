"""A space's controls: its lock, its slow mode, and its announcements."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor, build
from server.queries.spaces import SPACE_COLUMNS, SpaceRow


async def set_lock(db: Executor, space_id: int, locked_by: int | None, reason: str | None) -> SpaceRow:
    """Lock (a user and a reason) or unlock (None, None) the space."""
    record = await db.fetchrow(
        f"""UPDATE spaces SET locked_at = CASE WHEN $3::text IS NULL THEN NULL ELSE now() END,
                              locked_by = $2, lock_reason = $3
            WHERE id = $1 RETURNING {SPACE_COLUMNS}""",
        space_id,
        locked_by,
        reason,
    )
    space = build(SpaceRow, record)
    assert space is not None
    return space


async def set_space_slow_mode(db: Executor, space_id: int, secs: int | None) -> SpaceRow:
    record = await db.fetchrow(
        f"UPDATE spaces SET slow_mode_secs = $2 WHERE id = $1 RETURNING {SPACE_COLUMNS}", space_id, secs
    )
    space = build(SpaceRow, record)
    assert space is not None
    return space


@dataclass(frozen=True, slots=True)
class AnnouncementRow:
    id: int
    space_id: int
    body: str
    body_html: str
    lang: str | None
    author_id: int
    author_name: str
    created_at: datetime
    dismissed_at: datetime | None


ANNOUNCEMENT_VIEW = """
    SELECT a.id, a.space_id, a.body, a.body_html, a.lang, a.author_id, u.display_name AS author_name,
           a.created_at, a.dismissed_at
    FROM announcements a JOIN users u ON u.id = a.author_id
"""


async def insert_announcement(
    db: Executor, space_id: int, body: str, body_html: str, lang: str | None, author_id: int
) -> AnnouncementRow:
    announcement_id = await db.fetchval(
        """INSERT INTO announcements (space_id, body, body_html, lang, author_id)
           VALUES ($1, $2, $3, $4, $5) RETURNING id""",
        space_id,
        body,
        body_html,
        lang,
        author_id,
    )
    row = await get_announcement(db, space_id, announcement_id)
    assert row is not None
    return row


async def get_announcement(db: Executor, space_id: int, announcement_id: int) -> AnnouncementRow | None:
    return build(
        AnnouncementRow,
        await db.fetchrow(
            ANNOUNCEMENT_VIEW + " WHERE a.space_id = $1 AND a.id = $2", space_id, announcement_id
        ),
    )


async def list_active_announcements(db: Executor, space_id: int) -> list[AnnouncementRow]:
    rows = await db.fetch(
        ANNOUNCEMENT_VIEW + " WHERE a.space_id = $1 AND a.dismissed_at IS NULL ORDER BY a.id", space_id
    )
    return [AnnouncementRow(**dict(r)) for r in rows]


async def dismiss_announcement(db: Executor, announcement_id: int, user_id: int) -> bool:
    """Dismiss it; False when it already was."""
    status = await db.execute(
        """UPDATE announcements SET dismissed_at = now(), dismissed_by = $2
           WHERE id = $1 AND dismissed_at IS NULL""",
        announcement_id,
        user_id,
    )
    return bool(status.endswith(" 1"))
