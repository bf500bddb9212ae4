"""Screen tokens of a space: create (the token is shown once), list, revoke."""

from starlette.requests import Request

from server import errors
from server.access.admission import MODERATOR
from server.actions import screens as screen_actions
from server.api.routing import Api, path_id, path_slug, services, viewer, written
from server.schemas.screens import ScreenCreate, ScreenCreated, ScreenList, ScreenWrite, screen

STEWARD_ERRORS = (errors.SpaceNotFound, errors.NotModerator)


def register_routes(api: Api) -> None:
    api.route(
        "GET",
        "/spaces/{slug}/screens",
        summary="The space's screen tokens (without the tokens)",
        tag="screens",
        response=ScreenList,
        auth=MODERATOR,
        raises=STEWARD_ERRORS,
    )(list_screens)
    api.route(
        "POST",
        "/spaces/{slug}/screens",
        summary="Create a screen token: read-only live access to the space, shown once",
        tag="screens",
        body=ScreenCreate,
        response=ScreenCreated,
        status=201,
        auth=MODERATOR,
        raises=STEWARD_ERRORS,
    )(create_screen)
    api.route(
        "DELETE",
        "/spaces/{slug}/screens/{id:int}",
        summary="Revoke a screen token: its live connections close",
        tag="screens",
        response=ScreenWrite,
        auth=MODERATOR,
        raises=(*STEWARD_ERRORS, errors.ScreenNotFound),
    )(revoke_screen)


async def list_screens(request: Request, _: None) -> ScreenList:
    space, rows = await screen_actions.list_screens(
        services(request), await viewer(request), path_slug(request)
    )
    return ScreenList(items=[screen(r, space.slug) for r in rows])


async def create_screen(request: Request, body: ScreenCreate) -> ScreenCreated:
    slug = path_slug(request)
    row, token, event = await screen_actions.create_screen(
        services(request), await viewer(request), slug, body
    )
    return written(ScreenCreated, screen(row, slug), event, token=token)


async def revoke_screen(request: Request, _: None) -> ScreenWrite:
    slug = path_slug(request)
    screen_id = path_id(request, "id", errors.ScreenNotFound)
    row, event = await screen_actions.revoke_screen(services(request), await viewer(request), slug, screen_id)
    return written(ScreenWrite, screen(row, slug), event)
