"""Comments: threads, posting, editing, deleting, supporting."""

from server import errors
from server.access import roles
from server.access.admission import ANYONE, AUTHOR, USER
from server.actions import comments as comment_actions
from server.api.call import Call
from server.api.declaring import ApiModule
from server.api.questions import readable_question
from server.api.routing import written
from server.queries import comments as comment_queries
from server.schemas import comments as comment_schemas
from server.schemas.comments import (
    THREAD_PATH_MAX_IDS,
    Comment,
    CommentCreate,
    CommentListQuery,
    CommentPage,
    CommentPatch,
    CommentWrite,
    Revision,
    RevisionList,
)
from server.schemas.common import decode_cursor, encode_cursor, from_row, page_of

api = ApiModule(tag="comments", auth=USER)


@api.get(
    "/questions/{id:int}/comments",
    query=CommentListQuery,
    auth=ANYONE,
    raises=(errors.QuestionNotFound, errors.InvalidCursor),
)
async def list_comments(call: Call, _: None) -> CommentPage:
    """A question's comments in thread order, a page at a time"""
    query = call.query(CommentListQuery)
    question, role = await readable_question(call)
    # A cursor is the path of the last comment given: a thread position, for the order it was read in.
    scope = f"comments.{query.order}"
    after = decode_cursor(query.cursor, scope, max_length=THREAD_PATH_MAX_IDS) if query.cursor else None
    rows = await comment_queries.list_thread_page(
        call.pool,
        question_id=question.id,
        viewer_id=call.viewer.user_id,
        sees_all_pending=roles.is_steward(role),
        newest_first=query.order == "newest",
        after_path=after,
        limit=query.limit + 1,
    )
    rows, more = page_of(rows, query.limit)
    return CommentPage(
        items=[comment_schemas.comment(r, reveal=roles.is_steward(role)) for r in rows],
        next_cursor=encode_cursor(scope, rows[-1].path) if more else None,
    )


@api.post(
    "/questions/{id:int}/comments",
    status=201,
    raises=(
        errors.QuestionNotFound,
        errors.QuestionClosed,
        errors.QuestionNotPublished,
        errors.SpaceClosed,
        errors.SpaceNotOpen,
        errors.NotInvited,
        errors.ParentNotFound,
        errors.ParentInOtherQuestion,
        errors.ParentNotReplyable,
        errors.UnsupportedLanguage,
        errors.TextTooLong,
    ),
    rate_limit="post",
)
async def post_comment(call: Call, body: CommentCreate) -> CommentWrite:
    """Comment, or reply with parent_id"""
    question_id = call.path_id(errors.QuestionNotFound)
    row, event = await comment_actions.post_comment(call.services, call.viewer, question_id, body)
    return written(CommentWrite, comment_schemas.comment(row), event)


@api.get("/comments/{id:int}", auth=ANYONE, raises=(errors.CommentNotFound,))
async def get_comment(call: Call, _: None) -> Comment:
    """One comment"""
    comment_id = call.path_id(errors.CommentNotFound)
    who = call.viewer
    row = await comment_actions.visible_comment(call.services, who, comment_id)
    moderates = await who.moderates(call.pool, row.space_id)
    return comment_schemas.comment(row, reveal=moderates, own=row.author_id == who.user_id)


@api.patch(
    "/comments/{id:int}",
    auth=AUTHOR,
    raises=(errors.CommentNotFound, errors.NotAuthor, errors.CommentDeleted),
    rate_limit="edit",
)
async def patch_comment(call: Call, body: CommentPatch) -> CommentWrite:
    """Edit one's own comment (earlier versions are kept)"""
    comment_id = call.path_id(errors.CommentNotFound)
    row, event = await comment_actions.edit_comment(call.services, call.viewer, comment_id, body)
    return written(CommentWrite, comment_schemas.comment(row, own=True), event)


@api.delete(
    "/comments/{id:int}",
    auth=AUTHOR,
    raises=(errors.CommentNotFound, errors.NotAuthor, errors.CommentDeleted),
)
async def delete_comment(call: Call, _: None) -> CommentWrite:
    """Delete one's own comment (leaves a tombstone)"""
    comment_id = call.path_id(errors.CommentNotFound)
    row, event = await comment_actions.delete_comment(call.services, call.viewer, comment_id)
    return written(CommentWrite, comment_schemas.comment(row), event)


@api.get("/comments/{id:int}/revisions", auth=AUTHOR, raises=(errors.CommentNotFound,))
async def list_revisions(call: Call, _: None) -> RevisionList:
    """Earlier versions of a comment (its author and moderators)"""
    comment_id = call.path_id(errors.CommentNotFound)
    svc = call.services
    who = call.viewer
    comment = await comment_actions.visible_comment(svc, who, comment_id)
    moderates = await who.moderates(svc.pool, comment.space_id)
    if comment.author_id != who.user_id and not moderates:
        raise errors.Forbidden("Only the author and the space's moderators see earlier versions.")
    rows = await comment_queries.list_revisions(svc.pool, comment.id)
    return RevisionList(
        items=[
            from_row(Revision, r, replaced_by_moderator=r.by_moderator)
            for r in rows
            # The version a moderator's edit replaced stays with the moderators.
            if moderates or not r.by_moderator
        ]
    )


@api.post(
    "/comments/{id:int}/support",
    raises=(errors.CommentNotFound, errors.CommentDeleted, errors.AlreadySupported, errors.OwnComment),
    rate_limit="support",
)
async def support(call: Call, _: None) -> Comment:
    """Support (+1) a comment"""
    return await _set_support(call, support=True)


@api.delete(
    "/comments/{id:int}/support",
    raises=(errors.CommentNotFound, errors.CommentDeleted, errors.NotSupported),
    rate_limit="support",
)
async def unsupport(call: Call, _: None) -> Comment:
    """Take back one's support"""
    return await _set_support(call, support=False)


async def _set_support(call: Call, *, support: bool) -> Comment:
    comment_id = call.path_id(errors.CommentNotFound)
    row = await comment_actions.set_support(call.services, call.viewer, comment_id, support=support)
    return comment_schemas.comment(row)


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
