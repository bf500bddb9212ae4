"""A bound on state-changing requests in flight, so that writes never hold the whole pool.

Writers of one space queue on that space's row lock (server/queries/events.py)
while each holds a pooled connection: a flood of posts to one space would
otherwise take every connection and stall reads and logins everywhere. Writes
may hold `db_writer_share` of the pool; the rest stays for reads, logins and
sign-ups, which are never limited here. A write that waits for a slot longer
than the pool's acquire timeout gets `service_unavailable`, with nothing written.
"""

import asyncio

import orjson
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from server.running.database import DatabaseUnavailable
from server.running.metrics import Metrics
from server.running.settings import Settings

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Logging in and out and registering must get through a flood of comments;
# a preview renders text and touches no table.
UNLIMITED_PREFIXES = ("/api/v1/auth/", "/api/v1/render")


def writer_slots(settings: Settings) -> int:
    return max(1, int(settings.db_pool_max_size * settings.db_writer_share))


class WriteLimit:
    def __init__(self, app: ASGIApp, settings: Settings, metrics: Metrics) -> None:
        self.app = app
        self.slots = asyncio.Semaphore(writer_slots(settings))
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
        self.metrics.writers_waiting.inc()
        try:
            async with asyncio.timeout(self.wait_secs):
                await self.slots.acquire()
        except TimeoutError:
            # Outside the app's exception handlers here: answer the error shape directly.
            busy = DatabaseUnavailable("Too many changes are in progress; nothing was changed. Try again.")
            await Response(orjson.dumps(busy.body()), busy.status, media_type="application/json")(
                scope, receive, send
            )
            return
        finally:
            self.metrics.writers_waiting.dec()
        try:
            await self.app(scope, receive, send)
        finally:
            self.slots.release()
