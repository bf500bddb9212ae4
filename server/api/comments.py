"""Comments: threads, posting, editing, deleting, supporting."""

import base64
import binascii

import orjson
from starlette.requests import Request

from server import errors, views
from server.access import roles
from server.actions import comments as comment_actions
from server.api.routing import Api, parse_query, path_id, services, viewer
from server.models import (
    Comment,
    CommentCreate,
    CommentListQuery,
    CommentPage,
    CommentPatch,
    CommentWrite,
    Revision,
    RevisionList,
)
from server.queries import comments as comment_queries
from server.queries import questions as question_queries
from server.queries.comments import CommentRow


def register_routes(api: Api) -> None:
    api.route(
        "GET",
        "/questions/{id:int}/comments",
        summary="A question's comments in thread order, a page at a time",
        tag="comments",
        query=CommentListQuery,
        response=CommentPage,
        raises=(errors.QuestionNotFound, errors.InvalidCursor),
    )(list_comments)
    api.route(
        "POST",
        "/questions/{id:int}/comments",
        summary="Comment, or reply with parent_id",
        tag="comments",
        body=CommentCreate,
        response=CommentWrite,
        status=201,
        auth="user",
        raises=(
            errors.QuestionNotFound,
            errors.QuestionClosed,
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
    )(post_comment)
    api.route(
        "GET",
        "/comments/{id:int}",
        summary="One comment",
        tag="comments",
        response=Comment,
        raises=(errors.CommentNotFound,),
    )(get_comment)
    api.route(
        "PATCH",
        "/comments/{id:int}",
        summary="Edit one's own comment (earlier versions are kept)",
        tag="comments",
        body=CommentPatch,
        response=CommentWrite,
        auth="author",
        raises=(errors.CommentNotFound, errors.NotAuthor, errors.CommentDeleted),
        rate_limit="edit",
    )(patch_comment)
    api.route(
        "DELETE",
        "/comments/{id:int}",
        summary="Delete one's own comment (leaves a tombstone)",
        tag="comments",
        response=CommentWrite,
        auth="author",
        raises=(errors.CommentNotFound, errors.NotAuthor, errors.CommentDeleted),
    )(delete_comment)
    api.route(
        "GET",
        "/comments/{id:int}/revisions",
        summary="Earlier versions of a comment (its author and moderators)",
        tag="comments",
        response=RevisionList,
        auth="author",
    )(list_revisions)
    api.route(
        "POST",
        "/comments/{id:int}/support",
        summary="Support (+1) a comment",
        tag="comments",
        response=Comment,
        auth="user",
        raises=(errors.AlreadySupported, errors.OwnComment),
        rate_limit="support",
    )(support)
    api.route(
        "DELETE",
        "/comments/{id:int}/support",
        summary="Take back one's support",
        tag="comments",
        response=Comment,
        auth="user",
        raises=(errors.NotSupported,),
        rate_limit="support",
    )(unsupport)


def encode_cursor(row: CommentRow, order: str) -> str:
    raw = orjson.dumps({"o": order, "p": row.path})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, order: str) -> list[int]:
    try:
        value = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        path = value["p"]
        valid = (
            value["o"] == order
            and isinstance(path, list)
            and 0 < len(path) <= 10_000
            and all(isinstance(i, int) and 1 <= i < 2**63 for i in path)
        )
    except (binascii.Error, ValueError, KeyError, TypeError):
        valid = False
    if not valid:
        raise errors.InvalidCursor()
    return list(path)


async def list_comments(request: Request, _: None) -> CommentPage:
    query = parse_query(request, CommentListQuery)
    pool = services(request).pool
    who = await viewer(request)
    question = await question_queries.get_question(pool, path_id(request, "id", errors.QuestionNotFound))
    if question is None:
        raise errors.QuestionNotFound()
    _space, role = await roles.visible_space_by_id(pool, who, question.space_id)
    after = decode_cursor(query.cursor, query.order) if query.cursor else None
    rows = await comment_queries.list_thread_page(
        pool,
        question_id=question.id,
        viewer_id=who.user_id,
        sees_all_pending=roles.is_steward(role),
        newest_first=query.order == "newest",
        after_path=after,
        limit=query.limit + 1,
    )
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    return CommentPage(
        items=[views.comment(r, reveal=roles.is_steward(role)) for r in rows],
        next_cursor=encode_cursor(rows[-1], query.order) if more else None,
    )


async def post_comment(request: Request, body: CommentCreate) -> CommentWrite:
    question_id = path_id(request, "id", errors.QuestionNotFound)
    row, event = await comment_actions.post_comment(
        services(request), await viewer(request), question_id, body
    )
    return CommentWrite(**views.comment(row).model_dump(), event_seq=event.seq)


async def get_comment(request: Request, _: None) -> Comment:
    comment_id = path_id(request, "id", errors.CommentNotFound)
    who = await viewer(request)
    row = await comment_actions.visible_comment(services(request), who, comment_id)
    moderates = await who.moderates(services(request).pool, row.space_id)
    return views.comment(row, reveal=moderates, own=row.author_id == who.user_id)


async def patch_comment(request: Request, body: CommentPatch) -> CommentWrite:
    comment_id = path_id(request, "id", errors.CommentNotFound)
    row, event = await comment_actions.edit_comment(
        services(request), await viewer(request), comment_id, body
    )
    return CommentWrite(**views.comment(row, own=True).model_dump(), event_seq=event.seq if event else None)


async def delete_comment(request: Request, _: None) -> CommentWrite:
    comment_id = path_id(request, "id", errors.CommentNotFound)
    row, event = await comment_actions.delete_comment(services(request), await viewer(request), comment_id)
    return CommentWrite(**views.comment(row).model_dump(), event_seq=event.seq)


async def list_revisions(request: Request, _: None) -> RevisionList:
    comment_id = path_id(request, "id", errors.CommentNotFound)
    svc = services(request)
    who = await viewer(request)
    roles.require_user(who)
    comment = await comment_actions.visible_comment(svc, who, comment_id)
    moderates = await who.moderates(svc.pool, comment.space_id)
    if comment.author_id != who.user_id and not moderates:
        raise errors.Forbidden("Only the author and the space's moderators see earlier versions.")
    rows = await comment_queries.list_revisions(svc.pool, comment.id)
    return RevisionList(
        items=[
            Revision(
                body=r.body,
                lang=r.lang,
                written_at=r.written_at,
                replaced_at=r.replaced_at,
                replaced_by_moderator=r.by_moderator,
            )
            for r in rows
            # The version a moderator's edit replaced stays with the moderators.
            if moderates or not r.by_moderator
        ]
    )


async def support(request: Request, _: None) -> Comment:
    comment_id = path_id(request, "id", errors.CommentNotFound)
    row = await comment_actions.set_support(
        services(request), await viewer(request), comment_id, support=True
    )
    return views.comment(row)


async def unsupport(request: Request, _: None) -> Comment:
    comment_id = path_id(request, "id", errors.CommentNotFound)
    row = await comment_actions.set_support(
        services(request), await viewer(request), comment_id, support=False
    )
    return views.comment(row)
