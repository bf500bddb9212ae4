"""What every stewarding action starts with: the space, if the viewer steers it."""

from server.access import roles
from server.access.identity import Viewer
from server.queries import Executor
from server.queries import spaces as space_queries
from server.queries.spaces import SpaceRow


async def steered_space(db: Executor, viewer: Viewer, slug: str) -> SpaceRow:
    """The space if the viewer is its moderator or an admin (401 / 404 / `not_moderator` otherwise)."""
    space, role = await roles.visible_space(db, viewer, slug)
    roles.require_moderator(role)
    return space


async def steward_space(db: Executor, viewer: Viewer, slug: str) -> SpaceRow:
    """`steered_space`, locked for change (call inside the change's transaction)."""
    space = await steered_space(db, viewer, slug)
    return await space_queries.lock_space(db, space.id)
