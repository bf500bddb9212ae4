"""A small live-protocol client for tests: WebSocket and SSE."""

import asyncio
import base64
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect

# Generous for a loaded 2-core CI machine; a healthy delivery takes milliseconds.
RECEIVE_TIMEOUT_SECS = 10
# Ephemeral messages a test about events does not care about.
EPHEMERAL = frozenset({"presence", "heartbeat", "statistics"})


class LiveClient:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.seen: list[dict[str, Any]] = []  # every event received, in order

    async def send(self, message: dict[str, Any] | str | bytes) -> None:
        if isinstance(message, dict):
            message = orjson.dumps(message).decode()
        await self.ws.send(message)

    async def receive(
        self, *, skip_ephemeral: bool = True, timeout: float = RECEIVE_TIMEOUT_SECS
    ) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while True:
                raw = await self.ws.recv()
                message: dict[str, Any] = orjson.loads(raw)
                if message["type"] == "events":
                    self.seen.extend(message["events"])
                if skip_ephemeral and message["type"] in EPHEMERAL:
                    continue
                return message

    async def receive_type(self, type_: str, timeout: float = RECEIVE_TIMEOUT_SECS) -> dict[str, Any]:
        """Skip messages until one of this type arrives."""
        async with asyncio.timeout(timeout):
            while True:
                message = await self.receive(skip_ephemeral=type_ not in EPHEMERAL, timeout=timeout)
                if message["type"] == type_:
                    return message

    async def subscribe(
        self, space: str, since: int | None = None, epoch: str | None = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"type": "subscribe", "space": space, "since": since}
        if epoch is not None:
            body["epoch"] = epoch
        await self.send(body)
        return await self.receive()

    async def events_through(self, seq: int, timeout: float = RECEIVE_TIMEOUT_SECS) -> list[dict[str, Any]]:
        """Receive until an events frame covers `seq`; return every event seen so far."""
        async with asyncio.timeout(timeout):
            while not self.seen or self.seen[-1]["seq"] < seq:
                await self.receive()
        return self.seen


@asynccontextmanager
async def live_client(ws_url: str, token: str | None = None, **headers: str) -> AsyncIterator[LiveClient]:
    extra = dict(headers)
    if token:
        extra["Authorization"] = f"Bearer {token}"
    async with connect(ws_url, additional_headers=extra, compression=None, max_size=None) as ws:
        yield LiveClient(ws)


class SseClient:
    """Reads a Server-Sent Events stream into (id, event, data) messages."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines = response.aiter_lines()
        self.seen: list[dict[str, Any]] = []

    async def receive(
        self, *, skip_ephemeral: bool = True, timeout: float = RECEIVE_TIMEOUT_SECS
    ) -> dict[str, Any]:
        fields: dict[str, str] = {}
        async with asyncio.timeout(timeout):
            async for line in self._lines:
                if line == "":
                    if "data" in fields:
                        message: dict[str, Any] = orjson.loads(fields["data"])
                        message["_id"] = fields.get("id")
                        message["_event"] = fields.get("event")
                        if message.get("type") == "events":
                            self.seen.extend(message["events"])
                        if not (skip_ephemeral and message.get("type") in EPHEMERAL):
                            return message
                    fields = {}
                    continue
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")
        raise EOFError("stream ended")

    async def receive_type(self, type_: str, timeout: float = RECEIVE_TIMEOUT_SECS) -> dict[str, Any]:
        """Skip messages until one of this type arrives."""
        async with asyncio.timeout(timeout):
            while True:
                message = await self.receive(skip_ephemeral=type_ not in EPHEMERAL, timeout=timeout)
                if message["type"] == type_:
                    return message

    async def events_through(self, seq: int, timeout: float = RECEIVE_TIMEOUT_SECS) -> list[dict[str, Any]]:
        async with asyncio.timeout(timeout):
            while not self.seen or self.seen[-1]["seq"] < seq:
                await self.receive()
        return self.seen


@asynccontextmanager
async def sse_client(
    http: httpx.AsyncClient, slug: str, headers: dict[str, str] | None = None, **params: Any
) -> AsyncIterator[SseClient]:
    async with http.stream(
        "GET",
        f"/api/v1/spaces/{slug}/events",
        headers=headers or {},
        params=params,
        timeout=httpx.Timeout(10, read=None),
    ) as response:
        yield SseClient(response)


class StalledClient:
    """A WebSocket client that subscribes and then stops reading, like a phone in a tunnel.

    Written on a raw socket with a tiny receive buffer, so the server's
    buffers, not the client library's, fill up.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def send_text(self, text: str) -> None:
        # Client frames are masked (RFC 6455 section 5.3); a zero mask keeps the payload as is.
        payload = text.encode()
        assert len(payload) < 126
        self.writer.write(bytes((0x81, 0x80 | len(payload))) + b"\0\0\0\0" + payload)
        await self.writer.drain()

    async def close_code(self, timeout: float = RECEIVE_TIMEOUT_SECS) -> int:
        """Read everything the server sent until its closing frame, and return the close code."""
        async with asyncio.timeout(timeout):
            while True:
                head = await self.reader.readexactly(2)
                length = head[1] & 0x7F
                if length == 126:
                    length = int.from_bytes(await self.reader.readexactly(2), "big")
                elif length == 127:
                    length = int.from_bytes(await self.reader.readexactly(8), "big")
                payload = await self.reader.readexactly(length)
                if head[0] & 0x0F == 0x8:
                    return int.from_bytes(payload[:2], "big")


@asynccontextmanager
async def stalled_client(port: int, space: str) -> AsyncIterator[StalledClient]:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    # A small stream limit: the client's own buffer stays tiny too.
    reader, writer = await asyncio.open_connection(sock=sock, limit=1024)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    response = await reader.readuntil(b"\r\n\r\n")
    assert response.startswith(b"HTTP/1.1 101"), response
    client = StalledClient(reader, writer)
    await client.send_text(orjson.dumps({"type": "subscribe", "space": space, "since": None}).decode())
    try:
        yield client
    finally:
        writer.close()
