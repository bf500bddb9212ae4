"""Spaces and their members."""

from server import errors
from server.access import roles
from server.access.admission import ADMIN, ANYONE, SPACE_MODERATOR
from server.actions import spaces as space_actions
from server.api.call import Call
from server.api.declaring import ApiModule
from server.api.routing import written
from server.events import Event
from server.queries import Executor
from server.queries import spaces as space_queries
from server.queries.spaces import SpaceRow
from server.schemas import common as common_schemas
from server.schemas import spaces as space_schemas
from server.schemas.common import Role
from server.schemas.participants import my_restriction
from server.schemas.spaces import (
    MemberAdd,
    MemberChange,
    Space,
    SpaceCreate,
    SpaceList,
    SpacePatch,
    SpaceWrite,
)

api = ApiModule(tag="spaces", auth=ADMIN)


async def space_view(db: Executor, row: SpaceRow, role: Role) -> Space:
    moderators = (await space_queries.list_moderators(db, [row.id]))[row.id]
    return space_schemas.space(row, moderators, role, roles.accepting_input(row))


@api.get("/spaces", auth=ANYONE)
async def list_spaces(call: Call, _: None) -> SpaceList:
    """Spaces the caller may read, newest first"""
    who = call.viewer
    pool = call.pool
    rows = await space_queries.list_spaces_visible(pool, who.user_id, who.is_admin)
    moderators = await space_queries.list_moderators(pool, [r.id for r in rows])
    items = [
        space_schemas.space(
            row, moderators[row.id], await roles.role_in(pool, who, row), roles.accepting_input(row)
        )
        for row in rows
    ]
    return SpaceList(items=items)


@api.get("/spaces/{slug}", auth=ANYONE, raises=(errors.SpaceNotFound,))
async def get_space(call: Call, _: None) -> Space:
    """A space: background, moderators, settings"""
    row, role = await call.visible_space()
    view = await space_view(call.pool, row, role)
    return view.model_copy(update={"my_restriction": await my_restriction(call.pool, call.viewer, row)})


async def space_written(call: Call, row: SpaceRow, event: Event | None) -> SpaceWrite:
    """A write's answer about a space: the space as the caller now sees it, with the write's seq."""
    view = await space_view(call.pool, row, await roles.role_in(call.pool, call.viewer, row))
    return written(SpaceWrite, view, event)


@api.post("/spaces", status=201, raises=(errors.SlugTaken, errors.Forbidden))
async def create_space(call: Call, body: SpaceCreate) -> SpaceWrite:
    """Create a space (admins)"""
    row, event = await space_actions.create_space(call.services, call.viewer, body)
    return await space_written(call, row, event)


@api.patch("/spaces/{slug}", auth=SPACE_MODERATOR, raises=(errors.SpaceNotFound, errors.Forbidden))
async def patch_space(call: Call, body: SpacePatch) -> SpaceWrite:
    """Change a space (its moderators, admins)"""
    row, event = await space_actions.update_space(call.services, call.viewer, call.slug, body)
    return await space_written(call, row, event)


async def _change_membership(call: Call, user_id: int, *, moderators: bool, add: bool) -> MemberChange:
    user, event = await space_actions.change_membership(
        call.services, call.viewer, call.slug, user_id, moderators=moderators, add=add
    )
    return MemberChange(
        space=call.slug, user=common_schemas.user_summary(user), event_seq=event.seq if event else None
    )


@api.post("/spaces/{slug}/moderators", status=201, raises=(errors.UserNotFound,))
async def add_moderator(call: Call, body: MemberAdd) -> MemberChange:
    """Name a moderator (admins)"""
    return await _change_membership(call, body.user_id, moderators=True, add=True)


@api.delete("/spaces/{slug}/moderators/{user_id:int}", raises=(errors.UserNotFound,))
async def remove_moderator(call: Call, _: None) -> MemberChange:
    """Remove a moderator (admins)"""
    return await _change_membership(
        call, call.path_id(errors.UserNotFound, "user_id"), moderators=True, add=False
    )


@api.post("/spaces/{slug}/participants", status=201, auth=SPACE_MODERATOR, raises=(errors.UserNotFound,))
async def invite_participant(call: Call, body: MemberAdd) -> MemberChange:
    """Invite a participant to an invitation-only space (moderators)"""
    return await _change_membership(call, body.user_id, moderators=False, add=True)


@api.delete("/spaces/{slug}/participants/{user_id:int}", auth=SPACE_MODERATOR, raises=(errors.UserNotFound,))
async def remove_participant(call: Call, _: None) -> MemberChange:
    """Withdraw a participant's invitation (moderators)"""
    return await _change_membership(
        call, call.path_id(errors.UserNotFound, "user_id"), moderators=False, add=False
    )


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
