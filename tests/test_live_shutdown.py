"""Graceful shutdown: a process that gets SIGTERM tells its live clients to come back
at moments spread over `restart_spread_secs`, and they resume on another process
with every event once, in order.

Two real app processes share PostgreSQL and Redis, as in tests/test_live_processes.py.
"""

import asyncio
from contextlib import AsyncExitStack
from typing import Any

import httpx
import orjson
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from server.live import messages
from tests.helpers import Api, User, app_env, start_process
from tests.live import SseClient, sse_client

SLUG = "water"
RESTART_SPREAD_SECS = 2.0
SHUTDOWN_GRACE_SECS = 5
WEBSOCKET_FOLLOWERS = 4
SSE_FOLLOWERS = 2
# Generous for a loaded 2-core machine: the stopping process is told to finish within
# the grace period; this only keeps a broken shutdown from hanging the suite.
EXIT_TIMEOUT_SECS = SHUTDOWN_GRACE_SECS + 15
CATCH_UP_TIMEOUT_SECS = 30


class Follower:
    """A client that follows the space, and on a drop resumes on the other process
    after the delay it was given: what client/live.js does."""

    def __init__(self, progress: asyncio.Condition) -> None:
        self.progress = progress
        self.seen: list[dict[str, Any]] = []
        self.seq: int | None = None
        self.epoch: str | None = None
        self.retry_after_ms: list[int] = []
        self.close_codes: list[int | None] = []

    async def took(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind in ("snapshot", "subscribed"):
            self.seq, self.epoch = message["seq"], message["epoch"]
        elif kind == "events":
            self.seen.extend(message["events"])
            self.seq = message["seq"]
        elif kind == "reconnect":
            self.retry_after_ms.append(message["retry_after_ms"])
        async with self.progress:
            self.progress.notify_all()

    async def pause(self) -> None:
        """Wait the delay the stopping server gave (else a little, as a backoff would)."""
        delay_ms = self.retry_after_ms[-1] if self.retry_after_ms else 100
        await asyncio.sleep(delay_ms / 1000)

    async def follow(self, urls: list[str]) -> None:
        """Follow the space at the first URL, then resume at the next after each drop."""
        raise NotImplementedError

    def comment_seqs(self) -> list[int]:
        return [e["seq"] for e in self.seen if e["type"] == "comment.created"]


class WebSocketFollower(Follower):
    async def follow(self, urls: list[str]) -> None:
        for url in urls:
            async with connect(url, compression=None, max_size=None) as ws:
                body: dict[str, Any] = {"type": "subscribe", "space": SLUG, "since": self.seq}
                if self.seq is not None:
                    body["epoch"] = self.epoch
                await ws.send(orjson.dumps(body).decode())
                try:
                    async for raw in ws:
                        await self.took(orjson.loads(raw))
                except ConnectionClosed:
                    pass
                self.close_codes.append(ws.close_code)
            await self.pause()


class SseFollower(Follower):
    async def follow(self, urls: list[str]) -> None:
        for url in urls:
            async with httpx.AsyncClient(base_url=url, timeout=10) as http:
                headers = {} if self.seq is None else {"Last-Event-ID": str(self.seq)}
                async with sse_client(http, SLUG, headers=headers) as stream:
                    await self._read(stream)
            await self.pause()

    async def _read(self, stream: SseClient) -> None:
        try:
            while True:
                message = await stream.receive(timeout=CATCH_UP_TIMEOUT_SECS)
                if message["type"] == "events":
                    # SseClient keeps its own list too; this one spans reconnections.
                    stream.seen.clear()
                await self.took(message)
        except (EOFError, httpx.HTTPError):
            pass


async def _scene(api: Api) -> tuple[int, User]:
    await api.space(SLUG)
    question = await api.question(SLUG)
    return question["id"], await api.register("Alice")


async def test_sigterm_during_a_stream_of_posts_moves_every_client_to_another_process_losing_nothing(
    api: Api, database_url: str, redis_url: str, bus_prefix: str
) -> None:
    question_id, alice = await _scene(api)
    env = app_env(database_url, redis_url, bus_prefix) | {
        "ROUNDTABLE_RESTART_SPREAD_SECS": str(RESTART_SPREAD_SECS),
        "ROUNDTABLE_SHUTDOWN_GRACE_SECS": str(SHUTDOWN_GRACE_SECS),
    }
    progress = asyncio.Condition()
    followers: list[Follower] = [WebSocketFollower(progress) for _ in range(WEBSOCKET_FOLLOWERS)]
    followers += [SseFollower(progress) for _ in range(SSE_FOLLOWERS)]
    async with AsyncExitStack() as stack:
        stopping = await stack.enter_async_context(start_process(env))
        staying = await stack.enter_async_context(start_process(env))
        tasks = []
        for follower in followers:
            if isinstance(follower, WebSocketFollower):
                urls = [stopping.ws_url, staying.ws_url]
            else:
                urls = [stopping.url, staying.url]
            tasks.append(asyncio.create_task(follower.follow(urls)))
        stack.callback(lambda: [task.cancel() for task in tasks])
        async with asyncio.timeout(CATCH_UP_TIMEOUT_SECS), progress:
            await progress.wait_for(lambda: all(f.seq is not None for f in followers))

        posted: list[int] = []

        async def keep_posting(count: int) -> None:
            for n in range(count):
                response = await api.http.post(
                    f"{staying.url}/api/v1/questions/{question_id}/comments",
                    json={"body": f"Comment {n}."},
                    headers=alice.headers,
                )
                assert response.status_code == 201, response.text
                posted.append(response.json()["event_seq"])
                if n == 10:
                    stopping.process.terminate()

        await keep_posting(60)
        async with asyncio.timeout(EXIT_TIMEOUT_SECS):
            # A clean exit: `roundtable serve` turns the SIGTERM uvicorn raises
            # again after its shutdown into a normal return (server/running/cli.py).
            assert await stopping.process.wait() == 0
        async with asyncio.timeout(CATCH_UP_TIMEOUT_SECS), progress:
            await progress.wait_for(lambda: all((f.seq or 0) >= posted[-1] for f in followers))

    for follower in followers:
        assert follower.comment_seqs() == posted
        seqs = [e["seq"] for e in follower.seen]
        assert seqs == sorted(set(seqs)), "an event arrived twice or out of order"
        (delay_ms,) = follower.retry_after_ms
        assert 0 <= delay_ms <= RESTART_SPREAD_SECS * 1000
    for follower in followers[:WEBSOCKET_FOLLOWERS]:
        assert follower.close_codes[0] == messages.CLOSE_SERVICE_RESTART
    # Each connection has a moment of its own: they do not all come back at once.
    assert len({f.retry_after_ms[0] for f in followers}) > 1
