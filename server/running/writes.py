"""Bounds on state-changing requests in flight, so that writes never hold the whole pool.

Writers of one space queue on that space's row lock (server/queries/events.py)
while each holds a pooled connection: a flood of posts to one space would
otherwise take every connection and stall reads and logins everywhere. Writes
may hold `db_writer_share` of the pool; the rest stays for reads, logins and
sign-ups, which are never limited here. Writes to one space may hold
`db_space_writer_share`, so that its flood leaves writer slots to the other
spaces: the extra writers wait here, holding no connection. A write that waits
longer than the pool's acquire timeout gets `service_unavailable`, with nothing
written.
"""

import asyncio
import contextlib
import re
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from server.queries import write_targets
from server.running.database import DatabaseUnavailable
from server.running.metrics import Metrics
from server.running.settings import Settings

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Logging in and out and registering must get through a flood of comments;
# a preview renders text and touches no table.
UNLIMITED_PREFIXES = ("/api/v1/auth/", "/api/v1/render")
# The resources whose paths name a space's write: the space itself, or one of its questions or comments.
SPACE_PATH = re.compile(r"^/api/v1/(spaces|questions|comments)/([^/]+)")


def writer_slots(settings: Settings) -> int:
    return max(1, int(settings.db_pool_max_size * settings.db_writer_share))


def space_writer_slots(settings: Settings) -> int:
    return max(1, int(settings.db_pool_max_size * settings.db_space_writer_share))


@dataclass
class SpaceSlots:
    semaphore: asyncio.Semaphore
    # Writers holding the semaphore or waiting for it: at zero, the space's entry goes.
    users: int = 0


class SpaceWriters:
    """At most `slots` writers per space at once, in this process."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._spaces: dict[int, SpaceSlots] = {}

    @contextlib.asynccontextmanager
    async def writing(self, space_id: int) -> AsyncIterator[None]:
        space = self._spaces.setdefault(space_id, SpaceSlots(asyncio.Semaphore(self.slots)))
        space.users += 1
        try:
            async with space.semaphore:
                yield
        finally:
            space.users -= 1
            if not space.users:
                del self._spaces[space_id]


# Paths whose space is remembered: a question's or a comment's space never changes, so
# a flood of posts to one question costs one lookup, not one per post.
REMEMBERED_TARGETS = 10_000


class SpaceOfWrite:
    """The space a write's path names, looked up once and remembered (least recently used first out).

    A slug given to another space later would bound the wrong space's writers until forgotten:
    harmless, the bound only decides who waits; the write itself reads its space afresh.
    """

    def __init__(self) -> None:
        self._known: OrderedDict[tuple[str, str], int] = OrderedDict()

    async def __call__(self, scope: Scope, path: str) -> int | None:
        """None when the path names no space, or none that exists (nothing is remembered then)."""
        match = SPACE_PATH.match(path)
        if match is None:
            return None
        kind, key = match.groups()
        if kind != "spaces" and not key.isdigit():
            return None
        target = (kind, key)
        space_id = self._known.get(target)
        if space_id is not None:
            self._known.move_to_end(target)
            return space_id
        space_id = await self._look_up(scope["app"].state.services.pool, kind, key)
        if space_id is not None:
            self._known[target] = space_id
            if len(self._known) > REMEMBERED_TARGETS:
                self._known.popitem(last=False)
        return space_id

    @staticmethod
    async def _look_up(pool: Any, kind: str, key: str) -> int | None:
        try:
            async with pool.acquire() as db:
                if kind == "spaces":
                    return await write_targets.space_id_by_slug(db, key)
                if kind == "questions":
                    return await write_targets.space_id_of_question(db, int(key))
                return await write_targets.space_id_of_comment(db, int(key))
        except (DatabaseUnavailable, asyncpg.PostgresError, OSError):
            # The write itself meets the same trouble and answers it; no space bound to take.
            return None


async def refuse(message: str, scope: Scope, receive: Receive, send: Send) -> None:
    # Outside the app's exception handlers here: answer the error shape directly.
    busy = DatabaseUnavailable(message)
    await Response(orjson.dumps(busy.body()), busy.status, media_type="application/json")(
        scope, receive, send
    )


class WriteLimit:
    def __init__(self, app: ASGIApp, settings: Settings, metrics: Metrics) -> None:
        self.app = app
        self.slots = asyncio.Semaphore(writer_slots(settings))
        self.spaces = SpaceWriters(space_writer_slots(settings))
        self.space_of_write = SpaceOfWrite()
        self.wait_secs = settings.db_acquire_timeout_secs
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] not in STATE_CHANGING
            or not path.startswith("/api/v1/")
            or path.startswith(UNLIMITED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        space_id = await self.space_of_write(scope, path)
        async with contextlib.AsyncExitStack() as held:
            # The space's slot first: its extra writers wait without taking one of everyone's.
            if space_id is not None and not await self._take(held, self.spaces.writing(space_id), "space"):
                message = "Too many changes are in progress in this space; nothing was changed. Try again."
                await refuse(message, scope, receive, send)
                return
            if not await self._take(held, self.slots, "writers"):
                await refuse(
                    "Too many changes are in progress; nothing was changed. Try again.", scope, receive, send
                )
                return
            await self.app(scope, receive, send)

    async def _take(
        self, held: contextlib.AsyncExitStack, slot: AbstractAsyncContextManager[Any], reason: str
    ) -> bool:
        """Hold `slot` until `held` closes, waiting at most the acquire timeout; False if it ran out."""
        waiting = self.metrics.writers_waiting.labels(reason)
        waiting.inc()
        try:
            async with asyncio.timeout(self.wait_secs):
                await held.enter_async_context(slot)
        except TimeoutError:
            self.metrics.writer_wait_timeouts.labels(reason).inc()
            return False
        finally:
            waiting.dec()
        return True
