"""Participants' own questions moderated as comments are: moderators' decisions and
the author's delete (participants' flags: server/actions/question_flags.py).

The rules are the comments' (server/actions/moderation.py, server/actions/flags.py):
the same decisions, reasons and defaults, the same standing for flaggers, the same
locks (the space, then the question) so that of two moderators deciding at once
exactly one changes it. A question's `visibility` plays the comment's `status`.
"""

from typing import Any

from server import errors
from server.access import guards, roles
from server.access.identity import Viewer
from server.actions import spotlight as spotlight_actions
from server.actions.audit import record_delete_under_review
from server.actions.moderation import (
    Decision,
    decision_reason,
    record_decision_event,
    record_moderator_decision,
)
from server.actions.question_edits import apply_edit_decision, has_pending_edit
from server.actions.showing import apply_showing_decision
from server.events import Event
from server.queries import Executor
from server.queries import flags as flag_queries
from server.queries import question_moderation as moderation_queries
from server.queries import questions as question_queries
from server.queries import spaces as space_queries
from server.queries.flags import FlagSummaryRow
from server.queries.questions import QuestionRow
from server.queries.spaces import SpaceRow
from server.running.services import Services
from server.running.settings import Settings
from server.schemas import questions as question_schemas
from server.schemas.common import Role
from server.schemas.moderation import DecisionBody, QuestionQueueItem, flag_summary

# The event each decision in effect on a question writes, as DECISION_EVENTS for
# comments; pinning and answers are for comments.
QUESTION_DECISION_EVENTS = {
    "approve": "question.approved",
    "reject": "question.rejected",
    "hide": "question.hidden",
    "restore": "question.restored",
    "dismiss_flags": "question.flags_dismissed",
}
QUESTION_DECISIONS = frozenset(QUESTION_DECISION_EVENTS)
# What the public sees of a question: published ones, and the tombstones of
# those once public (`published_at`). A pending or rejected one was never theirs.
PUBLICLY_LISTED = frozenset({"published", "hidden", "deleted"})


async def open_question_flags(db: Executor, settings: Settings, question_id: int) -> FlagSummaryRow:
    found = await flag_queries.summarise_open_flags(
        db, [question_id], settings.flag_min_account_age_secs, target="question"
    )
    return found[question_id]


async def record_question_moderation_event(
    db: Executor,
    settings: Settings,
    space: SpaceRow,
    row: QuestionRow,
    type_: str,
    decision: Decision,
    public_change: bool = True,
) -> Event:
    """The event of a moderation change to a participant's question.

    The public sees the question as it now is (a tombstone when removed) if it
    ever saw it and it changed for them (not a rejected edit); moderators see its text, the decision, the
    audit entry and its open flags; the author, when notified, the decision.
    """
    public_view = question_schemas.question(row).model_dump(mode="json")
    flags = await open_question_flags(db, settings, row.id)
    moderators: dict[str, Any] = {
        "question": question_schemas.question(row, reveal=True).model_dump(mode="json"),
        "decision": decision.told,
        "flags": flag_summary(flags).model_dump(mode="json"),
    }
    if decision.audit is not None:
        moderators["audit"] = decision.audit.model_dump(mode="json")
    shown = row.published_at is not None and row.visibility in PUBLICLY_LISTED
    return await record_decision_event(
        db,
        space,
        type_,
        "question",
        public_view,
        row.author_id,
        moderators,
        decision,
        shown and public_change,
    )


async def readable_question(
    db: Executor, viewer: Viewer, question_id: int, user_id: int
) -> tuple[QuestionRow, SpaceRow, Role]:
    """The question, its space and the viewer's role there, if the viewer may read it; a
    question they may not read is not found, as if it did not exist."""
    question = await question_queries.get_question(db, question_id)
    if question is None:
        raise errors.QuestionNotFound()
    space, role = await roles.visible_space_by_id(db, viewer, question.space_id)
    if not question_schemas.readable_by(question, user_id, roles.is_steward(role)):
        raise errors.QuestionNotFound()
    return question, space, role


async def locked_live_question(db: Executor, question_id: int) -> QuestionRow:
    """The question under its lock, re-read (a moderator may have decided on it
    meanwhile), refused if it has been deleted."""
    await moderation_queries.lock_question(db, question_id)
    question = await question_queries.get_question(db, question_id)
    assert question is not None
    if question.visibility == "deleted":
        raise errors.QuestionDeleted()
    return question


async def _moderated_question(db: Executor, viewer: Viewer, question_id: int) -> tuple[QuestionRow, SpaceRow]:
    """The participant's question, locked after its space, for a moderator of that space."""
    roles.require_user(viewer)
    question = await question_queries.get_question(db, question_id)
    if question is None:
        raise errors.QuestionNotFound()
    space, role = await roles.visible_space_by_id(db, viewer, question.space_id)
    roles.require_moderator(role)
    if question.kind != "participant":
        raise errors.QuestionNotModerated()
    space = await space_queries.lock_space(db, space.id)
    return await locked_live_question(db, question.id), space


