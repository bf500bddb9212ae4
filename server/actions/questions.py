"""Posting, editing, moving, scheduling, closing and reopening questions.

What moderators do to questions is moderation: each change records one audit
entry, carried in its event's moderators payload. The scheduler opens and
closes questions at their times (server/actions/schedule.py) through
`question_event` too, with no actor.
"""

from datetime import UTC, datetime
from typing import Any

from server import errors
from server.access import guards, roles
from server.access.identity import Viewer
from server.actions import question_edits
from server.actions.audit import audited, record_audit
from server.events import Event, payload, record_event
from server.queries import Executor
from server.queries import moderation as moderation_queries
from server.queries import question_moderation as question_moderation_queries
from server.queries import questions as question_queries
from server.queries import spaces as space_queries
from server.queries.questions import QuestionRow
from server.queries.spaces import SpaceRow
from server.render import render_document
from server.running.services import Services
from server.schemas import questions as question_schemas
from server.schemas.common import Role
from server.schemas.questions import QuestionCreate, QuestionPatch

# The audit log's name for what each event records.
AUDIT_ACTIONS = {
    "question.created": "question.post",
    "question.updated": "question.edit",
    "question.moved": "question.move",
    "question.scheduled": "question.schedule",
    "question.opened": "question.open",
    "question.closed": "question.close",
    "question.reopened": "question.reopen",
    "question.slow_mode_changed": "question.slow_mode",
}


async def visible_question(
    db: Executor, viewer: Viewer, question_id: int
) -> tuple[QuestionRow, SpaceRow, Role]:
    """The question, its space and the viewer's role there; not found where the viewer may not see it."""
    question = await question_queries.get_question(db, question_id)
    if question is None:
        raise errors.QuestionNotFound()
    space, role = await roles.visible_space_by_id(db, viewer, question.space_id)
    return question, space, role


async def lock_question_for_change(
    db: Executor, space_id: int, question_id: int
) -> tuple[QuestionRow, SpaceRow]:
    """Lock the space, then re-read the question under that lock: a concurrent move may have shifted it."""
    space = await space_queries.lock_space(db, space_id)
    question = await question_queries.get_question(db, question_id)
    assert question is not None
    return question, space


async def question_event(
    db: Executor,
    space: SpaceRow,
    question_id: int,
    type_: str,
    *,
    audit: bool = False,
    actor: Viewer | None = None,
    reason: str | None = None,
    note: str = "",
    details: dict[str, Any] | None = None,
    private: bool = False,
) -> tuple[QuestionRow, Event]:
    """Record the question's event; with `audit`, its audit entry too (actor None: Roundtable).
    A `private` one (an edit waiting for a moderator) goes to the moderators and the author only."""
    row = await question_queries.get_question(db, question_id)
    assert row is not None
    data = payload(question=question_schemas.question(row))
    own = payload(question=question_schemas.question(row, own=True))
    revealed = payload(question=question_schemas.question(row, reveal=True))
    if type_ in ("question.created", "question.moved") and row.kind == "discussion":
        # Moving one question renumbers others: carry the whole new order.
        data["order"] = [
            q.id for q in await question_queries.list_questions(db, space.id) if q.kind == "discussion"
        ]
    moderators = revealed
    if audit:
        entry = await record_audit(
            db,
            space.id,
            actor,
            AUDIT_ACTIONS[type_],
            "question",
            row.id,
            reason=reason,
            note=note,
            details=details,
        )
        moderators = audited(revealed, entry)
    # A participant's question waiting for a moderator (or removed) stays with
    # the moderators and its author, who sees it waiting.
    public = None if private or space.status == "draft" or row.visibility != "published" else data
    personal = own if public is None and (private or row.visibility == "pending") else None
    event = await record_event(
        db,
        space.id,
        type_,
        public=public,
        moderators=moderators,
        recipient_id=row.author_id if personal else None,
        personal=personal,
    )
    return row, event


