"""Posting, editing and deleting comments, and supporting them."""

from server import errors
from server.access import guards, roles
from server.access.identity import Viewer
from server.actions import pending_edits
from server.actions import spotlight as spotlight_actions
from server.actions.audit import audited, record_delete_under_review
from server.actions.mentions import render_with_mentions
from server.actions.questions import visible_question
from server.events import Event, payload, record_event
from server.insight.comment_languages import detect_comment_languages
from server.queries import Executor
from server.queries import comments as comment_queries
from server.queries import languages as language_queries
from server.queries import moderation as moderation_queries
from server.queries import questions as question_queries
from server.queries import spaces as space_queries
from server.queries import statistics as statistics_queries
from server.queries.comments import CommentRow
from server.queries.spaces import SpaceRow
from server.running.services import Services
from server.running.settings import Settings
from server.schemas import comments as comment_schemas
from server.schemas.audit import AuditEntry
from server.schemas.comments import CommentCreate, CommentPatch
from server.schemas.common import Role


async def _comment_event(
    db: Executor,
    space: SpaceRow,
    comment_id: int,
    type_: str,
    settings: Settings,
    audit: AuditEntry | None = None,
    *,
    private: bool = False,
) -> tuple[CommentRow, Event]:
    """The event of an author's change; `private` ones (an edit waiting for a
    moderator) go to the moderators and the author only."""
    row = await comment_queries.get_comment(db, comment_id, None)
    assert row is not None
    data = payload(comment=comment_schemas.comment(row, personal=False))
    # Moderators read what the public may not: evidence an author deleted.
    for_moderators = payload(comment=comment_schemas.comment(row, personal=False, reveal=True))
    own = payload(comment=comment_schemas.comment(row, personal=False, own=True))
    if audit is not None:
        for_moderators = audited(for_moderators, audit)
    # Moderators' consoles keep their queue counts from the latest event.
    counts = await moderation_queries.count_queues(db, space.id, settings.queue_recent_secs)
    queue = {"queue": {"pending": counts.pending, "flagged": counts.flagged, "recent": counts.recent}}
    # Pending comments (pre-moderation) and anything in a draft space stay
    # with the moderators, and the author, who sees their comment waiting.
    public = None if private or row.status == "pending" or space.status == "draft" else data
    personal = own if public is None else None
    event = await record_event(
        db,
        space.id,
        type_,
        public=public,
        moderators=for_moderators | queue,
        recipient_id=row.author_id if personal else None,
        personal=personal,
    )
    return row, event


async def post_comment(
    services: Services, viewer: Viewer, question_id: int, body: CommentCreate
) -> tuple[CommentRow, Event]:
    async with services.pool.acquire() as conn, conn.transaction():
        # Everything that needs no lock comes first: the space's row lock
        # serialises every writer of the space, so it is held for the few
        # statements that must see the space as it is at commit.
        question, space, role = await visible_question(conn, viewer, question_id)
        author_id = await roles.check_may_post(conn, viewer, space, role)
        assert viewer.user is not None
        lang = body.lang or viewer.user.language
        if lang not in space.languages:
            raise errors.UnsupportedLanguage(details={"accepted": space.languages})
        parent_path = None
        if body.parent_id is not None:
            parent = await comment_queries.get_comment(conn, body.parent_id, author_id)
            if parent is None or (
                parent.status == "pending" and parent.author_id != author_id and not roles.is_steward(role)
            ):
                raise errors.ParentNotFound()
            if parent.question_id != question.id:
                raise errors.ParentInOtherQuestion()
            if parent.status not in ("published", "pending"):
                raise errors.ParentNotReplyable()
            parent_path = parent.path
        html, mentioned = await render_with_mentions(conn, body.body)
        detected = await detect_comment_languages(body.body, space.languages)
        steward = roles.is_steward(role)
        always_held = not steward and await moderation_queries.is_held(conn, space.id, author_id)

        space = await space_queries.lock_space(conn, space.id)
        roles.check_accepting_input(space)
        await guards.check_may_comment(conn, viewer, space, question)
        held = always_held or (space.moderation == "pre" and not steward)
        comment_id = await comment_queries.insert_comment(
            conn,
            space_id=space.id,
            question_id=question.id,
            parent_path=parent_path,
            author_id=author_id,
            lang=lang,
            body=body.body,
            body_html=html,
            status="pending" if held else "published",
            quoting=body.quoting or viewer.user.quoting,
        )
        await comment_queries.add_mentions(conn, comment_id, mentioned)
        await language_queries.set_detected_languages(
            conn, comment_id, detected, declared=body.lang is not None
        )
        row, event = await _comment_event(conn, space, comment_id, "comment.created", services.settings)
    await services.publish(event)
    services.comments_written.set()  # wakes the themes keeper (server/insight/keeper.py)
    return row, event


