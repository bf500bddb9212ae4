"""Comments, their revisions, mentions and supports."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor, build

# A comment as shown to one viewer ($1 in every statement: the viewer's user
# id or NULL), with its author and whether the viewer supports it.
COMMENT_VIEW = """
    SELECT c.id, c.space_id, c.question_id, c.parent_id, c.path, c.author_id, c.lang, c.body,
           c.body_html, c.status, c.support_count, c.created_at, c.edited_at, c.deleted_at,
           u.display_name AS author_name, u.handle AS author_handle,
           u.affiliation AS author_affiliation,
           (sp.user_id IS NOT NULL) AS supported_by_me,
           c.removed_by, c.removal_reason, c.removed_at, c.edited_by_moderator, c.pinned_at,
           c.moderator_answer, c.kept_body, c.kept_html,
           c.edit_body, c.edit_html, c.edit_lang, c.edit_submitted_at, c.quoting,
           c.detected_langs, c.lang_declared
    FROM comments c
    JOIN users u ON u.id = c.author_id
    LEFT JOIN supports sp ON sp.comment_id = c.id AND sp.user_id = $1
"""


@dataclass(frozen=True, slots=True)
class CommentRow:
    id: int
    space_id: int
    question_id: int
    parent_id: int | None
    path: list[int]
    author_id: int
    lang: str
    body: str
    body_html: str
    status: str
    support_count: int
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    author_name: str
    author_handle: str
    author_affiliation: str | None
    supported_by_me: bool
    removed_by: str | None
    removal_reason: str | None
    removed_at: datetime | None
    edited_by_moderator: bool
    pinned_at: datetime | None
    moderator_answer: bool
    kept_body: str | None
    kept_html: str | None
    edit_body: str | None
    edit_html: str | None
    edit_lang: str | None
    edit_submitted_at: datetime | None
    quoting: str
    detected_langs: list[str] | None
    lang_declared: bool


@dataclass(frozen=True, slots=True)
class RevisionRow:
    body: str
    lang: str
    written_at: datetime
    replaced_at: datetime
    by_moderator: bool


async def get_comment(db: Executor, comment_id: int, viewer_id: int | None) -> CommentRow | None:
    record = await db.fetchrow(COMMENT_VIEW + " WHERE c.id = $2", viewer_id, comment_id)
    return build(CommentRow, record)


async def lock_comment(db: Executor, comment_id: int) -> None:
    await db.execute("SELECT 1 FROM comments WHERE id = $1 FOR UPDATE", comment_id)


async def list_thread_page(
    db: Executor,
    *,
    question_id: int,
    viewer_id: int | None,
    sees_all_pending: bool,
    newest_first: bool,
    after_path: list[int] | None,
    limit: int,
) -> list[CommentRow]:
    """One page of a question's comments in thread order, after the comment at `after_path`.

    Pending comments are included for moderators and for their own authors only.
    """
    visible = "c.question_id = $2 AND (c.status <> 'pending' OR $3 OR c.author_id = $1)"
    if newest_first:
        # Threads newest first (by their root's id), each thread depth-first.
        after = "($4::bigint[] IS NULL OR c.path[1] < $4[1] OR (c.path[1] = $4[1] AND c.path > $4))"
        order = "c.path[1] DESC, c.path"
    else:
        after = "($4::bigint[] IS NULL OR c.path > $4)"
        order = "c.path"
    rows = await db.fetch(
        f"{COMMENT_VIEW} WHERE {visible} AND {after} ORDER BY {order} LIMIT $5",
        viewer_id,
        question_id,
        sees_all_pending,
        after_path,
        limit,
    )
    return [CommentRow(**dict(r)) for r in rows]


async def insert_comment(
    db: Executor,
    *,
    space_id: int,
    question_id: int,
    parent_path: list[int] | None,
    author_id: int,
    lang: str,
    body: str,
    body_html: str,
    status: str,
    quoting: str,
) -> int:
    """Insert a comment, its path being its parent's path followed by its own id."""
    comment_id: int = await db.fetchval(
        """WITH new_id AS (SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id)
           INSERT INTO comments (id, space_id, question_id, parent_id, path, author_id, lang,
                                 body, body_html, status, quoting)
           SELECT new_id.id, $1, $2, ($3::bigint[])[array_length($3::bigint[], 1)],
                  coalesce($3::bigint[], '{}') || new_id.id, $4, $5, $6, $7, $8, $9
           FROM new_id
           RETURNING id""",
        space_id,
        question_id,
        parent_path,
        author_id,
        lang,
        body,
        body_html,
        status,
        quoting,
    )
    return comment_id


