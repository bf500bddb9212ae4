"""The spotlight: what a space's screens show now and next."""

from server import errors
from server.access.admission import ANYONE, MODERATOR
from server.actions import spotlight as spotlight_actions
from server.api.call import Call
from server.api.declaring import ApiModule
from server.api.routing import STEWARD_ERRORS, written
from server.events import Event
from server.schemas.screens import (
    Spotlight,
    SpotlightEnqueue,
    SpotlightOrder,
    SpotlightTarget,
    SpotlightWrite,
    read_spotlight,
)

TARGET_ERRORS: tuple[type[errors.AppError], ...] = (
    errors.CommentNotFound,
    errors.QuestionNotFound,
    errors.CommentDeleted,
    errors.NotSpotlightable,
)


api = ApiModule(tag="spotlight", auth=MODERATOR)


def _written(result: tuple[Spotlight, Event | None]) -> SpotlightWrite:
    state, event = result
    return written(SpotlightWrite, state, event)


@api.get("/spaces/{slug}/spotlight", auth=ANYONE, raises=(errors.SpaceNotFound,))
async def get_spotlight(call: Call, _: None) -> Spotlight:
    """What the space's screens show now, and what comes next"""
    space, _role = await call.visible_space()
    return await read_spotlight(call.pool, space.id)


@api.put("/spaces/{slug}/spotlight", raises=(*STEWARD_ERRORS, *TARGET_ERRORS))
async def set_spotlight(call: Call, body: SpotlightTarget) -> SpotlightWrite:
    """Show a comment or a question on the screens now"""
    return _written(await spotlight_actions.set_spotlight(call.services, call.viewer, call.slug, body))


@api.delete("/spaces/{slug}/spotlight", raises=STEWARD_ERRORS)
async def clear_spotlight(call: Call, _: None) -> SpotlightWrite:
    """Show nothing on the screens now (what is queued stays)"""
    return _written(await spotlight_actions.clear_spotlight(call.services, call.viewer, call.slug))


@api.post(
    "/spaces/{slug}/spotlight/next",
    status=201,
    raises=(*STEWARD_ERRORS, *TARGET_ERRORS, errors.AlreadyInSpotlight, errors.SpotlightQueueFull),
)
async def enqueue(call: Call, body: SpotlightEnqueue) -> SpotlightWrite:
    """Queue a comment or a question to show next"""
    return _written(await spotlight_actions.enqueue(call.services, call.viewer, call.slug, body))


@api.put("/spaces/{slug}/spotlight/next", raises=(*STEWARD_ERRORS, errors.SpotlightOrderMismatch))
async def reorder(call: Call, body: SpotlightOrder) -> SpotlightWrite:
    """Reorder what comes next"""
    return _written(await spotlight_actions.reorder(call.services, call.viewer, call.slug, body.item_ids))


@api.delete("/spaces/{slug}/spotlight/next/{id:int}", raises=(*STEWARD_ERRORS, errors.SpotlightItemNotFound))
async def remove_item(call: Call, _: None) -> SpotlightWrite:
    """Take an item out of the spotlight (queued, or shown now)"""
    item_id = call.path_id(errors.SpotlightItemNotFound)
    return _written(await spotlight_actions.remove_item(call.services, call.viewer, call.slug, item_id))


@api.post("/spaces/{slug}/spotlight/advance", raises=(*STEWARD_ERRORS, errors.SpotlightQueueEmpty))
async def advance(call: Call, _: None) -> SpotlightWrite:
    """Show the next item now"""
    return _written(await spotlight_actions.advance(call.services, call.viewer, call.slug))


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
