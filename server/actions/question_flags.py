"""Participants flag a participant's question; enough flags from different people in
good standing hide it for review, by the rules of comments' flags (server/actions/flags.py).

A flag is a participant's act, told to the moderators (`question.flagged`), not
an audit entry; the automatic hide it may cause is, with no actor.
"""

from server import errors
from server.access import roles
from server.access.identity import Viewer
from server.actions.flags import (
    add_flag,
    check_flag_text,
    hide_by_flags,
    lock_space_to_flag,
    record_flagged,
)
from server.actions.question_moderation import (
    locked_live_question,
    open_question_flags,
    readable_question,
    record_question_moderation_event,
    take_off_screens,
)
from server.events import Event
from server.queries import Executor
from server.queries import flags as flag_queries
from server.queries import question_moderation as moderation_queries
from server.queries import questions as question_queries
from server.queries.flags import FlagRow, FlagSummaryRow
from server.queries.spaces import SpaceRow
from server.running.services import Services
from server.schemas.moderation import FlagBody


async def flag_question(
    services: Services, viewer: Viewer, question_id: int, body: FlagBody
) -> tuple[FlagRow, list[Event]]:
    """A participant flags a participant's question; enough flaggers in good standing hide it."""
    check_flag_text(body)
    user_id = roles.require_user(viewer)
    async with services.pool.acquire() as conn, conn.transaction():
        question, space, role = await readable_question(conn, viewer, question_id, user_id)
        if question.kind != "participant":
            raise errors.QuestionNotModerated("Moderators' questions are not flagged.")
        space = await lock_space_to_flag(conn, viewer, space, role)
        if question.author_id == user_id:
            raise errors.OwnComment("You cannot flag your own question.")
        question = await locked_live_question(conn, question.id)
        if question.visibility != "published":
            raise errors.NotFlaggable(details={"status": question.visibility})
        flag = await add_flag(conn, space.id, "question", question.id, user_id, body)
        summary = await open_question_flags(conn, services.settings, question.id)
        events = [await record_flagged(conn, viewer, space.id, "question", question.id, flag, summary)]
        # A moderator's question is the space's own voice: only a moderator silences it.
        exempt = await flag_queries.is_space_steward(conn, space.id, question.author_id)
        if summary.counted >= services.settings.flag_hide_threshold and not exempt:
            events += await _hide_by_flags(services, conn, space, question.id, summary)
    await services.publish(*events)
    return flag, events


async def _hide_by_flags(
    services: Services, conn: Executor, space: SpaceRow, question_id: int, summary: FlagSummaryRow
) -> list[Event]:
    """Hide a question pending review: Roundtable acts, so the audit entry has no actor."""
    decision = await hide_by_flags(
        conn, services, space.id, "question", question_id, summary, moderation_queries.set_question_visibility
    )
    row = await question_queries.get_question(conn, question_id)
    assert row is not None
    event = await record_question_moderation_event(
        conn, services.settings, space, row, "question.hidden", decision
    )
    return [event, *await take_off_screens(conn, space, row)]
