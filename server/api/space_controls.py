"""The moderators' controls of a space: its lock, slow mode, announcements."""

from starlette.requests import Request

from server import errors
from server.access import roles
from server.access.admission import ANYONE, MODERATOR
from server.actions import space_controls as control_actions
from server.api.declaring import ApiModule
from server.api.routing import STEWARD_ERRORS, path_id, path_slug, services, viewer, written
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

api = ApiModule(tag="stewarding", auth=MODERATOR)


async def _space_written(request: Request, result: tuple[SpaceRow, Event | None]) -> SpaceWrite:
    row, event = result
    pool = services(request).pool
    view = await space_view(pool, row, await roles.role_in(pool, await viewer(request), row))
    return written(SpaceWrite, view, event)


@api.post("/spaces/{slug}/lock", raises=STEWARD_ERRORS)
async def lock_space(request: Request, body: LockBody) -> SpaceWrite:
    """Lock the space: read-only for all but its moderators"""
    result = await control_actions.lock_space(
        services(request), await viewer(request), path_slug(request), body
    )
    return await _space_written(request, result)


@api.delete("/spaces/{slug}/lock", raises=STEWARD_ERRORS)
async def unlock_space(request: Request, _: None) -> SpaceWrite:
    """Unlock the space"""
    result = await control_actions.unlock_space(services(request), await viewer(request), path_slug(request))
    return await _space_written(request, result)


@api.put("/spaces/{slug}/slow-mode", raises=STEWARD_ERRORS)
async def set_space_slow_mode(request: Request, body: SlowModeBody) -> SpaceWrite:
    """Set the space's slow mode (0 seconds: off)"""
    result = await control_actions.set_space_slow_mode(
        services(request), await viewer(request), path_slug(request), body
    )
    return await _space_written(request, result)


@api.put("/questions/{id:int}/slow-mode", raises=(errors.QuestionNotFound, errors.NotModerator))
async def set_question_slow_mode(request: Request, body: SlowModeBody) -> QuestionWrite:
    """Set a question's slow mode (0 seconds: off)"""
    question_id = path_id(request, "id", errors.QuestionNotFound)
    row, event = await control_actions.set_question_slow_mode(
        services(request), await viewer(request), question_id, body
    )
    return written(QuestionWrite, question_schemas.question(row), event)


@api.get("/spaces/{slug}/announcements", auth=ANYONE, raises=(errors.SpaceNotFound,))
async def list_announcements(request: Request, _: None) -> AnnouncementList:
    """The space's active announcements"""
    rows = await control_actions.list_announcements(
        services(request), await viewer(request), path_slug(request)
    )
    return AnnouncementList(items=[announcement(r) for r in rows])


@api.post("/spaces/{slug}/announcements", status=201, raises=(*STEWARD_ERRORS, errors.UnsupportedLanguage))
async def post_announcement(request: Request, body: AnnouncementCreate) -> AnnouncementWrite:
    """Announce something to everyone in the space"""
    row, event = await control_actions.post_announcement(
        services(request), await viewer(request), path_slug(request), body
    )
    return written(AnnouncementWrite, announcement(row), event)


@api.delete("/spaces/{slug}/announcements/{id:int}", raises=(*STEWARD_ERRORS, errors.AnnouncementNotFound))
async def dismiss_announcement(request: Request, _: None) -> AnnouncementWrite:
    """Dismiss an announcement, for everyone"""
    announcement_id = path_id(request, "id", errors.AnnouncementNotFound)
    row, event = await control_actions.dismiss_announcement(
        services(request), await viewer(request), path_slug(request), announcement_id
    )
    return written(AnnouncementWrite, announcement(row), event)


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
