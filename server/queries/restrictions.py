"""Mutes and bans in a space, account suspensions, and what slow mode needs to know."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor, build

RESTRICTION_VIEW = """
    SELECT r.space_id, r.user_id, r.kind, r.until, r.reason, r.note, r.created_by, r.created_at
    FROM space_restrictions r
"""
# A restriction whose time has passed no longer applies; it stays until replaced or lifted.
ACTIVE = "(r.until IS NULL OR r.until > now())"


@dataclass(frozen=True, slots=True)
class RestrictionRow:
    space_id: int
    user_id: int
    kind: str
    until: datetime | None
    reason: str
    note: str
    created_by: int | None
    created_at: datetime


async def get_active_restriction(db: Executor, space_id: int, user_id: int) -> RestrictionRow | None:
    return build(
        RestrictionRow,
        await db.fetchrow(
            RESTRICTION_VIEW + f" WHERE r.space_id = $1 AND r.user_id = $2 AND {ACTIVE}", space_id, user_id
        ),
    )


async def list_active_restrictions(db: Executor, space_id: int) -> list[RestrictionRow]:
    rows = await db.fetch(
        RESTRICTION_VIEW + f" WHERE r.space_id = $1 AND {ACTIVE} ORDER BY r.created_at, r.user_id", space_id
    )
    return [RestrictionRow(**dict(r)) for r in rows]


async def upsert_restriction(
    db: Executor,
    *,
    space_id: int,
    user_id: int,
    kind: str,
    until: datetime | None,
    reason: str,
    note: str,
    created_by: int | None,
) -> RestrictionRow:
    record = await db.fetchrow(
        """INSERT INTO space_restrictions (space_id, user_id, kind, until, reason, note, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (space_id, user_id) DO UPDATE SET
               kind = EXCLUDED.kind, until = EXCLUDED.until, reason = EXCLUDED.reason,
               note = EXCLUDED.note, created_by = EXCLUDED.created_by, created_at = now()
           RETURNING space_id, user_id, kind, until, reason, note, created_by, created_at""",
        space_id,
        user_id,
        kind,
        until,
        reason,
        note,
        created_by,
    )
    return RestrictionRow(**dict(record))


async def delete_restriction(db: Executor, space_id: int, user_id: int) -> RestrictionRow | None:
    """Lift the person's restriction; the lifted one, or None when there was none in force."""
    return build(
        RestrictionRow,
        await db.fetchrow(
            f"""DELETE FROM space_restrictions r WHERE r.space_id = $1 AND r.user_id = $2 AND {ACTIVE}
                RETURNING r.space_id, r.user_id, r.kind, r.until, r.reason, r.note, r.created_by,
                          r.created_at""",
            space_id,
            user_id,
        ),
    )


@dataclass(frozen=True, slots=True)
class SuspensionRow:
    user_id: int
    reason: str
    note: str
    created_by: int | None
    created_at: datetime


async def is_suspended(db: Executor, user_id: int) -> bool:
    found = await db.fetchval("SELECT 1 FROM account_suspensions WHERE user_id = $1", user_id)
    return found is not None


async def list_suspended(db: Executor, user_ids: list[int]) -> set[int]:
    rows = await db.fetch(
        "SELECT user_id FROM account_suspensions WHERE user_id = ANY($1::bigint[])", user_ids
    )
    return {r["user_id"] for r in rows}


async def upsert_suspension(
    db: Executor, user_id: int, reason: str, note: str, created_by: int | None
) -> SuspensionRow:
    record = await db.fetchrow(
        """INSERT INTO account_suspensions (user_id, reason, note, created_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id) DO UPDATE SET reason = EXCLUDED.reason, note = EXCLUDED.note,
               created_by = EXCLUDED.created_by, created_at = now()
           RETURNING user_id, reason, note, created_by, created_at""",
        user_id,
        reason,
        note,
        created_by,
    )
    return SuspensionRow(**dict(record))


async def delete_suspension(db: Executor, user_id: int) -> SuspensionRow | None:
    return build(
        SuspensionRow,
        await db.fetchrow(
            """DELETE FROM account_suspensions WHERE user_id = $1
               RETURNING user_id, reason, note, created_by, created_at""",
            user_id,
        ),
    )


async def delete_sessions_of(db: Executor, user_id: int) -> int:
    status = await db.execute("DELETE FROM sessions WHERE user_id = $1", user_id)
    return int(status.split()[-1])


async def get_last_comment_at(
    db: Executor, space_id: int, author_id: int, question_id: int | None
) -> datetime | None:
    """When the author last commented in the space (or on one question of it), deleted comments included."""
    at: datetime | None = await db.fetchval(
        """SELECT max(created_at) FROM comments
           WHERE author_id = $1 AND space_id = $2 AND ($3::bigint IS NULL OR question_id = $3)""",
        author_id,
        space_id,
        question_id,
    )
    return at
