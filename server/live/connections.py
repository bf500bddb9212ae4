"""What WebSocket and SSE share: who is connecting, and joining a space."""

from dataclasses import dataclass
from typing import Literal

from server import errors
from server.access import roles
from server.access.identity import Viewer
from server.events import Audience
from server.live.channels import Kind
from server.live.outbound import Outbox
from server.queries.spaces import SpaceRow
from server.running.services import Services


@dataclass(eq=False, slots=True)
class LiveConnection:
    """One WebSocket or SSE client."""

    viewer: Viewer
    outbox: Outbox
    kind: Kind = "participant"
    # Read by the metrics at scrape time (server/running/metrics.py).
    transport: Literal["ws", "sse"] = "ws"

    def __post_init__(self) -> None:
        # A screen token's connection counts under screens in presence.
        if self.viewer.screen is not None:
            self.kind = "screen"


async def space_for(services: Services, viewer: Viewer, slug: str) -> tuple[SpaceRow, Audience]:
    """The space if this viewer may follow it, and the audience whose events it receives.

    A live connection lasts long enough for its viewer's roles to change, so
    they are read afresh. A screen follows only its own space, in the public
    audience.
    """
    viewer.forget_roles()
    space, role = await roles.visible_space(services.pool, viewer, slug)
    if viewer.screen is not None and viewer.screen.space_id != space.id:
        raise errors.SpaceNotFound()
    return space, "moderators" if roles.is_steward(role) else "public"
