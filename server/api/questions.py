"""Questions of a space."""

from server import errors
from server.access import roles
from server.access.admission import AUTHOR, USER
from server.actions import question_moderation as question_moderation_actions
from server.actions import questions as question_actions
from server.api.call import Call
from server.api.declaring import ApiModule
from server.api.routing import written
from server.queries import questions as question_queries
from server.queries.questions import QuestionRow
from server.schemas import questions as question_schemas
from server.schemas.common import Role
from server.schemas.questions import Question, QuestionCreate, QuestionList, QuestionPatch, QuestionWrite

api = ApiModule(tag="questions")


@api.get("/spaces/{slug}/questions", raises=(errors.SpaceNotFound,))
async def list_questions(call: Call, _: None) -> QuestionList:
    """The space's numbered discussion questions and participants' questions"""
    space, role = await call.visible_space()
    rows = await question_queries.list_questions(call.pool, space.id)
    return question_schemas.visible_questions(rows, call.viewer.user_id, roles.is_steward(role))


async def readable_question(call: Call) -> tuple[QuestionRow, Role]:
    """The question the path names, if the caller may read it, and their role in its space."""
    row = await question_queries.get_question(call.pool, call.path_id(errors.QuestionNotFound))
    if row is None:
        raise errors.QuestionNotFound()
    _space, role = await roles.visible_space_by_id(call.pool, call.viewer, row.space_id)
    # A question waiting for a moderator is the moderators' and its author's only.
    if not question_schemas.readable_by(row, call.viewer.user_id, roles.is_steward(role)):
        raise errors.QuestionNotFound()
    return row, role


@api.get("/questions/{id:int}", raises=(errors.QuestionNotFound,))
async def get_question(call: Call, _: None) -> Question:
    """One question"""
    row, role = await readable_question(call)
    return question_schemas.question(
        row, reveal=roles.is_steward(role), own=row.author_id == call.viewer.user_id
    )


@api.post(
    "/spaces/{slug}/questions",
    status=201,
    auth=USER,
    raises=(
        errors.SpaceNotFound,
        errors.ParticipantQuestionsNotAllowed,
        errors.InvalidPosition,
        errors.SpaceClosed,
    ),
    rate_limit="question",
)
async def post_question(call: Call, body: QuestionCreate) -> QuestionWrite:
    """Post a question: numbered (moderators) or a participant's own"""
    row, event = await question_actions.post_question(call.services, call.viewer, call.slug, body)
    return written(QuestionWrite, question_schemas.question(row), event)


@api.patch("/questions/{id:int}", auth=AUTHOR, raises=(errors.QuestionNotFound, errors.InvalidPosition))
async def patch_question(call: Call, body: QuestionPatch) -> QuestionWrite:
    """Edit, move (position), close or reopen (status) a question"""
    question_id = call.path_id(errors.QuestionNotFound)
    row, event = await question_actions.update_question(call.services, call.viewer, question_id, body)
    # The caller wrote it or moderates it: either may read an edit waiting for a moderator.
    return written(QuestionWrite, question_schemas.question(row, own=True), event)


@api.delete(
    "/questions/{id:int}",
    auth=AUTHOR,
    raises=(
        errors.QuestionNotFound,
        errors.NotAuthor,
        errors.QuestionDeleted,
        errors.AccountSuspended,
        errors.SpaceLocked,
    ),
)
async def delete_question(call: Call, _: None) -> QuestionWrite:
    """Delete one's own question (a tombstone stays; under review, its text stays for moderators)"""
    question_id = call.path_id(errors.QuestionNotFound)
    row, event = await question_moderation_actions.delete_own_question(
        call.services, call.viewer, question_id
    )
    return written(QuestionWrite, question_schemas.question(row), event)


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
