"""Moderation of participants' questions: who may read one (its visibility), its author's
last question (slow mode) and the moderators' queue (their flags are with comments' flags)."""

from datetime import datetime

from server.queries import Executor
from server.queries.moderation import queue_filter
from server.queries.questions import QUESTION_VIEW, QuestionRow


async def set_question_visibility(
    db: Executor, question_id: int, visibility: str, *, removed_by: str | None, reason: str | None
) -> None:
    """Change who may read it; a removal (hidden, rejected) records who and why."""
    await db.execute(
        """UPDATE questions SET visibility = $2, removed_by = $3, removal_reason = $4,
                  removed_at = CASE WHEN $3::text IS NULL THEN NULL ELSE now() END,
                  published_at = CASE WHEN $2 = 'published' THEN coalesce(published_at, now())
                                      ELSE published_at END
           WHERE id = $1""",
        question_id,
        visibility,
        removed_by,
        reason,
    )


async def mark_question_deleted(db: Executor, question_id: int, *, keep_evidence: bool) -> None:
    """The author's delete: a tombstone; the text goes unless it is evidence for moderators."""
    await db.execute(
        """UPDATE questions SET visibility = 'deleted', deleted_at = now(),
                  title = CASE WHEN $2 THEN title ELSE '' END,
                  body = CASE WHEN $2 THEN body ELSE '' END,
                  body_html = CASE WHEN $2 THEN body_html ELSE '' END
           WHERE id = $1""",
        question_id,
        keep_evidence,
    )


async def set_question_pending_edit(
    db: Executor, question_id: int, title: str, body: str, body_html: str
) -> None:
    await db.execute(
        """UPDATE questions SET edit_title = $2, edit_body = $3, edit_html = $4, edit_submitted_at = now()
           WHERE id = $1""",
        question_id,
        title,
        body,
        body_html,
    )


async def clear_question_pending_edit(db: Executor, question_id: int) -> None:
    await db.execute(
        """UPDATE questions SET edit_title = NULL, edit_body = NULL, edit_html = NULL,
                  edit_submitted_at = NULL
           WHERE id = $1""",
        question_id,
    )


async def publish_question_edit(db: Executor, question_id: int) -> None:
    """The waiting edit becomes the question's title and body."""
    await db.execute(
        """UPDATE questions SET title = edit_title, body = edit_body, body_html = edit_html,
                  updated_at = now(), edit_title = NULL, edit_body = NULL, edit_html = NULL,
                  edit_submitted_at = NULL
           WHERE id = $1 AND edit_submitted_at IS NOT NULL""",
        question_id,
    )


async def lock_question(db: Executor, question_id: int) -> None:
    await db.execute("SELECT 1 FROM questions WHERE id = $1 FOR UPDATE", question_id)


async def get_last_question_at(db: Executor, space_id: int, author_id: int) -> datetime | None:
    """When the author last posed a question in the space, deleted ones included."""
    at: datetime | None = await db.fetchval(
        "SELECT max(created_at) FROM questions WHERE space_id = $1 AND author_id = $2",
        space_id,
        author_id,
    )
    return at


# ---- The moderators' queue -------------------------------------------------------


# Participants' questions are few beside comments: a queue carries them all, up to this.
QUESTION_QUEUE_MAX = 200


async def list_question_queue(
    db: Executor, space_id: int, kind: str, recent_secs: float
) -> list[QuestionRow]:
    """Participants' questions in a queue: pending and flagged oldest first, recent and
    removed newest first."""
    recent = kind == "recent"
    newest_first = kind in ("recent", "removed")
    rows = await db.fetch(
        f"""{QUESTION_VIEW}
            WHERE q.space_id = $1 AND q.kind = 'participant' AND {queue_filter(kind, "$2", "question")}
            ORDER BY q.id {"DESC" if newest_first else "ASC"} LIMIT {QUESTION_QUEUE_MAX}""",
        *((space_id, recent_secs) if recent else (space_id,)),
    )
    return [QuestionRow(**dict(r)) for r in rows]
