"""The resources one app process runs on, built in the lifespan and passed in."""

import asyncio
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from server.access.identity import Passwords
from server.access.rate_limits import CounterStore, LocalCounters
from server.events import Event
from server.live.bus import Bus
from server.live.hub import Hub
from server.running.database import Pool
from server.running.metrics import Metrics
from server.running.settings import Settings

if TYPE_CHECKING:
    from server.insight.worker import InsightWorker


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
    # Set when a comment's text is written, so that its vector and theme follow within a second.
    comments_written: asyncio.Event = field(default_factory=asyncio.Event)
    # The process that embeds and groups (server/insight/worker.py); None when themes are off.
    insight_worker: "InsightWorker | None" = None
    # The database the pool connects to: the insight worker reads a question's vectors itself,
    # so that a million floats are never decoded and pickled on the event loop's process.
    database_url: str = ""

    @cached_property
    def passwords(self) -> Passwords:
        return Passwords(self.settings.password_hash_time_cost, self.settings.password_hash_memory_kib)

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
