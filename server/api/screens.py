"""Screen tokens of a space: create (the token is shown once), list, revoke."""

from server import errors
from server.access.admission import MODERATOR
from server.actions import screens as screen_actions
from server.api.call import Call
from server.api.declaring import ApiModule
from server.api.routing import STEWARD_ERRORS, written
from server.schemas.screens import ScreenCreate, ScreenCreated, ScreenList, ScreenWrite, screen

api = ApiModule(tag="screens", auth=MODERATOR, raises=STEWARD_ERRORS)


@api.get("/spaces/{slug}/screens")
async def list_screens(call: Call, _: None) -> ScreenList:
    """The space's screen tokens (without the tokens)"""
    space, rows = await screen_actions.list_screens(call.services, call.viewer, call.slug)
    return ScreenList(items=[screen(r, space.slug) for r in rows])


@api.post("/spaces/{slug}/screens", status=201)
async def create_screen(call: Call, body: ScreenCreate) -> ScreenCreated:
    """Create a screen token: read-only live access to the space, shown once"""
    row, token, event = await screen_actions.create_screen(call.services, call.viewer, call.slug, body)
    return written(ScreenCreated, screen(row, call.slug), event, token=token)


@api.delete("/spaces/{slug}/screens/{id:int}", raises=(errors.ScreenNotFound,))
async def revoke_screen(call: Call, _: None) -> ScreenWrite:
    """Revoke a screen token: its live connections close"""
    screen_id = call.path_id(errors.ScreenNotFound)
    row, event = await screen_actions.revoke_screen(call.services, call.viewer, call.slug, screen_id)
    return written(ScreenWrite, screen(row, call.slug), event)


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
