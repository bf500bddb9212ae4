"""Reads for live delivery: space counters, and the most recent comments for snapshots."""

from server.queries import Executor
from server.queries.comments import COMMENT_VIEW, CommentRow


async def list_space_counters(db: Executor, space_ids: list[int]) -> dict[int, int]:
    rows = await db.fetch("SELECT id, event_seq FROM spaces WHERE id = ANY($1::bigint[])", space_ids)
    return {r["id"]: r["event_seq"] for r in rows}


async def list_recent_comments(
    db: Executor, space_id: int, *, include_pending: bool, author_id: int | None, limit: int
) -> list[CommentRow]:
    """The space's most recent comments, oldest first; pending ones only for
    moderators (`include_pending`) and their own authors."""
    rows = await db.fetch(
        f"""SELECT * FROM ({COMMENT_VIEW}
                WHERE c.space_id = $2 AND (c.status <> 'pending' OR $3 OR c.author_id = $5)
                ORDER BY c.id DESC LIMIT $4) recent
            ORDER BY id""",
        None,
        space_id,
        include_pending,
        limit,
        author_id,
    )
    return [CommentRow(**dict(r)) for r in rows]


async def get_event_time(db: Executor, space_id: int, seq: int) -> object:
    return await db.fetchval("SELECT at FROM events WHERE space_id = $1 AND seq = $2", space_id, seq)


async def list_open_question_ids(db: Executor, space_id: int) -> set[int]:
    rows = await db.fetch("SELECT id FROM questions WHERE space_id = $1 AND status = 'open'", space_id)
    return {r["id"] for r in rows}
