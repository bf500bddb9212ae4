"""The spotlight: what a space's screens show now (position 0) and next (1, 2, …)."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor


@dataclass(frozen=True, slots=True)
class SpotlightRow:
    id: int
    position: int
    comment_id: int | None
    question_id: int | None
    added_at: datetime


async def list_items(db: Executor, space_id: int) -> list[SpotlightRow]:
    rows = await db.fetch(
        """SELECT id, position, comment_id, question_id, added_at FROM spotlight_items
           WHERE space_id = $1 ORDER BY position, id""",
        space_id,
    )
    return [SpotlightRow(**dict(r)) for r in rows]


async def insert_item(
    db: Executor, space_id: int, *, comment_id: int | None, question_id: int | None, added_by: int
) -> int:
    """Add an item (placed by `save_order`); its position is set there."""
    item_id: int = await db.fetchval(
        """INSERT INTO spotlight_items (space_id, position, comment_id, question_id, added_by)
           VALUES ($1, 0, $2, $3, $4) RETURNING id""",
        space_id,
        comment_id,
        question_id,
        added_by,
    )
    return item_id


async def save_order(db: Executor, space_id: int, now_id: int | None, next_ids: list[int]) -> None:
    """Keep only these items: `now_id` at position 0, `next_ids` at 1, 2, …"""
    kept = ([now_id] if now_id is not None else []) + next_ids
    await db.execute(
        "DELETE FROM spotlight_items WHERE space_id = $1 AND NOT (id = ANY($2::bigint[]))", space_id, kept
    )
    await db.execute(
        """UPDATE spotlight_items s SET position = o.position
           FROM unnest($2::bigint[], $3::int[]) AS o(id, position)
           WHERE s.space_id = $1 AND s.id = o.id""",
        space_id,
        kept,
        ([0] if now_id is not None else []) + list(range(1, len(next_ids) + 1)),
    )