async def update_comment_body(db: Executor, comment_id: int, lang: str, body: str, body_html: str) -> None:
    await db.execute(
        "UPDATE comments SET lang = $2, body = $3, body_html = $4, edited_at = now() WHERE id = $1",
        comment_id,
        lang,
        body,
        body_html,
    )


async def set_pending_edit(db: Executor, comment_id: int, lang: str, body: str, body_html: str) -> None:
    """Hold an author's edit for a moderator; a newer one replaces one still waiting."""
    await db.execute(
        """UPDATE comments SET edit_body = $3, edit_html = $4, edit_lang = $2, edit_submitted_at = now()
           WHERE id = $1""",
        comment_id,
        lang,
        body,
        body_html,
    )


async def clear_pending_edit(db: Executor, comment_id: int) -> None:
    await db.execute(
        """UPDATE comments SET edit_body = NULL, edit_html = NULL, edit_lang = NULL, edit_submitted_at = NULL
           WHERE id = $1""",
        comment_id,
    )


async def mark_comment_deleted(db: Executor, comment_id: int, *, keep_evidence: bool = False) -> None:
    """Tombstone: the row stays so the thread keeps its shape; the text goes,
    or with `keep_evidence` moves to where only moderators read it."""
    await db.execute(
        """UPDATE comments SET status = 'deleted', body = '', body_html = '', deleted_at = now(),
                  kept_body = CASE WHEN $2 THEN body END, kept_html = CASE WHEN $2 THEN body_html END
           WHERE id = $1""",
        comment_id,
        keep_evidence,
    )


async def insert_revision(
    db: Executor, comment_id: int, body: str, lang: str, written_at: datetime, *, by_moderator: bool = False
) -> None:
    await db.execute(
        """INSERT INTO comment_revisions (comment_id, body, lang, written_at, by_moderator)
           VALUES ($1, $2, $3, $4, $5)""",
        comment_id,
        body,
        lang,
        written_at,
        by_moderator,
    )


async def delete_revisions(db: Executor, comment_id: int) -> None:
    await db.execute("DELETE FROM comment_revisions WHERE comment_id = $1", comment_id)


async def list_revisions(db: Executor, comment_id: int) -> list[RevisionRow]:
    rows = await db.fetch(
        """SELECT body, lang, written_at, replaced_at, by_moderator FROM comment_revisions
           WHERE comment_id = $1 ORDER BY id""",
        comment_id,
    )
    return [RevisionRow(**dict(r)) for r in rows]


async def replace_mentions(db: Executor, comment_id: int, user_ids: list[int]) -> None:
    await db.execute("DELETE FROM comment_mentions WHERE comment_id = $1", comment_id)
    await add_mentions(db, comment_id, user_ids)


async def add_mentions(db: Executor, comment_id: int, user_ids: list[int]) -> None:
    if user_ids:
        await db.execute(
            """INSERT INTO comment_mentions (comment_id, user_id)
               SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING""",
            comment_id,
            user_ids,
        )


async def insert_support(db: Executor, comment_id: int, user_id: int) -> int | None:
    """Add a +1; return the new count, or None when the user already supported it."""
    count: int | None = await db.fetchval(
        """WITH added AS (
               INSERT INTO supports (comment_id, user_id) VALUES ($1, $2)
               ON CONFLICT DO NOTHING RETURNING comment_id)
           UPDATE comments SET support_count = support_count + 1
           WHERE id = $1 AND EXISTS (SELECT 1 FROM added) RETURNING support_count""",
        comment_id,
        user_id,
    )
    return count


async def delete_support(db: Executor, comment_id: int, user_id: int) -> int | None:
    """Remove a +1; return the new count, or None when there was none."""
    count: int | None = await db.fetchval(
        """WITH removed AS (
               DELETE FROM supports WHERE comment_id = $1 AND user_id = $2 RETURNING comment_id)
           UPDATE comments SET support_count = support_count - 1
           WHERE id = $1 AND EXISTS (SELECT 1 FROM removed) RETURNING support_count""",
        comment_id,
        user_id,
    )
    return count
