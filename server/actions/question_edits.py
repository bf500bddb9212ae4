"""Edits of participants' questions that wait for a moderator, as comments' do
(server/actions/pending_edits.py): under pre-moderation, or for a held participant,
the author's new title and body wait while the approved ones stay public.

Submitting writes `question.edit_submitted` (moderators and the author only);
approving writes `question.edit_approved` (everyone sees the new text); rejecting
writes `question.edit_rejected` (moderators and the author: the public never saw it).
"""

from server.queries import Executor
from server.queries import moderation as moderation_queries
from server.queries import question_moderation as question_moderation_queries
from server.queries.questions import QuestionRow
from server.queries.spaces import SpaceRow
from server.render import render_document

QUESTION_EDIT_DECISION_EVENTS = {"approve": "question.edit_approved", "reject": "question.edit_rejected"}


async def edit_waits(db: Executor, space: SpaceRow, question: QuestionRow) -> bool:
    """Whether its author's edit of the question waits for a moderator (a question still
    waiting itself is simply rewritten: the public has not seen it)."""
    if question.visibility != "published":
        return False
    return space.moderation == "pre" or await moderation_queries.is_held(db, space.id, question.author_id)


def has_pending_edit(question: QuestionRow) -> bool:
    return question.visibility == "published" and question.edit_submitted_at is not None


async def submit_edit(db: Executor, question: QuestionRow, title: str, body: str) -> None:
    """Keep the author's edit aside for a moderator; the published text stays."""
    await question_moderation_queries.set_question_pending_edit(
        db, question.id, title, body, render_document(body)
    )


async def apply_edit_decision(db: Executor, question: QuestionRow, action: str) -> str:
    """Approve (the waiting edit becomes the title and body) or reject (it is dropped)
    a question's pending edit; return the event type."""
    assert has_pending_edit(question) and action in QUESTION_EDIT_DECISION_EVENTS
    if action == "approve":
        await question_moderation_queries.publish_question_edit(db, question.id)
    else:
        await question_moderation_queries.clear_question_pending_edit(db, question.id)
    return QUESTION_EDIT_DECISION_EVENTS[action]
