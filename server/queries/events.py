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
    recipient_id: int | None
    personal: dict[str, Any] | None


EVENT_COLUMNS = "space_id, seq, type, at, public, moderators, recipient_id, personal"


async def insert_next_event(
    db: Executor,
    space_id: int,
    type_: str,
    public: dict[str, Any] | None,
    moderators: dict[str, Any],
    recipient_id: int | None,
    personal: dict[str, Any] | None,
) -> EventRow:
    """Take the space's next seq and write the event with it, in one statement.

    Taking the seq locks the space's row until commit, so writers of a space
    serialise here and seq order is commit order with no gaps.
    """
    record = await db.fetchrow(
        f"""WITH next AS (
                UPDATE spaces SET event_seq = event_seq + 1 WHERE id = $1 RETURNING event_seq
            )
            INSERT INTO events (space_id, seq, type, public, moderators, recipient_id, personal)
            SELECT $1, next.event_seq, $2, $3, $4, $5, $6 FROM next
            RETURNING {EVENT_COLUMNS}""",
        space_id,
        type_,
        public,
        moderators,
        recipient_id,
        personal,
    )
    return EventRow(**dict(record))


async def withdraw_comment_text(
    db: Executor,
    space_id: int,
    comment_id: int,
    withdrawn: dict[str, Any],
    *,
    erase_for_moderators: bool,
    key: str = "comment",
) -> None:
    """Replace the comment (with `key` "question", the participant's question) in its
    events' public and personal payloads (and the moderators' when
    `erase_for_moderators`) by its withdrawn form."""
    if key not in ("comment", "question"):
        raise ValueError(f"no withdrawable {key!r}")
    await db.execute(
        f"""UPDATE events SET
               public = CASE WHEN public ? '{key}' THEN jsonb_set(public, '{{{key}}}', $3) END,
               personal = CASE WHEN personal ? '{key}' THEN jsonb_set(personal, '{{{key}}}', $3) END,
               moderators = CASE WHEN $4 THEN jsonb_set(moderators, '{{{key}}}', $3) ELSE moderators END
           WHERE space_id = $1 AND (moderators -> '{key}' ->> 'id')::bigint = $2""",
        space_id,
        comment_id,
        withdrawn,
        erase_for_moderators,
    )


async def list_spotlight_events_of_comment(db: Executor, space_id: int, comment_id: int) -> list[EventRow]:
    """The spotlight events whose state shows the comment, now or next."""
    rows = await db.fetch(
        f"""SELECT {EVENT_COLUMNS} FROM events
            WHERE space_id = $1 AND type = 'spotlight.changed'
              AND (moderators -> 'spotlight' -> 'now' @> $2 OR moderators -> 'spotlight' -> 'next' @> $3)""",
        space_id,
        {"comment": {"id": comment_id}},
        [{"comment": {"id": comment_id}}],
    )
    return [EventRow(**dict(r)) for r in rows]


async def update_event_payloads(
    db: Executor,
    space_id: int,
    seq: int,
    public: dict[str, Any] | None,
    moderators: dict[str, Any],
    personal: dict[str, Any] | None,
) -> None:
    await db.execute(
        "UPDATE events SET public = $3, moderators = $4, personal = $5 WHERE space_id = $1 AND seq = $2",
        space_id,
        seq,
        public,
        moderators,
        personal,
    )


async def list_events_after(db: Executor, space_id: int, after_seq: int, limit: int) -> list[EventRow]:
    rows = await db.fetch(
        f"""SELECT {EVENT_COLUMNS} FROM events
             WHERE space_id = $1 AND seq > $2 ORDER BY seq LIMIT $3""",
        space_id,
        after_seq,
        limit,
    )
    return [EventRow(**dict(r)) for r in rows]
