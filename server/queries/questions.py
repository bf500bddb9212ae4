"""Questions: the moderators' numbered ones and those posed by participants."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor, build

# A question as shown: its row, its space's slug, its author and its count of
# comments visible to everyone (kept on the row by schema.sql's triggers).
QUESTION_VIEW = """
    SELECT q.id, q.space_id, s.slug AS space_slug, q.kind, q.position, q.title, q.body,
           q.body_html, q.status, q.created_at, q.updated_at,
           u.id AS author_id, u.display_name AS author_name, u.handle AS author_handle,
           u.affiliation AS author_affiliation,
           q.published_comments AS comment_count,
           q.opens_at, q.closes_at, q.closing_remark, q.closing_remark_html, q.slow_mode_secs,
           q.visibility, q.removed_by, q.removal_reason, q.removed_at, q.deleted_at, q.published_at,
           q.edit_title, q.edit_body, q.edit_html, q.edit_submitted_at
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
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    closing_remark: str = ""
    closing_remark_html: str = ""
    slow_mode_secs: int | None = None
    # Who may read it (server/queries/question_moderation.py): a participant's
    # question waits, or is removed, as a comment does.
    visibility: str = "published"
    removed_by: str | None = None
    removal_reason: str | None = None
    removed_at: datetime | None = None
    deleted_at: datetime | None = None
    published_at: datetime | None = None  # when the public first saw it; null: never
    # The author's edit waiting for a moderator (server/actions/question_edits.py).
    edit_title: str | None = None
    edit_body: str | None = None
    edit_html: str | None = None
    edit_submitted_at: datetime | None = None


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
    status: str = "open",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    visibility: str = "published",
) -> int:
    question_id: int = await db.fetchval(
        """INSERT INTO questions (space_id, kind, position, title, body, body_html, author_id, status,
                                  opens_at, closes_at, visibility, published_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                   CASE WHEN $11 = 'published' THEN now() END) RETURNING id""",
        space_id,
        kind,
        position,
        title,
        body,
        body_html,
        author_id,
        status,
        opens_at,
        closes_at,
        visibility,
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
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    closing_remark: str = "",
    closing_remark_html: str = "",
) -> None:
    await db.execute(
        """UPDATE questions SET title = $2, body = $3, body_html = $4, position = $5,
                                status = $6, opens_at = $7, closes_at = $8, closing_remark = $9,
                                closing_remark_html = $10, updated_at = now()
           WHERE id = $1""",
        question_id,
        title,
        body,
        body_html,
        position,
        status,
        opens_at,
        closes_at,
        closing_remark,
        closing_remark_html,
    )


# ---- Schedules and slow mode (stewarding) -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionWindow:
    """What decides whether a question takes a comment now, read under the space's lock."""

    id: int
    status: str
    opens_at: datetime | None
    closes_at: datetime | None
    slow_mode_secs: int | None
    visibility: str = "published"


async def get_question_window(db: Executor, question_id: int) -> QuestionWindow | None:
    return build(
        QuestionWindow,
        await db.fetchrow(
            """SELECT id, status, opens_at, closes_at, slow_mode_secs, visibility
               FROM questions WHERE id = $1""",
            question_id,
        ),
    )


async def set_question_slow_mode(db: Executor, question_id: int, secs: int | None) -> None:
    await db.execute("UPDATE questions SET slow_mode_secs = $2 WHERE id = $1", question_id, secs)


# A question is due when it is scheduled and its opening time has come, or
# open and its closing time has come.
DUE = """((q.status = 'scheduled' AND q.opens_at <= now())
          OR (q.status = 'open' AND q.closes_at <= now()))"""


async def claim_space_with_due_questions(db: Executor) -> int | None:
    """Lock one space that has due questions, skipping spaces another transaction holds.

    Locking the space (not the question) first keeps the lock order of every
    other writer, so the scheduler never deadlocks with them; SKIP LOCKED lets
    several processes share the work, and whoever holds a space's lock is the
    only one to apply its transitions.
    """
    space_id: int | None = await db.fetchval(
        f"""SELECT s.id FROM spaces s
            WHERE s.id IN (SELECT q.space_id FROM questions q WHERE {DUE})
            ORDER BY s.id LIMIT 1
            FOR UPDATE OF s SKIP LOCKED"""
    )
    return space_id


async def list_due_questions(db: Executor, space_id: int) -> list[QuestionWindow]:
    """The space's due questions; call holding the space's lock, so the answer is current."""
    rows = await db.fetch(
        f"""SELECT q.id, q.status, q.opens_at, q.closes_at, q.slow_mode_secs FROM questions q
            WHERE q.space_id = $1 AND {DUE} ORDER BY q.id FOR UPDATE""",
        space_id,
    )
    return [QuestionWindow(**dict(r)) for r in rows]


async def set_question_status(db: Executor, question_id: int, status: str) -> None:
    await db.execute(
        "UPDATE questions SET status = $2, updated_at = now() WHERE id = $1", question_id, status
    )
