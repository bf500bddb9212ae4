"""Moderation of comments: decisions on the comment row, claims, held participants
and the moderators' queues (participants' flags: server/queries/flags.py)."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor, build
from server.queries.comments import COMMENT_VIEW, CommentRow
from server.queries.statistics import COMMENT_LANGUAGE

# ---- Decisions on the comment row -------------------------------------------


async def set_comment_status(
    db: Executor, comment_id: int, status: str, *, removed_by: str | None, reason: str | None
) -> None:
    """Change the status; a removal (hidden, rejected) records who and why, and unpins."""
    await db.execute(
        """UPDATE comments SET status = $2, removed_by = $3, removal_reason = $4,
                  removed_at = CASE WHEN $3::text IS NULL THEN NULL ELSE now() END,
                  pinned_at = CASE WHEN $3::text IS NULL THEN pinned_at END
           WHERE id = $1""",
        comment_id,
        status,
        removed_by,
        reason,
    )


async def set_pinned(db: Executor, comment_id: int, pinned: bool) -> None:
    await db.execute(
        "UPDATE comments SET pinned_at = CASE WHEN $2 THEN now() END WHERE id = $1", comment_id, pinned
    )


async def set_moderator_answer(db: Executor, comment_id: int, answer: bool) -> None:
    await db.execute("UPDATE comments SET moderator_answer = $2 WHERE id = $1", comment_id, answer)


async def update_body_by_moderator(
    db: Executor, comment_id: int, lang: str, body: str, body_html: str
) -> None:
    await db.execute(
        """UPDATE comments SET lang = $2, body = $3, body_html = $4, edited_at = now(),
                  edited_by_moderator = true
           WHERE id = $1""",
        comment_id,
        lang,
        body,
        body_html,
    )


# ---- Claims ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimRow:
    comment_id: int
    moderator_id: int
    moderator_name: str
    moderator_handle: str
    moderator_affiliation: str | None
    claimed_at: datetime
    expires_at: datetime
    active: bool


CLAIM_VIEW = """
    SELECT k.comment_id, k.moderator_id, u.display_name AS moderator_name, u.handle AS moderator_handle,
           u.affiliation AS moderator_affiliation, k.claimed_at, k.expires_at,
           (k.expires_at > now()) AS active
    FROM comment_claims k JOIN users u ON u.id = k.moderator_id
"""


async def get_claim(db: Executor, comment_id: int) -> ClaimRow | None:
    return build(ClaimRow, await db.fetchrow(CLAIM_VIEW + " WHERE k.comment_id = $1", comment_id))


async def list_active_claims(db: Executor, comment_ids: list[int]) -> dict[int, ClaimRow]:
    rows = await db.fetch(
        CLAIM_VIEW + " WHERE k.comment_id = ANY($1::bigint[]) AND k.expires_at > now()", comment_ids
    )
    return {r["comment_id"]: ClaimRow(**dict(r)) for r in rows}


async def upsert_claim(
    db: Executor, comment_id: int, space_id: int, moderator_id: int, ttl_secs: float
) -> ClaimRow:
    await db.execute(
        """INSERT INTO comment_claims (comment_id, space_id, moderator_id, claimed_at, expires_at)
           VALUES ($1, $2, $3, now(), now() + make_interval(secs => $4))
           ON CONFLICT (comment_id) DO UPDATE
           SET moderator_id = $3, claimed_at = now(), expires_at = now() + make_interval(secs => $4)""",
        comment_id,
        space_id,
        moderator_id,
        ttl_secs,
    )
    claim = await get_claim(db, comment_id)
    assert claim is not None
    return claim


async def delete_claim(db: Executor, comment_id: int) -> bool:
    status = await db.execute("DELETE FROM comment_claims WHERE comment_id = $1", comment_id)
    return bool(status.endswith(" 1"))


# ---- Held participants ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HoldRow:
    user_id: int
    display_name: str
    handle: str
    affiliation: str | None
    reason: str | None
    note: str
    held_by: int | None
    held_by_name: str | None
    held_by_handle: str | None
    held_by_affiliation: str | None
    held_at: datetime


HOLD_VIEW = """
    SELECT h.user_id, u.display_name, u.handle, u.affiliation, h.reason, h.note, h.held_by,
           m.display_name AS held_by_name, m.handle AS held_by_handle, m.affiliation AS held_by_affiliation,
           h.held_at
    FROM held_participants h JOIN users u ON u.id = h.user_id LEFT JOIN users m ON m.id = h.held_by
