"""Moderation of comments: decisions, moderators' edits, claims, held
participants and the moderators' queues."""

from server import errors
from server.access.admission import MODERATOR
from server.actions import holds as hold_actions
from server.actions import moderation as moderation_actions
from server.actions.question_moderation import question_queue
from server.api.call import Call
from server.api.declaring import ApiModule
from server.api.routing import STEWARD_ERRORS, written
from server.events import Event
from server.queries import flags as flag_queries
from server.queries import moderation as moderation_queries
from server.queries import spaces as space_queries
from server.queries.comments import CommentRow
from server.schemas import comments as comment_schemas
from server.schemas import common as common_schemas
from server.schemas import moderation as moderation_schemas
from server.schemas.comments import CommentWrite
from server.schemas.common import decode_cursor, encode_cursor, page_of
from server.schemas.moderation import (
    ClaimWrite,
    DecisionBody,
    HeldParticipantList,
    HeldParticipantWrite,
    HoldBody,
    ModeratorEditBody,
    QueueItem,
    QueuePage,
    QueueQuery,
)
from server.schemas.spaces import MemberChange

# What a moderator's action on a comment answers when the comment is gone or not theirs to moderate.
COMMENT_ERRORS: tuple[type[errors.AppError], ...] = (
    errors.CommentNotFound,
    errors.NotModerator,
    errors.CommentDeleted,
)
DECISION_ERRORS: tuple[type[errors.AppError], ...] = (
    *COMMENT_ERRORS,
    errors.AlreadyDecided,
    errors.ClaimedByOther,
    errors.ReasonRequired,
)

# Why a signed-in person may not write in a space now (server/access/roles.py, server/access/guards.py).
WRITE_ERRORS: tuple[type[errors.AppError], ...] = (
    errors.SpaceNotOpen,
    errors.SpaceClosed,
    errors.NotInvited,
    errors.AccountSuspended,
    errors.SpaceLocked,
    errors.Muted,
    errors.Banned,
)

# Why a flag on a comment or a participant's question is refused, once the target is found.
FLAG_ERRORS: tuple[type[errors.AppError], ...] = (
    errors.NotFlaggable,
    errors.AlreadyFlagged,
    errors.OwnComment,
    errors.FlagTextRequired,
    *WRITE_ERRORS,
)


api = ApiModule(tag="moderation", auth=MODERATOR)


def _comment_write(row: CommentRow, event: Event | None) -> CommentWrite:
    return written(CommentWrite, comment_schemas.comment(row, reveal=True), event)


@api.post("/comments/{id:int}/decisions", raises=(*DECISION_ERRORS, errors.NoOpenFlags))
async def decide(call: Call, body: DecisionBody) -> CommentWrite:
    """Decide on a comment: approve, reject, hide, restore, pin, mark as answer, dismiss flags"""
    comment_id = call.path_id(errors.CommentNotFound)
    row, events = await moderation_actions.decide(call.services, call.viewer, comment_id, body)
    return _comment_write(row, events[0])


@api.patch(
    "/comments/{id:int}/moderation", raises=(*DECISION_ERRORS, errors.UnsupportedLanguage, errors.TextTooLong)
)
async def edit_as_moderator(call: Call, body: ModeratorEditBody) -> CommentWrite:
    """Edit a comment as a moderator (the original stays, for moderators, as a revision)"""
    comment_id = call.path_id(errors.CommentNotFound)
    row, event = await moderation_actions.edit_as_moderator(call.services, call.viewer, comment_id, body)
    return _comment_write(row, event)


@api.post(
    "/comments/{id:int}/claim",
    raises=(*COMMENT_ERRORS, errors.ClaimedByOther),
)
async def claim(call: Call, _: None) -> ClaimWrite:
    """Claim a comment, so that other moderators leave it to you"""
    comment_id = call.path_id(errors.CommentNotFound)
    row, event = await moderation_actions.claim_comment(call.services, call.viewer, comment_id)
    return ClaimWrite(comment_id=comment_id, claim=moderation_schemas.claim_view(row), event_seq=event.seq)


