"""Moderators' decisions on comments, their edits, and claims on queue items.

Each action checks that the caller moderates the comment's space, locks the
space and then the comment and re-checks the comment's state under those
locks: of two moderators deciding one comment at once, exactly one changes it
and the other gets `already_decided`. The change, one audit entry and its
event(s) commit together; a decision also releases the comment's claim.
"""

from dataclasses import dataclass
from typing import Any

from server import errors
from server.access import roles
from server.access.identity import Viewer
from server.actions import spotlight as spotlight_actions
from server.actions.audit import record_audit, record_moderators_event
from server.actions.comments import lock_comment_for_change
from server.actions.mentions import render_with_mentions
from server.actions.pending_edits import apply_edit_decision, has_pending_edit
from server.actions.showing import apply_showing_decision
from server.events import Event, payload, record_event
from server.queries import Executor
from server.queries import comments as comment_queries
from server.queries import flags as flag_queries
from server.queries import moderation as moderation_queries
from server.queries.comments import CommentRow
from server.queries.flags import FlagSummaryRow
from server.queries.moderation import ClaimRow
from server.queries.spaces import SpaceRow
from server.running.services import Services
from server.running.settings import Settings
from server.schemas import comments as comment_schemas
from server.schemas.audit import AuditEntry
from server.schemas.moderation import DecisionBody, ModeratorEditBody, QueueCounts, claim_view, flag_summary

# The event each decision in effect writes (dismissing the flags that hid a comment restores it).
DECISION_EVENTS = {
    "approve": "comment.approved",
    "reject": "comment.rejected",
    "hide": "comment.hidden",
    "restore": "comment.restored",
    "dismiss_flags": "comment.flags_dismissed",
    "pin": "comment.pinned",
    "unpin": "comment.unpinned",
    "mark_answer": "comment.answer_marked",
    "unmark_answer": "comment.answer_unmarked",
}
# Decisions on whether a comment is shown: its author hears of them, with the reason.
AUTHOR_NOTIFIED = frozenset({"approve", "reject", "hide", "restore", "dismiss_flags"})
# Removing a comment needs a reason; showing it defaults to "approved".
REASON_REQUIRED = frozenset({"reject", "hide"})
DEFAULT_REASON = {"approve": "approved", "restore": "approved", "dismiss_flags": "approved"}


async def open_flags(db: Executor, settings: Settings, comment_id: int) -> FlagSummaryRow:
    """The comment's open flags, with each flagger's standing."""
    found = await flag_queries.summarise_open_flags(db, [comment_id], settings.flag_min_account_age_secs)
    return found[comment_id]


async def queue_counts(db: Executor, space_id: int, settings: Settings) -> QueueCounts:
    row = await moderation_queries.count_queues(db, space_id, settings.queue_recent_secs)
    return QueueCounts(pending=row.pending, flagged=row.flagged, recent=row.recent)


async def moderated_comment(db: Executor, viewer: Viewer, comment_id: int) -> tuple[CommentRow, SpaceRow]:
    """The comment, locked after its space, for a moderator of that space to act on."""
    roles.require_user(viewer)
    comment = await comment_queries.get_comment(db, comment_id, None)
    if comment is None:
        raise errors.CommentNotFound()
    space, role = await roles.visible_space_by_id(db, viewer, comment.space_id)
    roles.require_moderator(role)
    return await lock_comment_for_change(db, space.id, comment_id, None)


async def check_claim(db: Executor, comment_id: int, viewer: Viewer) -> None:
    """Raise when another moderator holds a live claim on the comment."""
    claim = await moderation_queries.get_claim(db, comment_id)
    if claim is not None and claim.active and claim.moderator_id != viewer.user_id:
        raise errors.ClaimedByOther(details={"claim": claim_view(claim).model_dump(mode="json")})


