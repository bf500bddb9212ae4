"""Questions: the moderators' numbered ones and those posed by participants."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor, build

# A question as shown: its row, its space's slug, its author and its count of
# comments visible to everyone.
QUESTION_VIEW = """
    SELECT q.id, q.space_id, s.slug AS space_slug, q.kind, q.position, q.title, q.body,
           q.body_html, q.status, q.created_at, q.updated_at,
           u.id AS author_id, u.display_name AS author_name, u.handle AS author_handle,
           u.affiliation AS author_affiliation,
           (SELECT count(*) FROM comments c
             WHERE c.question_id = q.id AND c.status = 'published') AS comment_count
    FROM questions q JOIN spaces s ON s.id = q.space_id JOIN users u ON u.id = q.author_id
"""


@dataclass(frozen=True, slots=True)
class QuestionRow:
    id: int
    space_id: int
    space_slug: str
    kind: str
    position: int | None
    title: str
    body: str
    body_html: str
    status: str
    created_at: datetime
    updated_at: datetime | None
    author_id: int
    author_name: str
    author_handle: str
    author_affiliation: str | None
    comment_count: int


async def get_question(db: Executor, question_id: int) -> QuestionRow | None:
    return build(QuestionRow, await db.fetchrow(QUESTION_VIEW + " WHERE q.id = $1", question_id))


async def list_questions(db: Executor, space_id: int) -> list[QuestionRow]:
    rows = await db.fetch(
        QUESTION_VIEW + " WHERE q.space_id = $1 ORDER BY q.kind, q.position, q.id", space_id
    )
    return [QuestionRow(**dict(r)) for r in rows]


async def count_discussion_questions(db: Executor, space_id: int) -> int:
    count: int = await db.fetchval(
        "SELECT count(*) FROM questions WHERE space_id = $1 AND kind = 'discussion'", space_id
    )
    return count


async def shift_positions(db: Executor, space_id: int, first: int, last: int, by: int) -> None:
    """Move the discussion questions at positions first..last by `by` places."""
    await db.execute(
        """UPDATE questions SET position = position + $4
           WHERE space_id = $1 AND kind = 'discussion' AND position BETWEEN $2 AND $3""",
        space_id,
        first,
        last,
        by,
    )


async def insert_question(
    db: Executor,
    *,
    space_id: int,
    kind: str,
    position: int | None,
    title: str,
    body: str,
    body_html: str,
    author_id: int,
) -> int:
    question_id: int = await db.fetchval(
        """INSERT INTO questions (space_id, kind, position, title, body, body_html, author_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id""",
        space_id,
        kind,
        position,
        title,
        body,
        body_html,
        author_id,
    )
    return question_id


async def update_question(
    db: Executor,
    question_id: int,
    *,
    title: str,
    body: str,
    body_html: str,
    position: int | None,
    status: str,
) -> None:
    await db.execute(
        """UPDATE questions SET title = $2, body = $3, body_html = $4, position = $5,
                                status = $6, updated_at = now()
           WHERE id = $1""",
        question_id,
        title,
        body,
        body_html,
        position,
        status,
    )