def _applies(action: str, question: QuestionRow) -> bool:
    visibility = question.visibility
    return {
        "approve": visibility == "pending" or has_pending_edit(question),
        "reject": visibility == "pending" or has_pending_edit(question),
        # Confirming an automatic hide by flags makes it the moderator's.
        "hide": visibility == "published" or (visibility == "hidden" and question.removed_by == "flags"),
        # A rejection can be a mistake too: the console's removed view undoes both.
        "restore": visibility in ("hidden", "rejected"),
        "dismiss_flags": visibility in ("published", "hidden"),
    }[action]


async def decide_on_question(
    services: Services, viewer: Viewer, question_id: int, body: DecisionBody
) -> tuple[QuestionRow, Event]:
    """A moderator approves, rejects, hides or restores a participant's question, or dismisses its flags."""
    if body.action not in QUESTION_DECISIONS:
        raise errors.InvalidBody(
            f"`{body.action}` applies to comments only.",
            details=[{"loc": ["action"], "msg": f"one of {sorted(QUESTION_DECISIONS)}"}],
        )
    reason = decision_reason(body)
    async with services.pool.acquire() as conn, conn.transaction():
        question, space = await _moderated_question(conn, viewer, question_id)
        state = {"visibility": question.visibility}
        if body.expected_status is not None and question.visibility != body.expected_status:
            raise errors.AlreadyDecided(details=state)
        flags = await flag_queries.count_open_flags(conn, question.id, target="question")
        if body.action == "dismiss_flags" and flags == 0:
            raise errors.NoOpenFlags()
        if not _applies(body.action, question):
            raise errors.AlreadyDecided(details=state)
        on_edit = has_pending_edit(question) and body.action in ("approve", "reject")
        if on_edit:
            type_ = await apply_edit_decision(conn, question, body.action)
        else:
            in_effect = await apply_showing_decision(
                conn,
                moderation_queries.set_question_visibility,
                "question",
                question.id,
                body.action,
                reason,
                state=question.visibility,
                removed_by=question.removed_by,
            )
            type_ = QUESTION_DECISION_EVENTS[in_effect]
        row = await question_queries.get_question(conn, question.id)
        assert row is not None
        change = (question.visibility, row.visibility)
        decision = await record_moderator_decision(
            conn, space.id, viewer, "question", question.id, body, reason, on_edit, change
        )
        public_change = type_ != "question.edit_rejected"
        event = await record_question_moderation_event(
            conn, services.settings, space, row, type_, decision, public_change
        )
        events = [event, *await take_off_screens(conn, space, row)]
    await services.publish(*events)
    return row, event


async def take_off_screens(db: Executor, space: SpaceRow, row: QuestionRow) -> list[Event]:
    """Screens drop a question that is no longer shown, in the same transaction."""
    if row.visibility == "published":
        return []
    dropped = await spotlight_actions.drop_question(db, space, row.id, f"question.{row.visibility}")
    return [dropped] if dropped else []


async def delete_own_question(
    services: Services, viewer: Viewer, question_id: int
) -> tuple[QuestionRow, Event]:
    """The author deletes their question: a tombstone keeps its place and its comments.

    The text is erased, as the author asked, unless the question is under
    review (pending, flagged, hidden or rejected): then the text stays for
    moderators, and the audit log records the deletion with it.
    """
    user_id = roles.require_user(viewer)
    async with services.pool.acquire() as conn, conn.transaction():
        question, space, _role = await readable_question(conn, viewer, question_id, user_id)
        if question.author_id != user_id or question.kind != "participant":
            raise errors.NotAuthor("Only the author may delete their own question.")
        space = await space_queries.lock_space(conn, space.id)
        await guards.check_may_write(conn, viewer, space, withdrawing=True)
        question = await locked_live_question(conn, question.id)
        text = {"title": question.title, "body": question.body}
        audit = await record_delete_under_review(
            conn, viewer, space.id, "question", question.id, question.visibility, text
        )
        await moderation_queries.mark_question_deleted(conn, question.id, keep_evidence=audit is not None)
        row = await question_queries.get_question(conn, question.id)
        assert row is not None
        told = {"action": "delete", "reason": None, "note": "", "by": "author"}
        decision = Decision(told, audit, notify_author=True)
        event = await record_question_moderation_event(
            conn, services.settings, space, row, "question.deleted", decision
        )
        events = [event, *await take_off_screens(conn, space, row)]
    await services.publish(*events)
    return row, event


async def question_queue(
    db: Executor, space_id: int, kind: str, settings: Settings
) -> list[QuestionQueueItem]:
    """Participants' questions in a moderators' queue (pending, flagged or recent), with their flags."""
    rows = await moderation_queries.list_question_queue(db, space_id, kind, settings.queue_recent_secs)
    flags = await flag_queries.summarise_open_flags(
        db, [r.id for r in rows], settings.flag_min_account_age_secs, target="question"
    )
    return [
        QuestionQueueItem(question=question_schemas.question(r, reveal=True), flags=flag_summary(flags[r.id]))
        for r in rows
    ]