"""


async def is_held(db: Executor, space_id: int, user_id: int) -> bool:
    found = await db.fetchval(
        "SELECT 1 FROM held_participants WHERE space_id = $1 AND user_id = $2", space_id, user_id
    )
    return found is not None


async def upsert_hold(
    db: Executor, space_id: int, user_id: int, *, reason: str | None, note: str, held_by: int
) -> HoldRow:
    await db.execute(
        """INSERT INTO held_participants (space_id, user_id, reason, note, held_by)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (space_id, user_id) DO UPDATE
           SET reason = $3, note = $4, held_by = $5, held_at = now()""",
        space_id,
        user_id,
        reason,
        note,
        held_by,
    )
    record = await db.fetchrow(HOLD_VIEW + " WHERE h.space_id = $1 AND h.user_id = $2", space_id, user_id)
    row = build(HoldRow, record)
    assert row is not None
    return row


async def delete_hold(db: Executor, space_id: int, user_id: int) -> bool:
    status = await db.execute(
        "DELETE FROM held_participants WHERE space_id = $1 AND user_id = $2", space_id, user_id
    )
    return bool(status.endswith(" 1"))


async def list_holds(db: Executor, space_id: int) -> list[HoldRow]:
    rows = await db.fetch(HOLD_VIEW + " WHERE h.space_id = $1 ORDER BY h.held_at, h.user_id", space_id)
    return [HoldRow(**dict(r)) for r in rows]


# ---- Queues ------------------------------------------------------------------


# What a queue reads of each target: the alias its queries give the table, and the column
# saying whether it is shown (a question's `visibility` plays a comment's `status`).
QUEUE_TARGETS = {"comment": ("c", "status"), "question": ("q", "visibility")}


def queue_filter(kind: str, window: str, target: str = "comment") -> str:
    """The condition on a comment (`c`) or a participant's question (`q`) for a queue: the rules
    are one for both; `window` is the placeholder of the recent window in seconds."""
    alias, column = QUEUE_TARGETS[target]
    state = f"{alias}.{column}"
    if kind == "pending":
        # New ones waiting, and published ones whose author's edit waits.
        return f"({state} = 'pending' OR ({state} = 'published' AND {alias}.edit_submitted_at IS NOT NULL))"
    if kind == "flagged":
        return f"""{state} IN ('published', 'hidden') AND EXISTS (
            SELECT 1 FROM {target}_flags f WHERE f.{target}_id = {alias}.id AND f.resolved_at IS NULL)"""
    if kind == "removed":
        return f"{state} IN ('hidden', 'rejected')"
    assert kind == "recent"
    return f"{state} = 'published' AND {alias}.created_at > now() - make_interval(secs => {window})"


@dataclass(frozen=True, slots=True)
class QueueCountsRow:
    pending: int
    flagged: int
    recent: int


# Counting stops here: every comment event carries the counts and is written
# holding its space's lock, so a count must cost the same in a space of a
# million comments. A console shows "1000+".
QUEUE_COUNT_CAP = 1000


async def count_queues(db: Executor, space_id: int, recent_secs: float) -> QueueCountsRow:
    counts = ", ".join(
        f"""(SELECT count(*) FROM (SELECT 1 FROM comments c
                 WHERE c.space_id = $1 AND {queue_filter(kind, "$2")} LIMIT {QUEUE_COUNT_CAP}) q) AS {kind}"""
        for kind in ("pending", "flagged", "recent")
    )
    row = build(QueueCountsRow, await db.fetchrow(f"SELECT {counts}", space_id, recent_secs))
    assert row is not None
    return row


async def list_queue(
    db: Executor,
    *,
    space_id: int,
    kind: str,
    recent_secs: float,
    question_id: int | None,
    lang: str | None,
    after_id: int | None,
    limit: int,
) -> list[CommentRow]:
    """One page of a queue: pending and flagged oldest first, recent and removed newest first."""
    newest_first = kind in ("recent", "removed")
    after = "($5::bigint IS NULL OR c.id < $5)" if newest_first else "($5::bigint IS NULL OR c.id > $5)"
    args: list[object] = [None, space_id, question_id, lang, after_id, limit]
    if kind == "recent":
        args.append(recent_secs)
    rows = await db.fetch(
        f"""{COMMENT_VIEW}
            WHERE c.space_id = $2 AND {queue_filter(kind, "$7")}
              AND ($3::bigint IS NULL OR c.question_id = $3) AND ($4::text IS NULL OR {COMMENT_LANGUAGE} = $4)
              AND {after}
            ORDER BY c.id {"DESC" if newest_first else "ASC"} LIMIT $6""",
        *args,
    )
    return [CommentRow(**dict(r)) for r in rows]
