"""The resources one app process runs on, built in the lifespan and passed in."""

from dataclasses import dataclass

from server.bus import Bus
from server.db import Pool
from server.events import Event
from server.settings import Settings


@dataclass
class Services:
    settings: Settings
    pool: Pool
    bus: Bus
    schema_version: int

    async def publish(self, *events: Event) -> None:
        """Publish committed events. A lost publish is repaired from the events log."""
        for event in events:
            await self.bus.publish(event)
