"""Posting, editing, moving, closing and reopening questions."""

from server import access, errors, views
from server.auth import Viewer
from server.events import Event, payload, record_event
from server.models import QuestionCreate, QuestionPatch
from server.queries import Executor
from server.queries import questions as question_queries
from server.queries import spaces as space_queries
from server.queries.questions import QuestionRow
from server.queries.spaces import SpaceRow
from server.render import render_document
from server.services import Services


async def _question_event(
    db: Executor, space: SpaceRow, question_id: int, type_: str
) -> tuple[QuestionRow, Event]:
    row = await question_queries.get_question(db, question_id)
    assert row is not None
    data = payload(question=views.question(row))
    if type_ in ("question.created", "question.moved") and row.kind == "discussion":
        # Moving one question renumbers others: carry the whole new order.
        data["order"] = [
            q.id for q in await question_queries.list_questions(db, space.id) if q.kind == "discussion"
        ]
    event = await record_event(
        db, space.id, type_, public=None if space.status == "draft" else data, moderators=data
    )
    return row, event


async def post_question(
    services: Services, viewer: Viewer, slug: str, body: QuestionCreate
) -> tuple[QuestionRow, Event]:
    """Moderators post numbered discussion questions; participants, where the space
    allows it, pose their own (unnumbered) ones."""
    async with services.pool.acquire() as conn, conn.transaction():
        space, role = await access.visible_space(conn, viewer, slug)
        author_id = access.require_user(viewer)
        space = await space_queries.lock_space(conn, space.id)
        if access.is_steward(role):
            kind = "discussion"
            count = await question_queries.count_discussion_questions(conn, space.id)
            position = count + 1 if body.position is None else body.position
            if position > count + 1:
                raise errors.InvalidPosition(details={"max": count + 1})
            await question_queries.shift_positions(conn, space.id, position, count, 1)
        else:
            if not space.allow_participant_questions:
                raise errors.ParticipantQuestionsNotAllowed()
            await access.check_may_post(conn, viewer, space, role)
            if body.position is not None:
                raise errors.Forbidden("Only moderators place numbered questions.")
            kind, position = "participant", None
        question_id = await question_queries.insert_question(
            conn,
            space_id=space.id,
            kind=kind,
            position=position,
            title=body.title,
            body=body.body,
            body_html=render_document(body.body),
            author_id=author_id,
        )
        row, event = await _question_event(conn, space, question_id, "question.created")
    await services.publish(event)
    return row, event


def _event_type(before: QuestionRow, after_status: str, moved: bool) -> str:
    if before.status != after_status:
        return "question.closed" if after_status == "closed" else "question.reopened"
    return "question.moved" if moved else "question.updated"


async def update_question(
    services: Services, viewer: Viewer, question_id: int, body: QuestionPatch
) -> tuple[QuestionRow, Event | None]:
    """Stewards change anything; a participant may edit the title and body of their own."""
    sent = body.model_fields_set
    for field in sent:
        if getattr(body, field) is None:
            raise errors.InvalidBody(f"{field} cannot be null.", details=[{"loc": [field]}])
    async with services.pool.acquire() as conn, conn.transaction():
        question = await question_queries.get_question(conn, question_id)
        if question is None:
            raise errors.QuestionNotFound()
        space, role = await access.visible_space_by_id(conn, viewer, question.space_id)
        access.require_user(viewer)
        if not access.is_steward(role):
            if question.author_id != viewer.user_id or question.kind != "participant":
                raise errors.Forbidden("Only this space's moderators may change this question.")
            if sent & {"position", "status"}:
                raise errors.Forbidden("Only moderators move, close or reopen questions.")
            access.check_accepting_input(space)
        if "position" in sent and question.kind != "discussion":
            raise errors.InvalidPosition("Only discussion questions are numbered.")
        space = await space_queries.lock_space(conn, space.id)
        # Re-read under the space lock: a concurrent move may have shifted it.
        question = await question_queries.get_question(conn, question_id)
        assert question is not None
        position = question.position
        if body.position is not None and body.position != question.position:
            assert question.position is not None
            count = await question_queries.count_discussion_questions(conn, space.id)
            if body.position > count:
                raise errors.InvalidPosition(details={"max": count})
            if body.position < question.position:
                await question_queries.shift_positions(
                    conn, space.id, body.position, question.position - 1, 1
                )
            else:
                await question_queries.shift_positions(
                    conn, space.id, question.position + 1, body.position, -1
                )
            position = body.position
        title = body.title if body.title is not None else question.title
        text = body.body if body.body is not None else question.body
        status = body.status or question.status
        if (title, text, position, status) == (
            question.title,
            question.body,
            question.position,
            question.status,
        ):
            return question, None
        await question_queries.update_question(
            conn,
            question.id,
            title=title,
            body=text,
            body_html=render_document(text),
            position=position,
            status=status,
        )
        row, event = await _question_event(
            conn, space, question.id, _event_type(question, status, position != question.position)
        )
    await services.publish(event)
    return row, event
