"""The checks that refuse a write: suspended accounts, locked spaces, mutes and
bans, question windows and slow mode.

Pure checks, no changes: the actions call them inside their transaction, after
locking the space, so what they read is current.
"""

from datetime import UTC, datetime, timedelta

from server import errors
from server.access.identity import Viewer
from server.queries import Executor
from server.queries import question_moderation as question_moderation_queries
from server.queries import questions as question_queries
from server.queries import restrictions as restriction_queries
from server.queries.questions import QuestionRow, QuestionWindow
from server.queries.spaces import SpaceRow


async def check_may_write(
    db: Executor, viewer: Viewer, space: SpaceRow, *, withdrawing: bool = False
) -> None:
    """Raise unless the signed-in viewer may write in the space now.

    Stewards (the space's moderators, admins) are held only by a suspension.
    Others are refused in a locked space, and when muted or banned there,
    except that `withdrawing` (deleting their own comment) stays open to a
    muted or banned person.
    """
    if viewer.user is None:
        return
    if await restriction_queries.is_suspended(db, viewer.user.id):
        raise errors.AccountSuspended()
    if await viewer.moderates(db, space.id):
        return
    if space.locked_at is not None:
        raise errors.SpaceLocked(
            details={"locked_at": space.locked_at.isoformat(), "reason": space.lock_reason}
        )
    if withdrawing:
        return
    restriction = await restriction_queries.get_active_restriction(db, space.id, viewer.user.id)
    if restriction is not None:
        error = errors.Muted if restriction.kind == "muted" else errors.Banned
        raise error(
            details={
                "until": restriction.until.isoformat() if restriction.until else None,
                "reason": restriction.reason,
            }
        )


def check_steward_may_post(space: SpaceRow, now: datetime | None = None) -> None:
    """Moderators prepare a draft or a space not yet open, but post nothing once it has closed."""
    now = now or datetime.now(UTC)
    if space.status in ("closed", "archived") or (space.closes_at is not None and now >= space.closes_at):
        raise errors.SpaceClosed(
            "This space is closed: reopen it (PATCH its status or closes_at) before posting.",
            details={
                "status": space.status,
                "closes_at": space.closes_at.isoformat() if space.closes_at else None,
            },
        )


async def check_question_window(db: Executor, question: QuestionRow) -> QuestionWindow:
    """Raise unless the question is open now (its status and its times); return its window."""
    window = await question_queries.get_question_window(db, question.id)
    assert window is not None
    now = datetime.now(UTC)
    times = {
        "opens_at": window.opens_at.isoformat() if window.opens_at else None,
        "closes_at": window.closes_at.isoformat() if window.closes_at else None,
    }
    if window.visibility != "published":
        raise errors.QuestionNotPublished(details={"visibility": window.visibility})
    if window.status == "scheduled" or (window.opens_at is not None and now < window.opens_at):
        raise errors.QuestionNotOpen(details=times)
    if window.status == "closed" or (window.closes_at is not None and now >= window.closes_at):
        raise errors.QuestionClosed(details=times)
    return window


async def check_may_comment(db: Executor, viewer: Viewer, space: SpaceRow, question: QuestionRow) -> None:
    """Raise unless the question takes this viewer's comment now: its window, then slow mode.

    Call holding the space's lock: the question is read again under it, and the
    author's last comment cannot change meanwhile.
    """
    window = await check_question_window(db, question)
    now = datetime.now(UTC)
    if viewer.user is None or await viewer.moderates(db, space.id):
        return
    if space.locked_at is not None:  # locked since the first check, before the space's lock was taken
        raise errors.SpaceLocked(
            details={"locked_at": space.locked_at.isoformat(), "reason": space.lock_reason}
        )
    retry_at: datetime | None = None
    for secs, question_id in ((space.slow_mode_secs, None), (window.slow_mode_secs, question.id)):
        if not secs:
            continue
        last = await restriction_queries.get_last_comment_at(db, space.id, viewer.user.id, question_id)
        if last is not None and now < last + timedelta(seconds=secs):
            retry_at = max(retry_at or now, last + timedelta(seconds=secs))
    if retry_at is not None:
        raise errors.SlowMode(
            details={
                "retry_at": retry_at.isoformat(),
                "space_secs": space.slow_mode_secs,
                "question_secs": window.slow_mode_secs,
            }
        )


async def check_question_slow_mode(db: Executor, viewer: Viewer, space: SpaceRow, now: datetime) -> None:
    """Raise while the space's slow mode still holds a participant's next question.

    The space's slow mode paces each participant's posts, questions as comments:
    the wait runs from their last question. Call holding the space's lock.
    """
    secs = space.slow_mode_secs
    if not secs or viewer.user is None or await viewer.moderates(db, space.id):
        return
    last = await question_moderation_queries.get_last_question_at(db, space.id, viewer.user.id)
    if last is not None and now < last + timedelta(seconds=secs):
        raise errors.SlowMode(
            "Slow mode is on: wait a little before posing another question.",
            details={
                "retry_at": (last + timedelta(seconds=secs)).isoformat(),
                "space_secs": secs,
                "question_secs": None,
            },
        )
