"""The moderators' controls of a space: its lock, slow mode, announcements."""

from server import errors
from server.access.admission import ANYONE, MODERATOR
from server.actions import space_controls as control_actions
from server.api.call import Call
from server.api.declaring import ApiModule
from server.api.routing import STEWARD_ERRORS, written
from server.api.spaces import space_written
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


@api.post("/spaces/{slug}/lock", raises=STEWARD_ERRORS)
async def lock_space(call: Call, body: LockBody) -> SpaceWrite:
    """Lock the space: read-only for all but its moderators"""
    row, event = await control_actions.lock_space(call.services, call.viewer, call.slug, body)
    return await space_written(call, row, event)


@api.delete("/spaces/{slug}/lock", raises=STEWARD_ERRORS)
async def unlock_space(call: Call, _: None) -> SpaceWrite:
    """Unlock the space"""
    row, event = await control_actions.unlock_space(call.services, call.viewer, call.slug)
    return await space_written(call, row, event)


@api.put("/spaces/{slug}/slow-mode", raises=STEWARD_ERRORS)
async def set_space_slow_mode(call: Call, body: SlowModeBody) -> SpaceWrite:
    """Set the space's slow mode (0 seconds: off)"""
    row, event = await control_actions.set_space_slow_mode(call.services, call.viewer, call.slug, body)
    return await space_written(call, row, event)


@api.put("/questions/{id:int}/slow-mode", raises=(errors.QuestionNotFound, errors.NotModerator))
async def set_question_slow_mode(call: Call, body: SlowModeBody) -> QuestionWrite:
    """Set a question's slow mode (0 seconds: off)"""
    question_id = call.path_id(errors.QuestionNotFound)
    row, event = await control_actions.set_question_slow_mode(call.services, call.viewer, question_id, body)
    return written(QuestionWrite, question_schemas.question(row), event)


@api.get("/spaces/{slug}/announcements", auth=ANYONE, raises=(errors.SpaceNotFound,))
async def list_announcements(call: Call, _: None) -> AnnouncementList:
    """The space's active announcements"""
    rows = await control_actions.list_announcements(call.services, call.viewer, call.slug)
    return AnnouncementList(items=[announcement(r) for r in rows])


@api.post("/spaces/{slug}/announcements", status=201, raises=(*STEWARD_ERRORS, errors.UnsupportedLanguage))
async def post_announcement(call: Call, body: AnnouncementCreate) -> AnnouncementWrite:
    """Announce something to everyone in the space"""
    row, event = await control_actions.post_announcement(call.services, call.viewer, call.slug, body)
    return written(AnnouncementWrite, announcement(row), event)


@api.delete("/spaces/{slug}/announcements/{id:int}", raises=(*STEWARD_ERRORS, errors.AnnouncementNotFound))
async def dismiss_announcement(call: Call, _: None) -> AnnouncementWrite:
    """Dismiss an announcement, for everyone"""
    announcement_id = call.path_id(errors.AnnouncementNotFound)
    row, event = await control_actions.dismiss_announcement(
        call.services, call.viewer, call.slug, announcement_id
    )
    return written(AnnouncementWrite, announcement(row), event)


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
