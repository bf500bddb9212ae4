"""The bus carries committed events to every app process.

`LocalBus` serves a single process; the Redis bus (for several processes)
offers the same small interface.
"""

from collections.abc import Awaitable, Callable
from typing import Protocol

from server.events import Event

EventHandler = Callable[[Event], Awaitable[None]]


class Bus(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, event: Event) -> None:
        """Hand a committed event to every process (best effort: the log is the truth)."""

    def add_handler(self, handler: EventHandler) -> None: ...

    async def ping(self) -> bool: ...


class LocalBus:
    """In-process bus: publishing calls this process's handlers directly."""

    def __init__(self) -> None:
        self._handlers: list[EventHandler] = []

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self._handlers.clear()

    async def publish(self, event: Event) -> None:
        for handler in self._handlers:
            await handler(event)

    def add_handler(self, handler: EventHandler) -> None:
        self._handlers.append(handler)

    async def ping(self) -> bool:
        return True