def _state(comment: CommentRow) -> dict[str, Any]:
    return {
        "status": comment.status,
        "pinned": comment.pinned_at is not None,
        "moderator_answer": comment.moderator_answer,
    }


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision on a comment or a question as its event tells it: `told` is its action,
    reason, note and who decided; its audit entry (none for an author's own delete of a
    text not under review); whether its author hears of it."""

    told: dict[str, Any]
    audit: AuditEntry | None
    notify_author: bool


async def record_comment_event(
    db: Executor,
    settings: Settings,
    space: SpaceRow,
    row: CommentRow,
    type_: str,
    decision: Decision,
    public_change: bool = True,
) -> Event:
    """The event of a moderation change to a comment.

    The public sees the comment as it now is (a tombstone when removed; nothing
    while pending or when nothing changed for them); moderators see it with
    its text, the decision, the audit entry, its open flags and the queue
    counts; the author, when notified, the decision's action and reason.
    """
    public_view = comment_schemas.comment(row, personal=False).model_dump(mode="json")
    flags = await open_flags(db, settings, row.id)
    moderators = {
        "comment": comment_schemas.comment(row, personal=False, reveal=True).model_dump(mode="json"),
        "decision": decision.told,
        "audit": None if decision.audit is None else decision.audit.model_dump(mode="json"),
        "flags": flag_summary(flags).model_dump(mode="json"),
        "queue": (await queue_counts(db, space.id, settings)).model_dump(mode="json"),
    }
    shown = public_change and row.status != "pending"
    return await record_decision_event(
        db, space, type_, "comment", public_view, row.author_id, moderators, decision, shown
    )


async def record_decision_event(
    db: Executor,
    space: SpaceRow,
    type_: str,
    target: str,
    public_view: dict[str, Any],
    author_id: int | None,
    moderators: dict[str, Any],
    decision: Decision,
    shown: bool,
) -> Event:
    """The event of a decision on a comment or a question (`target`), once its payloads are built.

    While the space is a draft nobody but its moderators hears of it; otherwise
    the public sees `public_view` when it is `shown`, and the author, when
    notified, the decision's action and reason.
    """
    drafted = space.status == "draft"
    personal = None
    if decision.notify_author and not drafted:
        notice = {key: decision.told[key] for key in ("action", "reason", "by")}
        personal = {target: public_view, "decision": notice}
    return await record_event(
        db,
        space.id,
        type_,
        public={target: public_view} if shown and not drafted else None,
        moderators=moderators,
        recipient_id=author_id if personal else None,
        personal=personal,
    )


def decision_reason(body: DecisionBody) -> str | None:
    if body.action in REASON_REQUIRED and body.reason in (None, "approved"):
        raise errors.ReasonRequired(details={"action": body.action})
    if body.reason == "other" and not body.note:
        raise errors.ReasonRequired("The reason `other` needs a note.", details={"action": body.action})
    return body.reason or DEFAULT_REASON.get(body.action)


async def record_moderator_decision(
    db: Executor,
    space_id: int,
    viewer: Viewer,
    target: str,
    target_id: int,
    body: DecisionBody,
    reason: str | None,
    on_edit: bool,
    change: tuple[str, str],
) -> Decision:
    """Record a moderator's decision on a comment or a question (`target`) whose state went
    from `change[0]` to `change[1]` in the audit log (a decision on a waiting edit is
    `<action>_edit`); its author is told of a decision on whether it is shown that changed it."""
    action = f"{target}.{body.action}_edit" if on_edit else f"{target}.{body.action}"
    details = {"from": change[0], "to": change[1]}
    audit = await record_audit(
        db, space_id, viewer, action, target, target_id, reason=reason, note=body.note, details=details
    )
    told = {"action": body.action, "reason": reason, "note": body.note, "by": "moderator"}
    return Decision(told, audit, body.action in AUTHOR_NOTIFIED and (on_edit or change[0] != change[1]))


def _applies(action: str, comment: CommentRow) -> bool:
    published = comment.status == "published"
    return {
        "approve": comment.status == "pending" or has_pending_edit(comment),
        "reject": comment.status == "pending" or has_pending_edit(comment),
        # Confirming an automatic hide by flags makes it the moderator's.
        "hide": published or (comment.status == "hidden" and comment.removed_by == "flags"),
        # A rejection can be a mistake too: the console's removed view undoes both.
        "restore": comment.status in ("hidden", "rejected"),
        "pin": published and comment.pinned_at is None,
        "unpin": comment.pinned_at is not None,
        "mark_answer": published and not comment.moderator_answer,
        "unmark_answer": comment.moderator_answer,
        "dismiss_flags": comment.status in ("published", "hidden"),
    }[action]


async def _apply(db: Executor, comment: CommentRow, action: str, reason: str | None) -> str:
    """Write the decision; return its event type."""
    if action in ("approve", "reject") and has_pending_edit(comment):
        return await apply_edit_decision(db, comment, action)
    if action in ("pin", "unpin"):
        await moderation_queries.set_pinned(db, comment.id, action == "pin")
    elif action in ("mark_answer", "unmark_answer"):
        await moderation_queries.set_moderator_answer(db, comment.id, action == "mark_answer")
    else:
        action = await apply_showing_decision(
            db,
            moderation_queries.set_comment_status,
            "comment",
            comment.id,
            action,
            reason,
            state=comment.status,
            removed_by=comment.removed_by,
        )
    return DECISION_EVENTS[action]


async def decide(
    services: Services, viewer: Viewer, comment_id: int, body: DecisionBody
) -> tuple[CommentRow, list[Event]]:
    reason = decision_reason(body)
    async with services.pool.acquire() as conn, conn.transaction():
        comment, space = await moderated_comment(conn, viewer, comment_id)
        if body.expected_status is not None and comment.status != body.expected_status:
            raise errors.AlreadyDecided(details=_state(comment))
        await check_claim(conn, comment.id, viewer)
        if body.action == "dismiss_flags":
            flags = await open_flags(conn, services.settings, comment.id)
            if flags.count == 0:
                raise errors.NoOpenFlags()
        if not _applies(body.action, comment):
            raise errors.AlreadyDecided(details=_state(comment))
        on_edit = has_pending_edit(comment) and body.action in ("approve", "reject")
        type_ = await _apply(conn, comment, body.action, reason)
        await moderation_queries.delete_claim(conn, comment.id)
        row = await comment_queries.get_comment(conn, comment.id, None)
        assert row is not None
        decision = await record_moderator_decision(
            conn, space.id, viewer, "comment", comment.id, body, reason, on_edit, (comment.status, row.status)
        )
        public_change = type_ not in ("comment.flags_dismissed", "comment.edit_rejected")
        events = [
            await record_comment_event(conn, services.settings, space, row, type_, decision, public_change)
        ]
        if row.status in ("hidden", "rejected"):
            dropped = await spotlight_actions.drop_comment(conn, space, row.id, type_)
            events += [dropped] if dropped else []
    await services.publish(*events)
    return row, events


async def edit_as_moderator(
    services: Services, viewer: Viewer, comment_id: int, body: ModeratorEditBody
) -> tuple[CommentRow, Event | None]:
    """A moderator rewrites a comment; the original stays, for moderators only, as a revision."""
    if body.reason == "other" and not body.note:
        raise errors.ReasonRequired("The reason `other` needs a note.", details={"action": "edit"})
    async with services.pool.acquire() as conn, conn.transaction():
        comment, space = await moderated_comment(conn, viewer, comment_id)
        await check_claim(conn, comment.id, viewer)
        lang = body.lang or comment.lang
        if lang not in space.languages:
            raise errors.UnsupportedLanguage(details={"accepted": space.languages})
        if (body.body, lang) == (comment.body, comment.lang):
            return comment, None
        await comment_queries.insert_revision(
            conn,
            comment.id,
            comment.body,
            comment.lang,
            comment.edited_at or comment.created_at,
            by_moderator=True,
        )
        html, mentioned = await render_with_mentions(conn, body.body)
        await moderation_queries.update_body_by_moderator(conn, comment.id, lang, body.body, html)
        await comment_queries.replace_mentions(conn, comment.id, mentioned)
        await moderation_queries.delete_claim(conn, comment.id)
        row = await comment_queries.get_comment(conn, comment.id, None)
        assert row is not None
        audit = await record_audit(
            conn, space.id, viewer, "comment.edit", "comment", comment.id, reason=body.reason, note=body.note
        )
        told = {"action": "edit", "reason": body.reason, "note": body.note, "by": "moderator"}
        decision = Decision(told, audit, notify_author=True)
        event = await record_comment_event(
            conn, services.settings, space, row, "comment.moderator_edited", decision
        )
    await services.publish(event)
    return row, event


async def claim_comment(services: Services, viewer: Viewer, comment_id: int) -> tuple[ClaimRow, Event]:
    """Take (or renew) the claim on a comment; another moderator's expired claim may be taken over."""
    async with services.pool.acquire() as conn, conn.transaction():
        comment, space = await moderated_comment(conn, viewer, comment_id)
        await check_claim(conn, comment.id, viewer)
        assert viewer.user_id is not None
        claim = await moderation_queries.upsert_claim(
            conn, comment.id, space.id, viewer.user_id, services.settings.claim_ttl_secs
        )
        audit = await record_audit(
            conn,
            space.id,
            viewer,
            "comment.claim",
            "comment",
            comment.id,
            details={"expires_at": claim.expires_at.isoformat()},
        )
        event = await record_moderators_event(
            conn,
            space.id,
            "comment.claimed",
            {"comment_id": comment.id, **payload(claim=claim_view(claim))},
            audit,
        )
    await services.publish(event)
    return claim, event


async def release_claim(services: Services, viewer: Viewer, comment_id: int) -> Event:
    """Give up one's own claim (live or expired)."""
    async with services.pool.acquire() as conn, conn.transaction():
        comment, space = await moderated_comment(conn, viewer, comment_id)
        claim = await moderation_queries.get_claim(conn, comment.id)
        if claim is None or claim.moderator_id != viewer.user_id:
            await check_claim(conn, comment.id, viewer)
            raise errors.NotClaimed()
        await moderation_queries.delete_claim(conn, comment.id)
        audit = await record_audit(conn, space.id, viewer, "comment.release", "comment", comment.id)
        event = await record_moderators_event(
            conn,
            space.id,
            "comment.released",
            {"comment_id": comment.id, "claim": None, **payload(released=claim_view(claim))},
            audit,
        )
    await services.publish(event)
    return event
