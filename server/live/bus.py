"""The bus carries committed events to the other app processes.

Without REDIS_URL there is one process and `LocalBus` does nothing: the
writer's own hub already has the event. With it, `RedisBus` publishes every
event on one pub/sub channel and hands what it receives to the hub. On a Redis
Cluster (ROUNDTABLE_REDIS_CLUSTER) it uses sharded pub/sub instead: a space's
events always go to the same one of `BUS_SHARDS` hash-slotted channels, so they
stay in order, and every process subscribes to all of them. Redis is a fast
path only: the hub repairs anything lost from PostgreSQL, and on every
(re)connect the bus asks it to, since events published while it was away are
gone.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from redis.asyncio.client import PubSub
from redis.asyncio.cluster import ClusterPubSub, RedisCluster

from server.events import Event
from server.running.redis_client import REDIS_FAILURES, connect_redis

log = logging.getLogger(__name__)

EventHandler = Callable[[Event], None]
ReconnectHandler = Callable[[], Awaitable[None]]

# Publishing never waits on Redis in a request: events queue here for the
# publisher task. Past this many (Redis down for long), newer ones are
# dropped; every process reads them from the log within its repair interval.
PUBLISH_QUEUE_EVENTS = 10_000
# Reconnect quickly after a blip, but do not hammer a Redis that is down.
RECONNECT_MIN_SECS, RECONNECT_MAX_SECS = 0.1, 5.0
# Sharded channels on a cluster: enough to spread over a cluster's usual 3 to 15
# shards, few enough that each process's subscriptions stay cheap. A space's
# channel is its id modulo this, so changing it needs all processes restarted at once.
BUS_SHARDS = 16
# A cluster's messages arrive on one connection per node, polled in turn: a short
# wait on each keeps the delay of the next node's message under a few of these.
CLUSTER_POLL_SECS = 0.02
# Plain pub/sub has one connection: wait on it long, the loop wakes on a message.
POLL_SECS = 1.0

MessageWait = Callable[[], Awaitable[dict[str, Any] | None]]


class Bus(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, event: Event) -> None:
        """Hand a committed event to the other processes (best effort: the log is the truth)."""

    def add_handler(self, handler: EventHandler) -> None: ...

    def add_reconnect_handler(self, handler: ReconnectHandler) -> None: ...

    async def ping(self) -> bool: ...


class LocalBus:
    """One process: nothing to carry."""

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def publish(self, event: Event) -> None:
        return None

    def add_handler(self, handler: EventHandler) -> None:
        return None

    def add_reconnect_handler(self, handler: ReconnectHandler) -> None:
        return None

    async def ping(self) -> bool:
        return True


class RedisBus:
    def __init__(self, url: str, prefix: str, cluster: bool = False) -> None:
        self.redis = connect_redis(url, cluster)
        # The braces are the channel's hash tag: on a cluster, shard n lives in n's slot.
        self.channels = (
            [f"{prefix}:events:{{{n}}}" for n in range(BUS_SHARDS)] if cluster else [f"{prefix}:events"]
        )
        self.connected = False
        self._handlers: list[EventHandler] = []
        self._reconnect_handlers: list[ReconnectHandler] = []
        self._outgoing: asyncio.Queue[Event] = asyncio.Queue(PUBLISH_QUEUE_EVENTS)
        self._tasks: list[asyncio.Task[None]] = []
        self.dropped_publishes = 0

    def channel_of(self, event: Event) -> str:
        """Always the same channel for a space: its events stay in order."""
        return self.channels[event.space_id % len(self.channels)]

    def add_handler(self, handler: EventHandler) -> None:
        self._handlers.append(handler)

    def add_reconnect_handler(self, handler: ReconnectHandler) -> None:
        self._reconnect_handlers.append(handler)

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._listen(), name="bus-listen"),
            asyncio.create_task(self._publish_queued(), name="bus-publish"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        await self.redis.aclose()

    async def publish(self, event: Event) -> None:
        try:
            self._outgoing.put_nowait(event)
        except asyncio.QueueFull:
            self.dropped_publishes += 1

    async def _publish_queued(self) -> None:
        while True:
            event = await self._outgoing.get()
            data = event.to_bus()
            delay = RECONNECT_MIN_SECS
            while True:
                try:
                    if isinstance(self.redis, RedisCluster):
                        await self.redis.spublish(self.channel_of(event), data)
                    else:
                        await self.redis.publish(self.channel_of(event), data)
                    break
                except REDIS_FAILURES as exc:
                    # Keep order: retry this event before any later one.
                    log.warning("publish failed (%s); retrying in %.1fs", exc, delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RECONNECT_MAX_SECS)

    async def _subscribe(self) -> tuple[PubSub, MessageWait]:
        """Subscribe to every channel; return the subscription and how to wait for its next message."""
        if isinstance(self.redis, RedisCluster):
            # Learn (again) which node serves which slot: a subscription sends no command that would.
            await self.redis.initialize()
            sharded = ClusterPubSub(self.redis, ignore_subscribe_messages=True)
            await sharded.ssubscribe(*self.channels)
            return sharded, lambda: sharded.get_sharded_message(timeout=CLUSTER_POLL_SECS)
        plain = self.redis.pubsub(ignore_subscribe_messages=True)
        await plain.subscribe(*self.channels)
        return plain, lambda: plain.get_message(timeout=POLL_SECS)

    async def _listen(self) -> None:
        delay = RECONNECT_MIN_SECS
        while True:
            pubsub: PubSub | None = None
            try:
                pubsub, next_message = await self._subscribe()
                self.connected = True
                delay = RECONNECT_MIN_SECS
                for handler in self._reconnect_handlers:
                    await handler()
                while True:
                    message = await next_message()
                    if message is None or message.get("type") not in ("message", "smessage"):
                        continue
                    try:
                        event = Event.from_bus(message["data"])
                    except (ValueError, KeyError, TypeError):
                        log.warning("ignoring a malformed message on %s", message.get("channel"))
                        continue
                    for event_handler in self._handlers:
                        event_handler(event)
            except REDIS_FAILURES as exc:
                if self.connected:
                    log.warning("lost the bus (%s); reconnecting", exc)
                self.connected = False
            finally:
                if pubsub is not None:
                    with contextlib.suppress(*REDIS_FAILURES):
                        await pubsub.aclose()  # type: ignore[no-untyped-call]
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_MAX_SECS)

    async def ping(self) -> bool:
        try:
            return bool(await self.redis.ping())
        except REDIS_FAILURES:
            return False
