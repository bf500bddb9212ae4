"""The resources one app process runs on, built in the lifespan and passed in."""

from dataclasses import dataclass, field

from server.access.rate_limits import CounterStore, LocalCounters
from server.events import Event
from server.live.bus import Bus
from server.live.hub import Hub
from server.running.database import Pool
from server.running.metrics import Metrics
from server.running.settings import Settings


@dataclass
class Services:
    settings: Settings
    pool: Pool
    bus: Bus
    schema_version: int
    hub: Hub | None = None
    # Rate-limit counters: in Redis when the processes share one, else here.
    counters: CounterStore = field(default_factory=LocalCounters)
    metrics: Metrics = field(default_factory=Metrics)

    async def publish(self, *events: Event) -> None:
        """Deliver committed events here and hand them to the other processes.

        A publish lost after commit is repaired from the events log.
        """
        for event in events:
            self.metrics.events_committed.labels(event.type).inc()
            if self.hub is not None:
                self.hub.accept(event)
            await self.bus.publish(event)
            self.metrics.events_published.inc()
