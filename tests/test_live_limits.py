"""Live endpoint limits: connections per address and in total, frame size, message
and subscription rates, and every outbound message counted against the byte limit."""

import asyncio
import base64
import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
import orjson
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from server.live import messages
from server.live.outbound import Frame, Outbox
from server.running.settings import Settings
from tests.helpers import Api, RunningServer, assert_error, assert_frame, start_server
from tests.live import RECEIVE_TIMEOUT_SECS, live_client, sse_client

SLUG = "water"
PER_ADDRESS = 2
MESSAGES_BURST = 4
SUBSCRIPTIONS_BURST = 2
MAX_REFUSALS = 3


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        live_max_connections_per_address=PER_ADDRESS,
        live_messages_burst=MESSAGES_BURST,
        # Slow enough that no token comes back while a test runs.
        live_messages_per_sec=0.01,
        live_subscriptions_burst=SUBSCRIPTIONS_BURST,
        live_subscriptions_per_sec=0.01,
        live_max_refusals=MAX_REFUSALS,
    )


def assert_refused(refusal: InvalidStatus, status: int, code: str) -> None:
    """A WebSocket handshake refused with an HTTP answer in the API's error shape."""
    response = refusal.response
    assert response.status_code == status
    body = orjson.loads(response.body or b"{}")
    assert body["error"]["code"] == code, body


def assert_rate_limited(message: dict[str, object]) -> None:
    assert_frame(message, "error")
    assert message["code"] == "rate_limited", message
    details = message["details"]
    assert isinstance(details, dict) and details["retry_after_ms"] > 0


async def test_a_live_connection_beyond_the_per_address_limit_is_refused_before_the_handshake(
    api: Api, server: RunningServer, client: httpx.AsyncClient
) -> None:
    await api.space(SLUG)
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(live_client(server.ws_url))
        stream = await stack.enter_async_context(sse_client(client, SLUG))
        assert (await stream.receive())["type"] == "snapshot"
        with pytest.raises(InvalidStatus) as refused:
            await stack.enter_async_context(live_client(server.ws_url))
        assert_refused(refused.value, 429, "too_many_connections")
        over = await client.get(f"/api/v1/spaces/{SLUG}/events")
        assert_error(over, 429, "too_many_connections")
        # The connections admitted are served as before.
        assert_frame(await first.subscribe(SLUG), "snapshot")
    # Their places are given back when they end.
    async with live_client(server.ws_url) as again, live_client(server.ws_url) as twice:
        for live in (again, twice):
            assert_frame(await live.subscribe(SLUG), "snapshot")


async def test_a_live_connection_beyond_the_process_limit_is_refused_with_server_busy(
    database_url: str,
) -> None:
    settings = Settings(database_url=database_url, live_max_connections=1)
    async with start_server(settings) as one, live_client(one.ws_url):
        with pytest.raises(InvalidStatus) as refused:
            async with live_client(one.ws_url):
                pass
        assert_refused(refused.value, 503, "server_busy")


@asynccontextmanager
async def raw_websocket(port: int) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    """A WebSocket handshake on a plain socket, to send frames no client library would."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    async with asyncio.timeout(RECEIVE_TIMEOUT_SECS):
        response = await reader.readuntil(b"\r\n\r\n")
    assert response.startswith(b"HTTP/1.1 101"), response
    try:
        yield reader, writer
    finally:
        writer.close()


async def test_a_frame_announcing_more_than_the_limit_is_refused_with_1009_before_its_payload_arrives(
    server: RunningServer,
) -> None:
    async with raw_websocket(server.port) as (reader, writer):
        # Only the header of a masked text frame of a gigabyte: a server that waited
        # for the payload, or buffered it, would never answer.
        writer.write(bytes((0x81, 0x80 | 127)) + (1 << 30).to_bytes(8, "big") + b"\0\0\0\0")
        await writer.drain()
        async with asyncio.timeout(RECEIVE_TIMEOUT_SECS):
            head = await reader.readexactly(2)
            payload = await reader.readexactly(head[1] & 0x7F)
    assert head[0] & 0x0F == 0x8, "a close frame"
    assert int.from_bytes(payload[:2], "big") == messages.CLOSE_MESSAGE_TOO_BIG


async def test_messages_past_the_rate_get_rate_limited_and_a_client_that_keeps_on_is_closed_with_4029(
    server: RunningServer,
) -> None:
    async with live_client(server.ws_url) as live:
        for _ in range(MESSAGES_BURST):
            await live.send({"type": "ping"})
            assert_frame(await live.receive(), "pong")
        for _ in range(MAX_REFUSALS):
            await live.send({"type": "ping"})
            assert_rate_limited(await live.receive())
        with pytest.raises(ConnectionClosed) as closed:
            await live.send({"type": "ping"})
            await live.receive()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == messages.CLOSE_RATE_LIMITED


async def test_subscribing_and_unsubscribing_over_and_over_gets_rate_limited(
    api: Api, server: RunningServer
) -> None:
    await api.space(SLUG)
    async with live_client(server.ws_url) as live:
        assert_frame(await live.subscribe(SLUG), "snapshot")
        await live.send({"type": "unsubscribe", "space": SLUG})
        assert_frame(await live.receive(), "unsubscribed")
        assert_rate_limited(await live.subscribe(SLUG))
        # Only churn is limited by this budget: a ping still gets its answer.
        await live.send({"type": "ping"})
        assert_frame(await live.receive(), "pong")


class _UnwritableSocket:
    """A socket whose client has stopped reading: nothing can be written now."""

    gone = False

    def can_write(self) -> bool:
        return False

    def write(self, frame: Frame) -> None:
        raise AssertionError("nothing is written to a socket that cannot take it")

    async def wait_writable(self) -> None:
        await asyncio.Event().wait()


def test_answers_to_a_client_that_does_not_read_count_against_its_byte_limit() -> None:
    outbox = Outbox(limit_bytes=1024, socket=_UnwritableSocket())
    pong = Frame({"type": "pong"})
    for _ in range(1024 // pong.size):
        outbox.push(pong)
    assert not outbox.closed and outbox.queued_bytes <= 1024
    outbox.push(pong)
    assert outbox.closed and outbox.close_code == messages.CLOSE_TOO_SLOW
    assert outbox.queued_bytes == 0, "the backlog is dropped: the client resumes with since"


def test_an_empty_queue_takes_a_snapshot_larger_than_the_limit() -> None:
    outbox = Outbox(limit_bytes=1024, socket=_UnwritableSocket())
    outbox.push(Frame({"type": "snapshot", "state": {"comments": ["x" * 2000]}}))
    assert not outbox.closed and outbox.queued_bytes > 1024


