"""The append-only audit log of moderation actions."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from server.queries import Executor

# With the words a moderator knows a target by: a comment's text and author, a
# question's title, a person's name (read now: a later edit shows the later words).
AUDIT_COLUMNS = """a.id, a.space_id, a.actor_id, u.display_name AS actor_name, a.action,
    a.target_type, a.target_id, a.reason, a.note, a.details, a.at,
    CASE a.target_type
        WHEN 'comment' THEN (SELECT nullif(c.body, '') FROM comments c WHERE c.id = a.target_id)
        WHEN 'question' THEN (SELECT nullif(q.title, '') FROM questions q WHERE q.id = a.target_id)
        WHEN 'user' THEN (SELECT t.display_name FROM users t WHERE t.id = a.target_id)
    END AS target_text,
    CASE a.target_type
        WHEN 'comment' THEN (SELECT w.display_name FROM comments c JOIN users w ON w.id = c.author_id
                             WHERE c.id = a.target_id)
    END AS target_author"""


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    space_id: int | None
    actor_id: int | None
    actor_name: str | None
    action: str
    target_type: str
    target_id: int | None
    reason: str | None
    note: str
    details: dict[str, Any]
    at: datetime
    target_text: str | None = None
    target_author: str | None = None


async def insert_audit(
    db: Executor,
    *,
    space_id: int | None,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: int | None,
    reason: str | None,
    note: str,
    details: dict[str, Any],
) -> AuditRow:
    record = await db.fetchrow(
        f"""WITH a AS (
                INSERT INTO audit_log
                    (space_id, actor_id, action, target_type, target_id, reason, note, details)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                RETURNING *
            )
            SELECT {AUDIT_COLUMNS} FROM a LEFT JOIN users u ON u.id = a.actor_id""",
        space_id,
        actor_id,
        action,
        target_type,
        target_id,
        reason,
        note,
        details,
    )
    return AuditRow(**dict(record))


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries to read; None means any."""

    action: str | None = None
    actor_id: int | None = None
    target_type: str | None = None
    target_id: int | None = None
    reason: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def list_audit(
    db: Executor, space_id: int | None, where: AuditFilter, *, before_id: int | None, limit: int | None
) -> list[AuditRow]:
    """A space's entries (site-wide ones when `space_id` is None), newest first, before `before_id`."""
    # Spelled out for each case so that PostgreSQL can use the matching index.
    scope = "a.space_id = $1" if space_id is not None else "a.space_id IS NULL AND $1::bigint IS NULL"
    rows = await db.fetch(
        f"""SELECT {AUDIT_COLUMNS} FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
            WHERE {scope}
              AND ($2::text IS NULL OR a.action = $2)
              AND ($3::bigint IS NULL OR a.actor_id = $3)
              AND ($4::text IS NULL OR a.target_type = $4)
              AND ($5::bigint IS NULL OR a.target_id = $5)
              AND ($6::timestamptz IS NULL OR a.at >= $6)
              AND ($7::timestamptz IS NULL OR a.at < $7)
              AND ($8::bigint IS NULL OR a.id < $8)
              AND ($10::text IS NULL OR a.reason = $10)
            ORDER BY a.id DESC
            LIMIT $9""",
        space_id,
        where.action,
        where.actor_id,
        where.target_type,
        where.target_id,
        where.since,
        where.until,
        before_id,
        limit,
        where.reason,
    )
    return [AuditRow(**dict(r)) for r in rows]
