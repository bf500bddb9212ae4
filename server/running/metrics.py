"""Prometheus metrics: every metric object Roundtable has, made once per app.

Counters and histograms are updated where things happen (the request observer,
the pool, `Services.publish`, rate limits); gauges of state (pool, live
connections) are read from that state when scraped. With several workers
(`roundtable serve --workers N`) prometheus-client's multiprocess mode sums
the workers' files in PROMETHEUS_MULTIPROC_DIR, which `serve` sets.
"""

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

if TYPE_CHECKING:
    from server.live.hub import Hub
    from server.running.database import Pool

MULTIPROCESS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Requests answer in milliseconds; a write waiting on a busy space's lock, or on
# the pool, takes up to the acquire timeout (seconds).
LATENCY_BUCKETS_SECS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
ACQUIRE_BUCKETS_SECS = (0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0)
# With several workers a scrape reaches one of them; the others' gauges are as
# fresh as their last refresh. Prometheus scrapes every 15 s by default.
MULTIPROCESS_REFRESH_SECS = 5.0


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROCESS_DIR_ENV))


class Metrics:
    """The metric objects, registered in a registry of this app's own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.http_requests = Counter(
            "roundtable_http_requests", "HTTP requests answered.", ["method", "route", "status"], registry=r
        )
        self.http_latency = Histogram(
            "roundtable_http_request_duration_seconds",
            "Time from request to the end of the response.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS_SECS,
            registry=r,
        )
        self.pool_connections = Gauge(
            "roundtable_db_pool_connections",
            "Database connections open in the pool, by state.",
            ["state"],
            multiprocess_mode="livesum",
            registry=r,
        )
        self.pool_max = Gauge(
            "roundtable_db_pool_max_connections",
            "Largest the pool may grow.",
            multiprocess_mode="livesum",
            registry=r,
        )
        self.pool_acquire_wait = Histogram(
            "roundtable_db_pool_acquire_seconds",
            "Time spent waiting for a database connection.",
            buckets=ACQUIRE_BUCKETS_SECS,
            registry=r,
        )
        self.pool_acquire_timeouts = Counter(
            "roundtable_db_pool_acquire_timeouts", "Waits for a connection that ran out of time.", registry=r
        )
        self.writers_waiting = Gauge(
            "roundtable_writers_waiting",
            "State-changing requests waiting for a writer slot, by slot: their space's or everyone's.",
            ["reason"],
            multiprocess_mode="livesum",
            registry=r,
        )
        self.writer_wait_timeouts = Counter(
            "roundtable_writer_wait_timeouts",
            "State-changing requests answered 503 after waiting too long for a writer slot, by slot.",
            ["reason"],
            registry=r,
        )
        self.database_unavailable = Counter(
            "roundtable_database_unavailable",
            "Requests answered 503 because PostgreSQL was down or too slow.",
            registry=r,
        )
        self.live_connections = Gauge(
            "roundtable_live_connections",
            "Open live connections, by transport.",
            ["transport"],
            multiprocess_mode="livesum",
            registry=r,
        )
        self.live_subscriptions = Gauge(
            "roundtable_live_subscriptions",
            "Live subscriptions to spaces, by transport and audience.",
            ["transport", "audience"],
            multiprocess_mode="livesum",
            registry=r,
        )
        self.events_committed = Counter(
            "roundtable_events_committed", "Events committed, by type.", ["type"], registry=r
        )
        self.events_published = Counter(
            "roundtable_events_published", "Events handed to the bus for the other processes.", registry=r
        )
        self.events_delivered = Counter(
            "roundtable_events_delivered",
            "Frames of events written or queued to live connections by this process's fan-out.",
            registry=r,
        )
        self.delivery_lag = Histogram(
            "roundtable_delivery_lag_seconds",
            "From an event's commit to its fan-out on this process (the oldest event of a batch).",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=r,
        )
        self.catch_ups = Counter(
            "roundtable_live_catch_ups", "Subscribers brought level from the log or the ring.", registry=r
        )
        self.resyncs = Counter(
            "roundtable_live_resyncs", "Subscribers told to start over, by reason.", ["reason"], registry=r
        )
        self.slow_client_closes = Counter(
            "roundtable_live_slow_client_closes",
            "Connections closed for falling too far behind (4008).",
            registry=r,
        )
        self.statistics_reads = Counter(
            "roundtable_statistics_reads",
            "Times a space's statistics were computed, for a snapshot or a coalesced update.",
            ["reason"],
            registry=r,
        )
        self.bus_reconnects = Counter(
            "roundtable_bus_reconnects",
            "Times the bus reconnected to Redis (each repaired from the log).",
            registry=r,
        )
        self.rate_limit_refusals = Counter(
            "roundtable_rate_limit_refusals",
            "Requests refused by a rate limit, by limit.",
            ["limit"],
            registry=r,
        )

    def observe_pool(self, pool: "Pool") -> None:
        size = pool.get_size()
        self.pool_connections.labels("open").set(size)
        self.pool_connections.labels("in_use").set(size - pool.get_idle_size())
        self.pool_max.set(pool.get_max_size())

    def observe_hub(self, hub: "Hub") -> None:
        connections: dict[str, int] = {}
        subscriptions: dict[tuple[str, str], int] = {}
        for connection in hub.connections():
            transport = str(getattr(connection, "transport", "unknown"))
            connections[transport] = connections.get(transport, 0) + 1
            for sub in hub.subscriptions_of(connection):
                counted = (transport, str(sub.audience))
                subscriptions[counted] = subscriptions.get(counted, 0) + 1
        # Labels seen before but empty now go back to zero rather than keep their last value.
        for transport in ("ws", "sse", *connections):
            self.live_connections.labels(transport).set(connections.get(transport, 0))
        known: set[tuple[str, str]] = {(t, a) for t in ("ws", "sse") for a in ("public", "moderators")}
        for key in known | set(subscriptions):
            self.live_subscriptions.labels(*key).set(subscriptions.get(key, 0))

    def exposition(self) -> tuple[bytes, str]:
        """The text a scrape gets, and its content type."""
        registry: Any = self.registry
        if multiprocess():
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST


@contextlib.asynccontextmanager
async def gauges_refreshed(metrics: Metrics, pool: "Pool", hub: "Hub") -> AsyncIterator[None]:
    """In multiprocess mode, keep this worker's gauges current while the app runs."""
    if not multiprocess():
        yield
        return

    async def refresh() -> None:
        while True:
            metrics.observe_pool(pool)
            metrics.observe_hub(hub)
            await asyncio.sleep(MULTIPROCESS_REFRESH_SECS)

    task = asyncio.create_task(refresh(), name="metrics-refresh")
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


class LiveTally:
    """Live delivery's reports (`server/live/tally.py`) as Prometheus metrics."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def delivered(self, frames: int, lag_secs: float) -> None:
        if frames:
            self._metrics.events_delivered.inc(frames)
            self._metrics.delivery_lag.observe(max(0.0, lag_secs))

    def caught_up(self) -> None:
        self._metrics.catch_ups.inc()

    def resynced(self, reason: str) -> None:
        self._metrics.resyncs.labels(reason).inc()

    def closed_slow(self, connections: int) -> None:
        if connections:
            self._metrics.slow_client_closes.inc(connections)

    def statistics_read(self, reason: str) -> None:
        self._metrics.statistics_reads.labels(reason).inc()

    async def bus_reconnected(self) -> None:
        self._metrics.bus_reconnects.inc()
