"""Spaces and their members."""

from starlette.requests import Request

from server import errors
from server.access import roles
from server.access.admission import ADMIN, SPACE_MODERATOR
from server.actions import spaces as space_actions
from server.api.routing import Api, path_id, path_slug, services, viewer
from server.events import Event
from server.queries import Executor
from server.queries import spaces as space_queries
from server.queries.spaces import SpaceRow
from server.queries.users import UserRow
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


def register_routes(api: Api) -> None:
    api.route(
        "GET", "/spaces", summary="Spaces the caller may read, newest first", tag="spaces", response=SpaceList
    )(list_spaces)
    api.route(
        "POST",
        "/spaces",
        summary="Create a space (admins)",
        tag="spaces",
        body=SpaceCreate,
        response=SpaceWrite,
        status=201,
        auth=ADMIN,
        raises=(errors.SlugTaken, errors.Forbidden),
    )(create_space)
    api.route(
        "GET",
        "/spaces/{slug}",
        summary="A space: background, moderators, settings",
        tag="spaces",
        response=Space,
        raises=(errors.SpaceNotFound,),
    )(get_space)
    api.route(
        "PATCH",
        "/spaces/{slug}",
        summary="Change a space (its moderators, admins)",
        tag="spaces",
        body=SpacePatch,
        response=SpaceWrite,
        auth=SPACE_MODERATOR,
        raises=(errors.SpaceNotFound, errors.Forbidden),
    )(patch_space)
    api.route(
        "POST",
        "/spaces/{slug}/moderators",
        summary="Name a moderator (admins)",
        tag="spaces",
        body=MemberAdd,
        response=MemberChange,
        status=201,
        auth=ADMIN,
        raises=(errors.UserNotFound,),
    )(add_moderator)
    api.route(
        "DELETE",
        "/spaces/{slug}/moderators/{user_id:int}",
        summary="Remove a moderator (admins)",
        tag="spaces",
        response=MemberChange,
        auth=ADMIN,
        raises=(errors.UserNotFound,),
    )(remove_moderator)
    api.route(
        "POST",
        "/spaces/{slug}/participants",
        summary="Invite a participant to an invitation-only space (moderators)",
        tag="spaces",
        body=MemberAdd,
        response=MemberChange,
        status=201,
        auth=SPACE_MODERATOR,
        raises=(errors.UserNotFound,),
    )(invite_participant)
    api.route(
        "DELETE",
        "/spaces/{slug}/participants/{user_id:int}",
        summary="Withdraw a participant's invitation (moderators)",
        tag="spaces",
        response=MemberChange,
        auth=SPACE_MODERATOR,
        raises=(errors.UserNotFound,),
    )(remove_participant)


async def space_view(db: Executor, row: SpaceRow, role: Role) -> Space:
    moderators = (await space_queries.list_moderators(db, [row.id]))[row.id]
    return space_schemas.space(row, moderators, role, roles.accepting_input(row))


async def list_spaces(request: Request, _: None) -> SpaceList:
    who = await viewer(request)
    pool = services(request).pool
    rows = await space_queries.list_spaces_visible(pool, who.user_id, who.is_admin)
    moderators = await space_queries.list_moderators(pool, [r.id for r in rows])
    items = [
        space_schemas.space(
            row, moderators[row.id], await roles.role_in(pool, who, row), roles.accepting_input(row)
        )
        for row in rows
    ]
    return SpaceList(items=items)


async def get_space(request: Request, _: None) -> Space:
    pool = services(request).pool
    who = await viewer(request)
    row, role = await roles.visible_space(pool, who, path_slug(request))
    view = await space_view(pool, row, role)
    return view.model_copy(update={"my_restriction": await my_restriction(pool, who, row)})


async def _written(request: Request, row: SpaceRow, event_seq: int | None) -> SpaceWrite:
    pool = services(request).pool
    role = await roles.role_in(pool, await viewer(request), row)
    return SpaceWrite(**(await space_view(pool, row, role)).model_dump(), event_seq=event_seq)


async def create_space(request: Request, body: SpaceCreate) -> SpaceWrite:
    row, event = await space_actions.create_space(services(request), await viewer(request), body)
    return await _written(request, row, event.seq)


async def patch_space(request: Request, body: SpacePatch) -> SpaceWrite:
    row, event = await space_actions.update_space(
        services(request), await viewer(request), path_slug(request), body
    )
    return await _written(request, row, event.seq if event else None)


async def _member_result(slug: str, result: tuple[UserRow, Event | None]) -> MemberChange:
    user, event = result
    return MemberChange(
        space=slug, user=common_schemas.user_summary(user), event_seq=event.seq if event else None
    )


async def add_moderator(request: Request, body: MemberAdd) -> MemberChange:
    slug = path_slug(request)
    return await _member_result(
        slug, await space_actions.add_moderator(services(request), await viewer(request), slug, body.user_id)
    )


async def remove_moderator(request: Request, _: None) -> MemberChange:
    slug = path_slug(request)
    user_id = path_id(request, "user_id", errors.UserNotFound)
    return await _member_result(
        slug, await space_actions.remove_moderator(services(request), await viewer(request), slug, user_id)
    )


async def invite_participant(request: Request, body: MemberAdd) -> MemberChange:
    slug = path_slug(request)
    return await _member_result(
        slug,
        await space_actions.invite_participant(services(request), await viewer(request), slug, body.user_id),
    )


async def remove_participant(request: Request, _: None) -> MemberChange:
    slug = path_slug(request)
    user_id = path_id(request, "user_id", errors.UserNotFound)
    return await _member_result(
        slug,
        await space_actions.remove_participant(services(request), await viewer(request), slug, user_id),
    )