async def _own_comment(
    db: Executor, viewer: Viewer, comment_id: int, *, posting: bool = False
) -> tuple[CommentRow, SpaceRow]:
    """The viewer's own comment, locked for change, with its (locked) space.

    `posting` (an edit) asks for the right to post there now, as a new comment
    would: the same refusals, in the same order, with the same codes.
    """
    user_id = roles.require_user(viewer)
    comment = await comment_queries.get_comment(db, comment_id, user_id)
    if comment is None:
        raise errors.CommentNotFound()
    space, role = await roles.visible_space_by_id(db, viewer, comment.space_id)
    if comment.author_id != user_id:
        raise errors.NotAuthor("Only the author may change this comment.")
    if posting and comment.status != "deleted":
        await roles.check_may_post(db, viewer, space, role)
    return await lock_comment_for_change(db, space.id, comment_id, user_id)


async def lock_comment_for_change(
    db: Executor, space_id: int, comment_id: int, viewer_id: int | None
) -> tuple[CommentRow, SpaceRow]:
    """Lock the space, then the comment (the order every writer takes), and re-read the
    comment under its lock, as `viewer_id` sees it; a deleted comment changes no more."""
    space = await space_queries.lock_space(db, space_id)
    await comment_queries.lock_comment(db, comment_id)
    comment = await comment_queries.get_comment(db, comment_id, viewer_id)
    assert comment is not None
    if comment.status == "deleted":
        raise errors.CommentDeleted()
    return comment, space


async def edit_comment(
    services: Services, viewer: Viewer, comment_id: int, body: CommentPatch
) -> tuple[CommentRow, Event | None]:
    """The author edits; the previous version is kept as a revision.

    Under pre-moderation, or for a held participant, the edit of a published
    comment waits for a moderator instead (server/actions/pending_edits.py).
    """
    async with services.pool.acquire() as conn, conn.transaction():
        comment, space = await _own_comment(conn, viewer, comment_id, posting=True)
        roles.check_accepting_input(space)
        await guards.check_may_write(conn, viewer, space)
        if comment.status in ("hidden", "rejected"):
            raise errors.Forbidden("A comment removed by a moderator cannot be edited.")
        question = await question_queries.get_question(conn, comment.question_id)
        assert question is not None
        await guards.check_question_window(conn, question)
        lang = body.lang or comment.lang
        if lang not in space.languages:
            raise errors.UnsupportedLanguage(details={"accepted": space.languages})
        text = body.body if body.body is not None else comment.body
        if (text, lang) == (comment.body, comment.lang) and comment.edit_submitted_at is None:
            return comment, None
        html, mentioned = await render_with_mentions(conn, text)
        steward = await viewer.moderates(conn, space.id)
        if await pending_edits.edit_waits(conn, space, comment, steward=steward):
            await comment_queries.set_pending_edit(conn, comment.id, lang, text, html)
            row, event = await _comment_event(
                conn, space, comment.id, "comment.edit_submitted", services.settings, private=True
            )
        else:
            await comment_queries.clear_pending_edit(conn, comment.id)
            if (text, lang) != (comment.body, comment.lang):
                await comment_queries.insert_revision(
                    conn, comment.id, comment.body, comment.lang, comment.edited_at or comment.created_at
                )
                await comment_queries.update_comment_body(conn, comment.id, lang, text, html)
                await comment_queries.replace_mentions(conn, comment.id, mentioned)
                await language_queries.set_detected_languages(
                    conn,
                    comment.id,
                    await detect_comment_languages(text, space.languages),
                    declared=comment.lang_declared or body.lang is not None,
                )
            row, event = await _comment_event(conn, space, comment.id, "comment.edited", services.settings)
    await services.publish(event)
    services.comments_written.set()  # wakes the themes keeper (server/insight/keeper.py)
    return await _as_seen_by(services, viewer, row), event


