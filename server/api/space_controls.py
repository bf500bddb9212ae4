"""The moderators' controls of a space: its lock, slow mode, announcements."""

from starlette.requests import Request

from server import errors
from server.access import roles
from server.access.admission import MODERATOR
from server.actions import space_controls as control_actions
from server.api.routing import Api, path_id, path_slug, services, viewer, written
from server.api.spaces import space_view
from server.events import Event
from server.queries.spaces import SpaceRow
from server.schemas import questions as question_schemas
from server.schemas.questions import QuestionWrite
from server.schemas.space_controls import (
    AnnouncementCreate,
    AnnouncementList,
    AnnouncementWrite,
    LockBody,
    SlowModeBody,
    announcement,
)
from server.schemas.spaces import SpaceWrite

STEWARD_ERRORS = (errors.SpaceNotFound, errors.NotModerator)


def register_routes(api: Api) -> None:
    api.route(
        "POST",
        "/spaces/{slug}/lock",
        summary="Lock the space: read-only for all but its moderators",
        tag="stewarding",
        body=LockBody,
        response=SpaceWrite,
        auth=MODERATOR,
        raises=STEWARD_ERRORS,
    )(lock_space)
    api.route(
        "DELETE",
        "/spaces/{slug}/lock",
        summary="Unlock the space",
        tag="stewarding",
        response=SpaceWrite,
        auth=MODERATOR,
        raises=STEWARD_ERRORS,
    )(unlock_space)
    api.route(
        "PUT",
        "/spaces/{slug}/slow-mode",
        summary="Set the space's slow mode (0 seconds: off)",
        tag="stewarding",
        body=SlowModeBody,
        response=SpaceWrite,
        auth=MODERATOR,
        raises=STEWARD_ERRORS,
    )(set_space_slow_mode)
    api.route(
        "PUT",
        "/questions/{id:int}/slow-mode",
        summary="Set a question's slow mode (0 seconds: off)",
        tag="stewarding",
        body=SlowModeBody,
        response=QuestionWrite,
        auth=MODERATOR,
        raises=(errors.QuestionNotFound, errors.NotModerator),
    )(set_question_slow_mode)
    api.route(
        "GET",
        "/spaces/{slug}/announcements",
        summary="The space's active announcements",
        tag="stewarding",
        response=AnnouncementList,
        raises=(errors.SpaceNotFound,),
    )(list_announcements)
    api.route(
        "POST",
        "/spaces/{slug}/announcements",
        summary="Announce something to everyone in the space",
        tag="stewarding",
        body=AnnouncementCreate,
        response=AnnouncementWrite,
        status=201,
        auth=MODERATOR,
        raises=(*STEWARD_ERRORS, errors.UnsupportedLanguage),
    )(post_announcement)
    api.route(
        "DELETE",
        "/spaces/{slug}/announcements/{id:int}",
        summary="Dismiss an announcement, for everyone",
        tag="stewarding",
        response=AnnouncementWrite,
        auth=MODERATOR,
        raises=(*STEWARD_ERRORS, errors.AnnouncementNotFound),
    )(dismiss_announcement)


async def _space_written(request: Request, result: tuple[SpaceRow, Event | None]) -> SpaceWrite:
    row, event = result
    pool = services(request).pool
    view = await space_view(pool, row, await roles.role_in(pool, await viewer(request), row))
    return written(SpaceWrite, view, event)


async def lock_space(request: Request, body: LockBody) -> SpaceWrite:
    result = await control_actions.lock_space(
        services(request), await viewer(request), path_slug(request), body
    )
    return await _space_written(request, result)


async def unlock_space(request: Request, _: None) -> SpaceWrite:
    result = await control_actions.unlock_space(services(request), await viewer(request), path_slug(request))
    return await _space_written(request, result)


async def set_space_slow_mode(request: Request, body: SlowModeBody) -> SpaceWrite:
    result = await control_actions.set_space_slow_mode(
        services(request), await viewer(request), path_slug(request), body
    )
    return await _space_written(request, result)


async def set_question_slow_mode(request: Request, body: SlowModeBody) -> QuestionWrite:
    question_id = path_id(request, "id", errors.QuestionNotFound)
    row, event = await control_actions.set_question_slow_mode(
        services(request), await viewer(request), question_id, body
    )
    return written(QuestionWrite, question_schemas.question(row), event)


async def list_announcements(request: Request, _: None) -> AnnouncementList:
    rows = await control_actions.list_announcements(
        services(request), await viewer(request), path_slug(request)
    )
    return AnnouncementList(items=[announcement(r) for r in rows])


async def post_announcement(request: Request, body: AnnouncementCreate) -> AnnouncementWrite:
    row, event = await control_actions.post_announcement(
        services(request), await viewer(request), path_slug(request), body
    )
    return written(AnnouncementWrite, announcement(row), event)


async def dismiss_announcement(request: Request, _: None) -> AnnouncementWrite:
    announcement_id = path_id(request, "id", errors.AnnouncementNotFound)
    row, event = await control_actions.dismiss_announcement(
        services(request), await viewer(request), path_slug(request), announcement_id
    )
    return written(AnnouncementWrite, announcement(row), event)
