"""The spotlight: what a space's screens show now and next."""

from starlette.requests import Request

from server import errors
from server.access import roles
from server.access.admission import MODERATOR
from server.actions import spotlight as spotlight_actions
from server.api.routing import Api, path_id, path_slug, services, viewer, written
from server.events import Event
from server.schemas.screens import (
    Spotlight,
    SpotlightEnqueue,
    SpotlightOrder,
    SpotlightTarget,
    SpotlightWrite,
    read_spotlight,
)

CHANGE_ERRORS: tuple[type[errors.AppError], ...] = (errors.SpaceNotFound, errors.NotModerator)
TARGET_ERRORS: tuple[type[errors.AppError], ...] = (
    errors.CommentNotFound,
    errors.QuestionNotFound,
    errors.CommentDeleted,
    errors.NotSpotlightable,
)


def register_routes(api: Api) -> None:
    api.route(
        "GET",
        "/spaces/{slug}/spotlight",
        summary="What the space's screens show now, and what comes next",
        tag="spotlight",
        response=Spotlight,
        raises=(errors.SpaceNotFound,),
    )(get_spotlight)
    api.route(
        "PUT",
        "/spaces/{slug}/spotlight",
        summary="Show a comment or a question on the screens now",
        tag="spotlight",
        body=SpotlightTarget,
        response=SpotlightWrite,
        auth=MODERATOR,
        raises=(*CHANGE_ERRORS, *TARGET_ERRORS),
    )(set_spotlight)
    api.route(
        "DELETE",
        "/spaces/{slug}/spotlight",
        summary="Show nothing on the screens now (what is queued stays)",
        tag="spotlight",
        response=SpotlightWrite,
        auth=MODERATOR,
        raises=CHANGE_ERRORS,
    )(clear_spotlight)
    api.route(
        "POST",
        "/spaces/{slug}/spotlight/next",
        summary="Queue a comment or a question to show next",
        tag="spotlight",
        body=SpotlightEnqueue,
        response=SpotlightWrite,
        status=201,
        auth=MODERATOR,
        raises=(*CHANGE_ERRORS, *TARGET_ERRORS, errors.AlreadyInSpotlight, errors.SpotlightQueueFull),
    )(enqueue)
    api.route(
        "PUT",
        "/spaces/{slug}/spotlight/next",
        summary="Reorder what comes next",
        tag="spotlight",
        body=SpotlightOrder,
        response=SpotlightWrite,
        auth=MODERATOR,
        raises=(*CHANGE_ERRORS, errors.SpotlightOrderMismatch),
    )(reorder)
    api.route(
        "DELETE",
        "/spaces/{slug}/spotlight/next/{id:int}",
        summary="Take an item out of the spotlight (queued, or shown now)",
        tag="spotlight",
        response=SpotlightWrite,
        auth=MODERATOR,
        raises=(*CHANGE_ERRORS, errors.SpotlightItemNotFound),
    )(remove_item)
    api.route(
        "POST",
        "/spaces/{slug}/spotlight/advance",
        summary="Show the next item now",
        tag="spotlight",
        response=SpotlightWrite,
        auth=MODERATOR,
        raises=(*CHANGE_ERRORS, errors.SpotlightQueueEmpty),
    )(advance)


def _written(result: tuple[Spotlight, Event | None]) -> SpotlightWrite:
    state, event = result
    return written(SpotlightWrite, state, event)


async def get_spotlight(request: Request, _: None) -> Spotlight:
    pool = services(request).pool
    space, _role = await roles.visible_space(pool, await viewer(request), path_slug(request))
    return await read_spotlight(pool, space.id)


async def set_spotlight(request: Request, body: SpotlightTarget) -> SpotlightWrite:
    return _written(
        await spotlight_actions.set_spotlight(
            services(request), await viewer(request), path_slug(request), body
        )
    )


async def clear_spotlight(request: Request, _: None) -> SpotlightWrite:
    return _written(
        await spotlight_actions.clear_spotlight(services(request), await viewer(request), path_slug(request))
    )


async def enqueue(request: Request, body: SpotlightEnqueue) -> SpotlightWrite:
    return _written(
        await spotlight_actions.enqueue(services(request), await viewer(request), path_slug(request), body)
    )


async def reorder(request: Request, body: SpotlightOrder) -> SpotlightWrite:
    return _written(
        await spotlight_actions.reorder(
            services(request), await viewer(request), path_slug(request), body.item_ids
        )
    )


async def remove_item(request: Request, _: None) -> SpotlightWrite:
    item_id = path_id(request, "id", errors.SpotlightItemNotFound)
    return _written(
        await spotlight_actions.remove_item(
            services(request), await viewer(request), path_slug(request), item_id
        )
    )


async def advance(request: Request, _: None) -> SpotlightWrite:
    return _written(
        await spotlight_actions.advance(services(request), await viewer(request), path_slug(request))
    )
