"""Participants' flags on comments: adding one, the open flags per comment, resolving them."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor, build


@dataclass(frozen=True, slots=True)
class FlagRow:
    id: int
    comment_id: int
    user_id: int
    reason: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FlagSummaryRow:
    count: int
    reasons: dict[str, int]
    texts: list[str]


async def insert_flag(
    db: Executor, *, space_id: int, comment_id: int, user_id: int, reason: str, text: str
) -> FlagRow | None:
    """Add a flag; None when this user already flagged the comment."""
    record = await db.fetchrow(
        """INSERT INTO comment_flags (space_id, comment_id, user_id, reason, text)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (comment_id, user_id) DO NOTHING
           RETURNING id, comment_id, user_id, reason, text, created_at""",
        space_id,
        comment_id,
        user_id,
        reason,
        text,
    )
    return build(FlagRow, record)


async def summarise_open_flags(db: Executor, comment_ids: list[int]) -> dict[int, FlagSummaryRow]:
    """Open flags per comment: how many, per reason, and their texts (oldest first)."""
    rows = await db.fetch(
        """SELECT comment_id, reason, text FROM comment_flags
           WHERE comment_id = ANY($1::bigint[]) AND resolved_at IS NULL ORDER BY id""",
        comment_ids,
    )
    found: dict[int, FlagSummaryRow] = {i: FlagSummaryRow(0, {}, []) for i in comment_ids}
    for row in rows:
        summary = found[row["comment_id"]]
        summary.reasons[row["reason"]] = summary.reasons.get(row["reason"], 0) + 1
        if row["text"]:
            summary.texts.append(row["text"])
        found[row["comment_id"]] = FlagSummaryRow(summary.count + 1, summary.reasons, summary.texts)
    return found


async def resolve_flags(db: Executor, comment_id: int, resolution: str) -> int:
    """Resolve the comment's open flags; return how many there were."""
    status: str = await db.execute(
        """UPDATE comment_flags SET resolved_at = now(), resolution = $2
           WHERE comment_id = $1 AND resolved_at IS NULL""",
        comment_id,
        resolution,
    )
    return int(status.rsplit(" ", 1)[-1])
