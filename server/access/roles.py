"""Who may see and do what in a space: the role rules, in one place."""

from datetime import UTC, datetime

from server import errors
from server.access import guards
from server.access.identity import Viewer
from server.queries import Executor
from server.queries import spaces as space_queries
from server.queries.spaces import SpaceRow
from server.schemas.common import Role


async def role_in(db: Executor, viewer: Viewer, space: SpaceRow) -> Role:
    if viewer.user is None:
        return "anonymous"
    if viewer.user.is_admin:
        return "admin"
    if await viewer.moderates(db, space.id):
        return "moderator"
    return "participant"


def is_steward(role: Role) -> bool:
    """Moderators of the space and admins steer it."""
    return role in ("moderator", "admin")


async def visible_space(db: Executor, viewer: Viewer, slug: str) -> tuple[SpaceRow, Role]:
    """The space with this slug if the viewer may read it; drafts only for its stewards."""
    space = await space_queries.get_space_by_slug(db, slug)
    if space is None:
        raise errors.SpaceNotFound()
    role = await role_in(db, viewer, space)
    if space.status == "draft" and not is_steward(role):
        raise errors.SpaceNotFound()
    return space, role


async def visible_space_by_id(db: Executor, viewer: Viewer, space_id: int) -> tuple[SpaceRow, Role]:
    space = await space_queries.get_space(db, space_id)
    assert space is not None
    role = await role_in(db, viewer, space)
    if space.status == "draft" and not is_steward(role):
        raise errors.SpaceNotFound()
    return space, role


async def moderated_space(db: Executor, viewer: Viewer, slug: str) -> SpaceRow:
    """The space with this slug if the viewer moderates it or is an admin
    (401, 404 or `not_moderator` otherwise)."""
    space, role = await visible_space(db, viewer, slug)
    require_moderator(role)
    return space


async def locked_moderated_space(db: Executor, viewer: Viewer, slug: str) -> SpaceRow:
    """`moderated_space`, locked for change (call inside the change's transaction, so
    what the change reads and checks is current)."""
    space = await moderated_space(db, viewer, slug)
    return await space_queries.lock_space(db, space.id)


def accepting_input(space: SpaceRow, now: datetime | None = None) -> bool:
    try:
        check_accepting_input(space, now)
    except errors.AppError:
        return False
    return True


def check_accepting_input(space: SpaceRow, now: datetime | None = None) -> None:
    """Raise unless the space is open and inside its opening window."""
    now = now or datetime.now(UTC)
    if space.status in ("closed", "archived"):
        raise errors.SpaceClosed()
    if space.status == "draft":
        raise errors.SpaceNotOpen()
    if space.opens_at and now < space.opens_at:
        raise errors.SpaceNotOpen(
            "This space opens for input later.", details={"opens_at": space.opens_at.isoformat()}
        )
    if space.closes_at and now >= space.closes_at:
        raise errors.SpaceClosed(details={"closed_at": space.closes_at.isoformat()})


async def check_may_post(db: Executor, viewer: Viewer, space: SpaceRow, role: Role) -> int:
    """Raise unless the viewer may post in the space now; return their user id."""
    if viewer.user is None:
        raise errors.NotAuthenticated("Log in to post.")
    check_accepting_input(space)
    if (
        space.posting == "invited"
        and not is_steward(role)
        and not await space_queries.is_invited(db, space.id, viewer.user.id)
    ):
        raise errors.NotInvited()
    await guards.check_may_write(db, viewer, space)
    return viewer.user.id


def require_user(viewer: Viewer) -> int:
    if viewer.user is None:
        raise errors.NotAuthenticated()
    return viewer.user.id


def require_admin(viewer: Viewer) -> None:
    require_user(viewer)
    if not viewer.is_admin:
        raise errors.Forbidden("Only a site admin may do this.")


def require_steward(role: Role) -> None:
    if role == "anonymous":
        raise errors.NotAuthenticated()
    if not is_steward(role):
        raise errors.Forbidden("Only this space's moderators may do this.")


def require_moderator(role: Role) -> None:
    """Moderation: only the space's moderators and admins (`not_moderator` for anyone else)."""
    if role == "anonymous":
        raise errors.NotAuthenticated()
    if not is_steward(role):
        raise errors.NotModerator()