@api.delete(
    "/comments/{id:int}/claim",
    raises=(*COMMENT_ERRORS, errors.NotClaimed, errors.ClaimedByOther),
)
async def release(call: Call, _: None) -> ClaimWrite:
    """Release one's claim on a comment"""
    comment_id = call.path_id(errors.CommentNotFound)
    event = await moderation_actions.release_claim(call.services, call.viewer, comment_id)
    return ClaimWrite(comment_id=comment_id, claim=None, event_seq=event.seq)


@api.get(
    "/spaces/{slug}/queue",
    query=QueueQuery,
    raises=(*STEWARD_ERRORS, errors.InvalidCursor, errors.InvalidQuery),
)
async def queue(call: Call, _: None) -> QueuePage:
    """A moderation queue (pending, flagged, recent or removed), a page at a time, with counts

    Items and counts are read in one consistent moment, that of `seq`."""
    query = call.query(QueueQuery)
    svc = call.services
    admitted = call.moderated_space
    scope = f"queue.{query.kind}"
    after = decode_cursor(query.cursor, scope)[0] if query.cursor else None
    async with svc.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        # Read again inside the snapshot: its `event_seq` is the moment the page shows.
        space = await space_queries.get_space(conn, admitted.id)
        assert space is not None
        rows = await moderation_queries.list_queue(
            conn,
            space_id=space.id,
            kind=query.kind,
            recent_secs=svc.settings.queue_recent_secs,
            question_id=query.question_id,
            lang=query.lang,
            after_id=after,
            limit=query.limit + 1,
        )
        rows, more = page_of(rows, query.limit)
        ids = [r.id for r in rows]
        flags = await flag_queries.summarise_open_flags(conn, ids, svc.settings.flag_min_account_age_secs)
        claims = await moderation_queries.list_active_claims(conn, ids)
        counts = await moderation_actions.queue_counts(conn, space.id, svc.settings)
        # Participants' questions are few: the first page carries all of the queue's.
        first_page = query.cursor is None and query.question_id is None and query.lang is None
        questions = await question_queue(conn, space.id, query.kind, svc.settings) if first_page else []
    return QueuePage(
        items=[
            QueueItem(
                comment=comment_schemas.comment(r, personal=False, reveal=True),
                flags=moderation_schemas.flag_summary(flags[r.id]),
                claim=moderation_schemas.claim_view(claims[r.id]) if r.id in claims else None,
            )
            for r in rows
        ],
        questions=questions,
        next_cursor=encode_cursor(scope, [rows[-1].id]) if more else None,
        counts=counts,
        seq=space.event_seq,
    )


@api.get("/spaces/{slug}/held-participants", raises=STEWARD_ERRORS)
async def list_held(call: Call, _: None) -> HeldParticipantList:
    """Participants whose comments are always held for review"""
    rows = await hold_actions.list_held(call.services, call.viewer, call.slug)
    return HeldParticipantList(items=[moderation_schemas.held_participant(r) for r in rows])


@api.put(
    "/spaces/{slug}/held-participants/{user_id:int}",
    raises=(
        *STEWARD_ERRORS,
        errors.UserNotFound,
        errors.UserIsModerator,
        errors.ReasonRequired,
    ),
)
async def hold(call: Call, body: HoldBody) -> HeldParticipantWrite:
    """Hold a participant's comments for review, even under post-moderation"""
    user_id = call.path_id(errors.UserNotFound, "user_id")
    row, event = await hold_actions.hold_participant(call.services, call.viewer, call.slug, user_id, body)
    return written(HeldParticipantWrite, moderation_schemas.held_participant(row), event)


@api.delete(
    "/spaces/{slug}/held-participants/{user_id:int}",
    raises=(*STEWARD_ERRORS, errors.UserNotFound, errors.NotHeld),
)
async def lift_hold(call: Call, _: None) -> MemberChange:
    """Stop holding a participant's comments"""
    user_id = call.path_id(errors.UserNotFound, "user_id")
    user, event = await hold_actions.lift_hold(call.services, call.viewer, call.slug, user_id)
    return MemberChange(space=call.slug, user=common_schemas.user_summary(user), event_seq=event.seq)


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
