"""Participants' own questions moderated like comments: moderators' decisions and
participants' flags (the author's delete is with the other question writes)."""

from server import errors
from server.access.admission import MODERATOR, USER
from server.actions import question_flags as question_flag_actions
from server.actions import question_moderation as question_moderation_actions
from server.api.call import Call
from server.api.declaring import ApiModule
from server.api.moderation import FLAG_ERRORS
from server.api.routing import written
from server.schemas import questions as question_schemas
from server.schemas.moderation import DecisionBody, FlagBody, QuestionFlagWrite
from server.schemas.questions import QuestionWrite

# Both routes act on a participant's question that is still there.
api = ApiModule(
    tag="moderation",
    raises=(errors.QuestionNotFound, errors.QuestionNotModerated, errors.QuestionDeleted),
)


@api.post(
    "/questions/{id:int}/decisions",
    auth=MODERATOR,
    raises=(
        errors.NotModerator,
        errors.AlreadyDecided,
        errors.ReasonRequired,
        errors.NoOpenFlags,
        errors.InvalidBody,
    ),
)
async def decide_on_question(call: Call, body: DecisionBody) -> QuestionWrite:
    """Decide on a participant's question: approve, reject, hide, restore, dismiss flags"""
    question_id = call.path_id(errors.QuestionNotFound)
    row, event = await question_moderation_actions.decide_on_question(
        call.services, call.viewer, question_id, body
    )
    return written(QuestionWrite, question_schemas.question(row, reveal=True), event)


@api.post(
    "/questions/{id:int}/flags",
    status=201,
    rate_limit="flag",
    auth=USER,
    raises=FLAG_ERRORS,
)
async def flag_question(call: Call, body: FlagBody) -> QuestionFlagWrite:
    """Flag a participant's question for the moderators' attention"""
    question_id = call.path_id(errors.QuestionNotFound)
    row, events = await question_flag_actions.flag_question(call.services, call.viewer, question_id, body)
    return QuestionFlagWrite(
        question_id=question_id,
        reason=body.reason,
        text=row.text,
        created_at=row.created_at,
        event_seq=events[0].seq,
    )


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
