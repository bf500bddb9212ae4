"""The bus carries committed events to the other app processes.

Without REDIS_URL there is one process and `LocalBus` does nothing: the
writer's own hub already has the event. With it, `RedisBus` publishes every
event on one pub/sub channel and hands what it receives to the hub. Redis is
a fast path only: the hub repairs anything lost from PostgreSQL, and on every
(re)connect the bus asks it to, since events published while it was away are
gone.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

import redis.asyncio as redis
from redis.exceptions import RedisError

from server.events import Event

log = logging.getLogger(__name__)

EventHandler = Callable[[Event], None]
ReconnectHandler = Callable[[], Awaitable[None]]

# Publishing never waits on Redis in a request: events queue here for the
# publisher task. Past this many (Redis down for long), newer ones are
# dropped; every process reads them from the log within its repair interval.
PUBLISH_QUEUE_EVENTS = 10_000
# Reconnect quickly after a blip, but do not hammer a Redis that is down.
RECONNECT_MIN_SECS, RECONNECT_MAX_SECS = 0.1, 5.0
# Short timeouts: a dead Redis must be noticed in about a second.
REDIS_TIMEOUT_SECS = 2.0


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
    def __init__(self, url: str, prefix: str) -> None:
        self.redis = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECS, socket_connect_timeout=REDIS_TIMEOUT_SECS
        )
        self.channel = f"{prefix}:events"
        self.connected = False
        self._handlers: list[EventHandler] = []
        self._reconnect_handlers: list[ReconnectHandler] = []
        self._outgoing: asyncio.Queue[Event] = asyncio.Queue(PUBLISH_QUEUE_EVENTS)
        self._tasks: list[asyncio.Task[None]] = []
        self.dropped_publishes = 0

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
                    await self.redis.publish(self.channel, data)
                    break
                except (RedisError, OSError) as exc:
                    # Keep order: retry this event before any later one.
                    log.warning("publish failed (%s); retrying in %.1fs", exc, delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RECONNECT_MAX_SECS)

    async def _listen(self) -> None:
        delay = RECONNECT_MIN_SECS
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                self.connected = True
                delay = RECONNECT_MIN_SECS
                for handler in self._reconnect_handlers:
                    await handler()
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is None or message.get("type") != "message":
                        continue
                    try:
                        event = Event.from_bus(message["data"])
                    except (ValueError, KeyError, TypeError):
                        log.warning("ignoring a malformed message on %s", self.channel)
                        continue
                    for event_handler in self._handlers:
                        event_handler(event)
            except (RedisError, OSError) as exc:
                if self.connected:
                    log.warning("lost the bus (%s); reconnecting", exc)
                self.connected = False
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_MAX_SECS)

    async def ping(self) -> bool:
        try:
            return bool(await self.redis.ping())
        except (RedisError, OSError):
            return False
