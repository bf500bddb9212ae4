"""Two app processes sharing PostgreSQL and a real Redis: fan-out, outages, presence.

Each app runs as `python -m server serve` in a process of its own; the
in-process `server` fixture only sets the scene (admin, space, people).
"""

import asyncio
from collections.abc import Iterator
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from server.running.embedded import EmbeddedValkey
from tests.helpers import Api, User, app_env, assert_frame, start_process, two_processes
from tests.live import LiveClient, SseClient, live_client, sse_client

SLUG = "water"
# Comments acknowledged before the Redis restart, and again after it (counts, never a time
# window: a loaded machine posts slowly).
POSTS_EACH_SIDE = 10
POSTING_TIMEOUT_SECS = 60


async def post(http: httpx.AsyncClient, base_url: str, author: User, question_id: int, body: str) -> int:
    response = await http.post(
        f"{base_url}/api/v1/questions/{question_id}/comments", json={"body": body}, headers=author.headers
    )
    assert response.status_code == 201, response.text
    seq: int = response.json()["event_seq"]
    return seq


async def _scene(api: Api) -> tuple[int, User]:
    await api.space(SLUG)
    question = await api.question(SLUG)
    return question["id"], await api.register("Alice")


def comment_seqs(client: LiveClient | SseClient) -> list[int]:
    return [e["seq"] for e in client.seen if e["type"] == "comment.created"]


async def test_comment_posted_on_one_process_reaches_websocket_and_sse_clients_on_the_other(
    api: Api, database_url: str, redis_url: str, bus_prefix: str
) -> None:
    question_id, alice = await _scene(api)
    async with (
        two_processes(app_env(database_url, redis_url, bus_prefix)) as (a, b),
        httpx.AsyncClient(base_url=b.url, timeout=10) as http_b,
        live_client(b.ws_url) as ws_on_b,
        sse_client(http_b, SLUG) as sse_on_b,
    ):
        assert_frame(await ws_on_b.subscribe(SLUG), "snapshot")
        assert (await sse_on_b.receive())["type"] == "snapshot"
        posted = [await post(api.http, a.url, alice, question_id, f"From A, {n}.") for n in range(5)]
        for client in (ws_on_b, sse_on_b):
            await client.events_through(posted[-1])
            assert comment_seqs(client) == posted
            assert [e["data"]["comment"]["body"] for e in client.seen] == [f"From A, {n}." for n in range(5)]


@pytest.fixture
def private_valkey() -> Iterator[tuple[EmbeddedValkey, str]]:
    """A Valkey of this test's own, so that restarting it disturbs no other test."""
    valkey = EmbeddedValkey()
    url = valkey.start()
    yield valkey, url
    valkey.stop()


async def test_redis_restart_while_posting_loses_and_repeats_nothing(
    api: Api, database_url: str, bus_prefix: str, private_valkey: tuple[EmbeddedValkey, str]
) -> None:
    valkey, redis_url = private_valkey
    question_id, alice = await _scene(api)
    async with AsyncExitStack() as stack:
        a, b = await stack.enter_async_context(two_processes(app_env(database_url, redis_url, bus_prefix)))
        http_b = await stack.enter_async_context(httpx.AsyncClient(base_url=b.url, timeout=10))
        clients: list[LiveClient | SseClient] = [
            await stack.enter_async_context(live_client(a.ws_url)),
            await stack.enter_async_context(live_client(b.ws_url)),
            await stack.enter_async_context(sse_client(http_b, SLUG)),
        ]
        for client in clients:
            if isinstance(client, LiveClient):
                assert_frame(await client.subscribe(SLUG), "snapshot")
            else:
                assert (await client.receive())["type"] == "snapshot"

        posted: list[int] = []
        stop = asyncio.Event()
        progress = asyncio.Condition()

        async def keep_posting() -> None:
            n = 0
            while not stop.is_set():
                target = (a, b)[n % 2]
                seq = await post(api.http, target.url, alice, question_id, f"Comment {n}.")
                async with progress:
                    posted.append(seq)
                    progress.notify_all()
                n += 1
                await asyncio.sleep(0.02)

        async def posts_reach(count: int) -> None:
            async with asyncio.timeout(POSTING_TIMEOUT_SECS), progress:
                await progress.wait_for(lambda: len(posted) >= count)

        # Comments go on through both processes before, during and after the restart; the
        # clients read afterwards: until then their messages wait in the sockets.
        poster = asyncio.create_task(keep_posting())
        try:
            await posts_reach(POSTS_EACH_SIDE)
            await asyncio.to_thread(valkey.restart)
            await posts_reach(len(posted) + POSTS_EACH_SIDE)
        finally:
            stop.set()
            await poster
        for client in clients:
            await client.events_through(posted[-1], timeout=15)

        for client in clients:
            assert comment_seqs(client) == sorted(posted)
            seqs = [e["seq"] for e in client.seen]
            assert seqs == sorted(set(seqs)), "an event arrived twice or out of order"


async def _presence_until(client: LiveClient, expected: dict[str, Any]) -> dict[str, Any]:
    async with asyncio.timeout(10):
        while True:
            message = await client.receive_type("presence")
            if all(message[k] == v for k, v in expected.items()):
                return message


async def test_presence_counts_people_on_every_process(
    api: Api, database_url: str, redis_url: str, bus_prefix: str
) -> None:
    await _scene(api)
    moderator = await api.moderator(SLUG)
    reader = await api.register("Reader")
    async with two_processes(app_env(database_url, redis_url, bus_prefix)) as (a, b):
        async with (
            live_client(a.ws_url, moderator.token) as chair,
            live_client(b.ws_url, reader.token) as guest,
        ):
            assert_frame(await chair.subscribe(SLUG), "snapshot")
            assert_frame(await guest.subscribe(SLUG), "snapshot")
            both = {"participants": 1, "moderators": 1}
            await _presence_until(chair, both)
            await _presence_until(guest, both)
        async with live_client(a.ws_url, moderator.token) as chair:
            assert_frame(await chair.subscribe(SLUG), "snapshot")
            # The guest on B has left: its entry goes with its process's next update.
            await _presence_until(chair, {"participants": 0, "moderators": 1})


async def test_a_stopping_process_ends_its_live_connections_so_clients_resume_elsewhere(
    api: Api, database_url: str, redis_url: str, bus_prefix: str
) -> None:
    await _scene(api)
    async with (
        start_process(app_env(database_url, redis_url, bus_prefix)) as a,
        httpx.AsyncClient(base_url=a.url, timeout=10) as http,
        live_client(a.ws_url) as ws,
        sse_client(http, SLUG) as stream,
    ):
        assert_frame(await ws.subscribe(SLUG), "snapshot")
        assert (await stream.receive())["type"] == "snapshot"
        a.process.terminate()
        # Told when to come back (tests/test_live_shutdown.py follows them there), then closed.
        assert_frame(await ws.receive(timeout=10), "reconnect")
        with pytest.raises(ConnectionClosed) as closed:
            await ws.receive(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
        assert (await stream.receive(timeout=10))["type"] == "reconnect"
        with pytest.raises((EOFError, httpx.HTTPError)):
            while True:
                await stream.receive(timeout=10)
        # The SSE stream ended when its client was told to reconnect: nothing holds the process.
        async with asyncio.timeout(20):
            await a.process.wait()
