"""Participants' own questions moderated like comments: moderators' decisions,
the author's delete and participants' flags."""

from starlette.requests import Request

from server import errors
from server.access.admission import AUTHOR, MODERATOR, USER
from server.actions import question_flags as question_flag_actions
from server.actions import question_moderation as question_moderation_actions
from server.api.moderation import WRITE_ERRORS
from server.api.routing import Api, path_id, services, viewer
from server.schemas import questions as question_schemas
from server.schemas.moderation import DecisionBody, FlagBody, QuestionFlagWrite
from server.schemas.questions import QuestionWrite


def register_routes(api: Api) -> None:
    api.route(
        "POST",
        "/questions/{id:int}/decisions",
        summary="Decide on a participant's question: approve, reject, hide, restore, dismiss flags",
        tag="moderation",
        body=DecisionBody,
        response=QuestionWrite,
        auth=MODERATOR,
        raises=(
            errors.QuestionNotFound,
            errors.NotModerator,
            errors.QuestionNotModerated,
            errors.QuestionDeleted,
            errors.AlreadyDecided,
            errors.ReasonRequired,
            errors.NoOpenFlags,
            errors.InvalidBody,
        ),
    )(decide_on_question)
    api.route(
        "DELETE",
        "/questions/{id:int}",
        summary="Delete one's own question (a tombstone stays; under review, its text stays for moderators)",
        tag="questions",
        response=QuestionWrite,
        auth=AUTHOR,
        raises=(
            errors.QuestionNotFound,
            errors.NotAuthor,
            errors.QuestionDeleted,
            errors.AccountSuspended,
            errors.SpaceLocked,
        ),
    )(delete_question)
    api.route(
        "POST",
        "/questions/{id:int}/flags",
        summary="Flag a participant's question for the moderators' attention",
        tag="moderation",
        body=FlagBody,
        response=QuestionFlagWrite,
        status=201,
        auth=USER,
        raises=(
            errors.QuestionNotFound,
            errors.QuestionNotModerated,
            errors.QuestionDeleted,
            errors.NotFlaggable,
            errors.AlreadyFlagged,
            errors.OwnComment,
            errors.FlagTextRequired,
            *WRITE_ERRORS,
        ),
        rate_limit="flag",
    )(flag_question)


async def decide_on_question(request: Request, body: DecisionBody) -> QuestionWrite:
    question_id = path_id(request, "id", errors.QuestionNotFound)
    row, event = await question_moderation_actions.decide_on_question(
        services(request), await viewer(request), question_id, body
    )
    shown = question_schemas.question(row, reveal=True)
    return QuestionWrite(**shown.model_dump(), event_seq=event.seq)


async def delete_question(request: Request, _: None) -> QuestionWrite:
    question_id = path_id(request, "id", errors.QuestionNotFound)
    row, event = await question_moderation_actions.delete_own_question(
        services(request), await viewer(request), question_id
    )
    return QuestionWrite(**question_schemas.question(row).model_dump(), event_seq=event.seq)


async def flag_question(request: Request, body: FlagBody) -> QuestionFlagWrite:
    question_id = path_id(request, "id", errors.QuestionNotFound)
    row, events = await question_flag_actions.flag_question(
        services(request), await viewer(request), question_id, body
    )
    return QuestionFlagWrite(
        question_id=question_id,
        reason=body.reason,
        text=row.text,
        created_at=row.created_at,
        event_seq=events[0].seq,
    )