def _check_times(opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> None:
    """Times a moderator sets lie ahead; to open or close now, they send a status."""
    for name, value in (("opens_at", opens_at), ("closes_at", closes_at)):
        if value is not None and value <= now:
            raise errors.InvalidBody(
                f"{name} must be in the future; to open or close a question now, send its status.",
                details=[{"loc": [name], "msg": "must be in the future"}],
            )


async def post_question(
    services: Services, viewer: Viewer, slug: str, body: QuestionCreate
) -> tuple[QuestionRow, Event]:
    """Moderators post numbered discussion questions, open now or at `opens_at`;
    participants, where the space allows it, pose their own (unnumbered) ones."""
    now = datetime.now(UTC)
    async with services.pool.acquire() as conn, conn.transaction():
        space, role = await roles.visible_space(conn, viewer, slug)
        author_id = roles.require_user(viewer)
        steward = roles.is_steward(role)
        if not steward and (body.opens_at or body.closes_at):
            raise errors.Forbidden("Only moderators schedule questions.")
        _check_times(body.opens_at, body.closes_at, now)
        if body.opens_at and body.closes_at and body.closes_at <= body.opens_at:
            raise errors.InvalidBody("closes_at must be after opens_at.")
        space = await space_queries.lock_space(conn, space.id)
        visibility = "published"
        if steward:
            await guards.check_may_write(conn, viewer, space)
            guards.check_steward_may_post(space, now)
            kind = "discussion"
            count = await question_queries.count_discussion_questions(conn, space.id)
            position = count + 1 if body.position is None else body.position
            if position > count + 1:
                raise errors.InvalidPosition(details={"max": count + 1})
            await question_queries.shift_positions(conn, space.id, position, count, 1)
        else:
            if not space.allow_participant_questions:
                raise errors.ParticipantQuestionsNotAllowed()
            await roles.check_may_post(conn, viewer, space, role)
            if body.position is not None:
                raise errors.Forbidden("Only moderators place numbered questions.")
            await guards.check_question_slow_mode(conn, viewer, space, now)
            kind, position = "participant", None
            # Moderated as a comment is: it waits under pre-moderation or a hold.
            held = await moderation_queries.is_held(conn, space.id, author_id)
            if held or space.moderation == "pre":
                visibility = "pending"
        question_id = await question_queries.insert_question(
            conn,
            space_id=space.id,
            kind=kind,
            position=position,
            title=body.title,
            body=body.body,
            body_html=render_document(body.body),
            author_id=author_id,
            status="scheduled" if body.opens_at else "open",
            opens_at=body.opens_at,
            closes_at=body.closes_at,
            visibility=visibility,
        )
        row, event = await question_event(
            conn,
            space,
            question_id,
            "question.created",
            audit=steward,
            actor=viewer,
            details={
                "position": position,
                "opens_at": _iso(body.opens_at),
                "closes_at": _iso(body.closes_at),
            },
        )
    await services.publish(event)
    return row, event


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _event_type(before: str, after: str, moved: bool) -> str:
    if before != after:
        if after == "scheduled":
            return "question.scheduled"
        if after == "closed":
            return "question.closed"
        return "question.opened" if before == "scheduled" else "question.reopened"
    return "question.moved" if moved else "question.updated"


def _schedule(
    question: QuestionRow, body: QuestionPatch, sent: set[str], now: datetime
) -> tuple[str, datetime | None, datetime | None]:
    """The question's status, opens_at and closes_at after this change."""
    if "status" in sent and "opens_at" in sent:
        raise errors.InvalidBody("Send either status (now) or opens_at (later), not both.")
    _check_times(
        body.opens_at if "opens_at" in sent else None, body.closes_at if "closes_at" in sent else None, now
    )
    opens_at = body.opens_at if "opens_at" in sent else question.opens_at
    closes_at = body.closes_at if "closes_at" in sent else question.closes_at
    status = question.status
    if body.status == "open":
        status = "open"
        if opens_at is not None and opens_at > now:
            opens_at = None  # opened now, not at the time it was scheduled for
        if closes_at is not None and closes_at <= now:
            closes_at = None  # reopened after its closing time: no longer due to close
    elif body.status == "closed":
        status = "closed"
        if question.status == "scheduled":
            opens_at = None
    elif "opens_at" in sent:
        # A future opening schedules the question (a closed one reopens then);
        # clearing it opens a scheduled question now.
        if opens_at is not None:
            status = "scheduled"
        elif question.status == "scheduled":
            status = "open"
    if opens_at and closes_at and closes_at <= opens_at:
        raise errors.InvalidBody("closes_at must be after opens_at.")
    return status, opens_at, closes_at


async def _move(db: Executor, space: SpaceRow, question: QuestionRow, position: int | None) -> int | None:
    """Make room for the question at `position` (None: where it is); return its position."""
    if position is None or position == question.position:
        return question.position
    assert question.position is not None
    count = await question_queries.count_discussion_questions(db, space.id)
    if position > count:
        raise errors.InvalidPosition(details={"max": count})
    if position < question.position:
        await question_queries.shift_positions(db, space.id, position, question.position - 1, 1)
    else:
        await question_queries.shift_positions(db, space.id, question.position + 1, position, -1)
    return position


async def update_question(
    services: Services, viewer: Viewer, question_id: int, body: QuestionPatch
) -> tuple[QuestionRow, Event | None]:
    """Stewards change anything; a participant may edit the title and body of their own,
    with the right to pose it anew. Under pre-moderation, or for a held participant, that
    edit of a published question waits for a moderator (server/actions/question_edits.py)."""
    sent = set(body.model_fields_set)
    async with services.pool.acquire() as conn, conn.transaction():
        question, space, role = await visible_question(conn, viewer, question_id)
        roles.require_user(viewer)
        steward = roles.is_steward(role)
        if not steward:
            if question.author_id != viewer.user_id or question.kind != "participant":
                raise errors.Forbidden("Only this space's moderators may change this question.")
            if sent & {"position", "status", "opens_at", "closes_at", "closing_remark"}:
                raise errors.Forbidden("Only moderators move, schedule, close or reopen questions.")
            if question.visibility in ("hidden", "rejected"):
                raise errors.Forbidden("A question removed by a moderator cannot be edited.")
            if question.visibility != "deleted":
                if not space.allow_participant_questions:
                    raise errors.ParticipantQuestionsNotAllowed()
                await roles.check_may_post(conn, viewer, space, role)
        if question.visibility == "deleted":
            raise errors.QuestionDeleted()
        if "position" in sent and question.kind != "discussion":
            raise errors.InvalidPosition("Only discussion questions are numbered.")
        question, space = await lock_question_for_change(conn, space.id, question_id)
        await guards.check_may_write(conn, viewer, space)
        if not steward and await question_edits.edit_waits(conn, space, question):
            row, event = await _submit_edit(conn, space, question, body)
        else:
            if not steward and question.edit_submitted_at is not None:
                await question_moderation_queries.clear_question_pending_edit(conn, question.id)
            row, event = await _change(conn, viewer, space, question, body, sent, steward=steward)
    if event is not None:
        await services.publish(event)
    return row, event


async def _submit_edit(
    db: Executor, space: SpaceRow, question: QuestionRow, body: QuestionPatch
) -> tuple[QuestionRow, Event | None]:
    """Keep a participant's edit for a moderator; what was sent replaces what waits."""
    title = body.title if body.title is not None else question.edit_title or question.title
    text = body.body if body.body is not None else question.edit_body or question.body
    if (title, text) == (question.title, question.body) and question.edit_submitted_at is None:
        return question, None
    await question_edits.submit_edit(db, question, title, text)
    return await question_event(db, space, question.id, "question.edit_submitted", private=True)


async def _change(
    db: Executor,
    viewer: Viewer,
    space: SpaceRow,
    question: QuestionRow,
    body: QuestionPatch,
    sent: set[str],
    *,
    steward: bool,
) -> tuple[QuestionRow, Event | None]:
    """Write the change to the locked question and its event (none if nothing changed)."""
    now = datetime.now(UTC)
    position = await _move(db, space, question, body.position)
    title = body.title if body.title is not None else question.title
    text = body.body if body.body is not None else question.body
    remark = body.closing_remark if body.closing_remark is not None else question.closing_remark
    status, opens_at, closes_at = _schedule(question, body, sent, now)
    before = {
        "title": question.title,
        "body": question.body,
        "position": question.position,
        "status": question.status,
        "opens_at": question.opens_at,
        "closes_at": question.closes_at,
        "closing_remark": question.closing_remark,
    }
    after = {
        "title": title,
        "body": text,
        "position": position,
        "status": status,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "closing_remark": remark,
    }
    changed = [name for name in before if before[name] != after[name]]
    if not changed:
        return question, None
    await question_queries.update_question(
        db,
        question.id,
        title=title,
        body=text,
        body_html=render_document(text),
        position=position,
        status=status,
        opens_at=opens_at,
        closes_at=closes_at,
        closing_remark=remark,
        closing_remark_html=render_document(remark),
    )
    details: dict[str, Any] = {"changed": changed}
    for name in ("position", "status", "opens_at", "closes_at"):
        if name in changed:
            old, new = before[name], after[name]
            details[name] = {
                "from": old.isoformat() if isinstance(old, datetime) else old,
                "to": new.isoformat() if isinstance(new, datetime) else new,
            }
    return await question_event(
        db,
        space,
        question.id,
        _event_type(question.status, status, position != question.position),
        audit=steward,
        actor=viewer,
        details=details,
    )
