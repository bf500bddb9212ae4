"""Participants flag comments; enough flags from different people in good standing
hide one for review.

A flag is a participant's act, recorded in `comment_flags` and told to the
moderators (`comment.flagged`); it is not an audit entry. The automatic hide
it may cause is: an entry with no actor, and a tombstone saying "flags".
"""

from collections import Counter
from typing import Literal

from server import errors
from server.access import roles
from server.access.identity import Viewer
from server.actions import spotlight as spotlight_actions
from server.actions.audit import record_audit
from server.actions.comments import find_visible_comment
from server.actions.moderation import Decision, open_flags, queue_counts, record_comment_event
from server.actions.showing import SetShown
from server.events import Event, record_event
from server.queries import Executor
from server.queries import comments as comment_queries
from server.queries import flags as flag_queries
from server.queries import moderation as moderation_queries
from server.queries import spaces as space_queries
from server.queries.comments import CommentRow
from server.queries.flags import FlagRow, FlagSummaryRow
from server.queries.spaces import SpaceRow
from server.running.services import Services
from server.schemas.common import Role
from server.schemas.moderation import FlagBody, flag_summary

FlagTarget = Literal["comment", "question"]
# The event a new flag writes, per target (written out, so the protocol test finds each).
FLAGGED_EVENTS: dict[str, str] = {"comment": "comment.flagged", "question": "question.flagged"}


def check_flag_text(body: FlagBody) -> None:
    """A flag for "other" reasons says what they are."""
    if body.reason == "other" and not body.text:
        raise errors.FlagTextRequired()


async def lock_space_to_flag(conn: Executor, viewer: Viewer, space: SpaceRow, role: Role) -> SpaceRow:
    """The space under its lock, once the viewer may flag in it: a flag is a write, so
    the checks of posting apply (suspension, lock, mute, ban) to the space as it is now."""
    space = await space_queries.lock_space(conn, space.id)
    await roles.check_may_post(conn, viewer, space, role)
    return space


async def add_flag(
    conn: Executor, space_id: int, target: FlagTarget, target_id: int, user_id: int, body: FlagBody
) -> FlagRow:
    """Add the user's flag on a comment or a question; one each, a second is refused."""
    flag = await flag_queries.insert_flag(
        conn,
        target=target,
        space_id=space_id,
        target_id=target_id,
        user_id=user_id,
        reason=body.reason,
        text=body.text,
    )
    if flag is None:
        raise errors.AlreadyFlagged()
    return flag


async def record_flagged(
    conn: Executor,
    viewer: Viewer,
    space_id: int,
    target: FlagTarget,
    target_id: int,
    flag: FlagRow,
    summary: FlagSummaryRow,
    **told: object,
) -> Event:
    """Tell the moderators (only) of a new flag on a comment or a question, with its
    target's open flags and whatever else `told` adds."""
    assert viewer.user is not None
    return await record_event(
        conn,
        space_id,
        FLAGGED_EVENTS[target],
        public=None,
        moderators={
            f"{target}_id": target_id,
            "flag": {
                "reason": flag.reason,
                "text": flag.text,
                "by": {"id": viewer.user.id, "display_name": viewer.user.display_name},
                "at": flag.created_at.isoformat(),
            },
            "flags": flag_summary(summary).model_dump(mode="json"),
            **told,
        },
    )


def most_counted_reason(summary: FlagSummaryRow) -> str:
    """The reason most counted flaggers gave; ties go to the one given first."""
    return Counter(f.reason for f in summary.flaggers if f.in_good_standing).most_common(1)[0][0]


async def hide_by_flags(
    conn: Executor,
    services: Services,
    space_id: int,
    target: FlagTarget,
    target_id: int,
    summary: FlagSummaryRow,
    set_shown: SetShown,
) -> Decision:
    """Hide a comment or a question pending review, for the reason most counted flaggers gave,
    and record it in the audit log: Roundtable acts, so the entry has no actor."""
    reason = most_counted_reason(summary)
    await set_shown(conn, target_id, "hidden", removed_by="flags", reason=reason)
    details = {
        "by": "flags",
        "flags": summary.count,
        "counted": summary.counted,
        "flaggers": [f.user_id for f in summary.flaggers if f.in_good_standing],
        "threshold": services.settings.flag_hide_threshold,
    }
    audit = await record_audit(
        conn, space_id, None, f"{target}.hide", target, target_id, reason=reason, details=details
    )
    told = {"action": "hide", "reason": reason, "note": "", "by": "flags"}
    return Decision(told, audit, notify_author=True)


async def flag_comment(
    services: Services, viewer: Viewer, comment_id: int, body: FlagBody
) -> tuple[FlagRow, list[Event]]:
    check_flag_text(body)
    user_id = roles.require_user(viewer)
    async with services.pool.acquire() as conn, conn.transaction():
        comment, space, role = await find_visible_comment(conn, viewer, comment_id)
        space = await lock_space_to_flag(conn, viewer, space, role)
        if comment.author_id == user_id:
            raise errors.OwnComment("You cannot flag your own comment.")
        await comment_queries.lock_comment(conn, comment.id)
        # Re-read under its lock: a moderator may have decided on it meanwhile.
        locked = await comment_queries.get_comment(conn, comment.id, user_id)
        assert locked is not None
        comment = locked
        if comment.status == "deleted":
            raise errors.CommentDeleted()
        if comment.status != "published":
            raise errors.NotFlaggable(details={"status": comment.status})
        flag = await add_flag(conn, space.id, "comment", comment.id, user_id, body)
        summary = await open_flags(conn, services.settings, comment.id)
        queue = await queue_counts(conn, space.id, services.settings)
        events = [
            await record_flagged(
                conn,
                viewer,
                space.id,
                "comment",
                comment.id,
                flag,
                summary,
                queue=queue.model_dump(mode="json"),
            )
        ]
        if summary.counted >= services.settings.flag_hide_threshold and not await _exempt(conn, comment):
            events += await _hide_by_flags(services, conn, space, comment.id, summary)
    await services.publish(*events)
    return flag, events


async def _exempt(conn: Executor, comment: CommentRow) -> bool:
    """Whether flags may never hide this comment by themselves.

    A moderator's comment, a pinned one and a moderator's answer are the
    space's own voice: silencing them takes a moderator, not a crowd.
    """
    if comment.pinned_at is not None or comment.moderator_answer:
        return True
    return await flag_queries.is_space_steward(conn, comment.space_id, comment.author_id)


async def _hide_by_flags(
    services: Services,
    conn: Executor,
    space: space_queries.SpaceRow,
    comment_id: int,
    summary: FlagSummaryRow,
) -> list[Event]:
    """Hide a comment pending review: Roundtable acts, so the audit entry has no actor."""
    decision = await hide_by_flags(
        conn, services, space.id, "comment", comment_id, summary, moderation_queries.set_comment_status
    )
    await moderation_queries.delete_claim(conn, comment_id)
    row = await comment_queries.get_comment(conn, comment_id, None)
    assert row is not None
    events = [await record_comment_event(conn, services.settings, space, row, "comment.hidden", decision)]
    dropped = await spotlight_actions.drop_comment(conn, space, comment_id, "comment.hidden")
    return events + ([dropped] if dropped else [])
