"""Edits that wait for a moderator: under pre-moderation, or for a held participant,
an author's edit of a published comment does not replace the published text until
a moderator approves it. Otherwise approval would be a formality: post something
harmless, have it approved, then edit it into anything.

Submitting writes `comment.edit_submitted` (moderators and the author only);
approving writes `comment.edit_approved` (everyone sees the new text); rejecting
writes `comment.edit_rejected` (moderators and the author: the public never saw it).
"""

from server.actions.mentions import render_with_mentions
from server.queries import Executor
from server.queries import comments as comment_queries
from server.queries import moderation as moderation_queries
from server.queries.comments import CommentRow
from server.queries.spaces import SpaceRow

EDIT_DECISION_EVENTS = {"approve": "comment.edit_approved", "reject": "comment.edit_rejected"}


async def edit_waits(db: Executor, space: SpaceRow, comment: CommentRow, *, steward: bool) -> bool:
    """Whether this author's edit of the comment waits for a moderator."""
    if steward or comment.status != "published":
        return False
    return space.moderation == "pre" or await moderation_queries.is_held(db, space.id, comment.author_id)


def has_pending_edit(comment: CommentRow) -> bool:
    return comment.status == "published" and comment.edit_submitted_at is not None


async def apply_edit_decision(db: Executor, comment: CommentRow, action: str) -> str:
    """Approve (the waiting edit becomes the text; the old one a revision) or reject
    (the edit is dropped) a comment's pending edit; return the event type."""
    assert has_pending_edit(comment) and action in EDIT_DECISION_EVENTS
    if action == "approve":
        assert comment.edit_body is not None and comment.edit_lang is not None
        await comment_queries.insert_revision(
            db, comment.id, comment.body, comment.lang, comment.edited_at or comment.created_at
        )
        html, mentioned = await render_with_mentions(db, comment.edit_body)
        await comment_queries.update_comment_body(db, comment.id, comment.edit_lang, comment.edit_body, html)
        await comment_queries.replace_mentions(db, comment.id, mentioned)
    await comment_queries.clear_pending_edit(db, comment.id)
    return EDIT_DECISION_EVENTS[action]
