"""The space a write is aimed at, from the resource its path names: one short read, remembered
by server/running/writes.py."""

from server.queries import Executor


async def space_id_by_slug(db: Executor, slug: str) -> int | None:
    found: int | None = await db.fetchval("SELECT id FROM spaces WHERE slug = $1", slug)
    return found


async def space_id_of_question(db: Executor, question_id: int) -> int | None:
    found: int | None = await db.fetchval("SELECT space_id FROM questions WHERE id = $1", question_id)
    return found


async def space_id_of_comment(db: Executor, comment_id: int) -> int | None:
    found: int | None = await db.fetchval(
        "SELECT q.space_id FROM comments c JOIN questions q ON q.id = c.question_id WHERE c.id = $1",
        comment_id,
    )
    return found