async def delete_comment(services: Services, viewer: Viewer, comment_id: int) -> tuple[CommentRow, Event]:
    """The author deletes: a tombstone keeps the thread's shape and its replies.

    The text and its earlier versions are erased, as the author asked, unless
    the comment is under review (pending, flagged, hidden or rejected): then
    deleting must not destroy the evidence, so the text and its revisions stay
    for moderators, and the audit log records the deletion with the text.
    """
    async with services.pool.acquire() as conn, conn.transaction():
        comment, space = await _own_comment(conn, viewer, comment_id)
        await guards.check_may_write(conn, viewer, space, withdrawing=True)
        audit = await record_delete_under_review(
            conn, viewer, space.id, "comment", comment.id, comment.status, {"body": comment.body}
        )
        await comment_queries.mark_comment_deleted(conn, comment.id, keep_evidence=audit is not None)
        if audit is None:
            await comment_queries.delete_revisions(conn, comment.id)
        await comment_queries.replace_mentions(conn, comment.id, [])
        row, event = await _comment_event(
            conn, space, comment.id, "comment.deleted", services.settings, audit
        )
        # Screens drop it in the same transaction.
        dropped = await spotlight_actions.drop_comment(conn, space, comment.id, "comment.deleted")
    await services.publish(event, *([dropped] if dropped else []))
    return await _as_seen_by(services, viewer, row), event


async def _as_seen_by(services: Services, viewer: Viewer, row: CommentRow) -> CommentRow:
    seen = await comment_queries.get_comment(services.pool, row.id, viewer.user_id)
    assert seen is not None
    return seen


async def set_support(services: Services, viewer: Viewer, comment_id: int, *, support: bool) -> CommentRow:
    """Add or take back the viewer's +1.

    Support counts are ephemeral signals (see DESIGN.md): they change too often
    to be sequenced events; the count lives on the comment row.
    """
    user_id = roles.require_user(viewer)
    async with services.pool.acquire() as conn, conn.transaction():
        comment, space, role = await find_visible_comment(conn, viewer, comment_id)
        await roles.check_may_post(conn, viewer, space, role)
        if comment.status == "deleted":
            raise errors.CommentDeleted()
        if comment.status != "published":
            raise errors.Forbidden("Only published comments can be supported.")
        if support and comment.author_id == user_id:
            raise errors.OwnComment()
        changed = await (
            comment_queries.insert_support(conn, comment.id, user_id)
            if support
            else comment_queries.delete_support(conn, comment.id, user_id)
        )
        if changed is None:
            raise errors.AlreadySupported() if support else errors.NotSupported()
        await statistics_queries.count_support_change(conn, space.id)
        row = await comment_queries.get_comment(conn, comment.id, user_id)
        assert row is not None
    return row


async def visible_comment(services: Services, viewer: Viewer, comment_id: int) -> CommentRow:
    comment, _, _ = await find_visible_comment(services.pool, viewer, comment_id)
    return comment


async def find_visible_comment(
    db: Executor, viewer: Viewer, comment_id: int
) -> tuple[CommentRow, SpaceRow, Role]:
    """The comment, its space and the viewer's role there. A comment waiting for
    moderation is not found but by its author and the space's moderators."""
    comment = await comment_queries.get_comment(db, comment_id, viewer.user_id)
    if comment is None:
        raise errors.CommentNotFound()
    space, role = await roles.visible_space_by_id(db, viewer, comment.space_id)
    if comment.status == "pending" and not roles.is_steward(role) and comment.author_id != viewer.user_id:
        raise errors.CommentNotFound()
    return comment, space, role
