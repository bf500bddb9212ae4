"""The events log and each space's events counter."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from server.queries import Executor


@dataclass(frozen=True, slots=True)
class EventRow:
    space_id: int
    seq: int
    type: str
    at: datetime
    public: dict[str, Any] | None
    moderators: dict[str, Any]


async def take_next_seq(db: Executor, space_id: int) -> int:
    """Take the space's next seq; the row lock it takes is held until commit."""
    seq: int = await db.fetchval(
        "UPDATE spaces SET event_seq = event_seq + 1 WHERE id = $1 RETURNING event_seq", space_id
    )
    return seq


async def insert_event(
    db: Executor,
    space_id: int,
    seq: int,
    type_: str,
    public: dict[str, Any] | None,
    moderators: dict[str, Any],
) -> EventRow:
    record = await db.fetchrow(
        """INSERT INTO events (space_id, seq, type, public, moderators)
           VALUES ($1, $2, $3, $4, $5)
           RETURNING space_id, seq, type, at, public, moderators""",
        space_id,
        seq,
        type_,
        public,
        moderators,
    )
    return EventRow(**dict(record))


async def list_events_after(db: Executor, space_id: int, after_seq: int, limit: int) -> list[EventRow]:
    rows = await db.fetch(
        """SELECT space_id, seq, type, at, public, moderators FROM events
           WHERE space_id = $1 AND seq > $2 ORDER BY seq LIMIT $3""",
        space_id,
        after_seq,
        limit,
    )
    return [EventRow(**dict(r)) for r in rows]
