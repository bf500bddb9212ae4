"""A minimal WebSocket client (RFC 6455) as an asyncio.Protocol, for the load generator.

Why not the `websockets` client: thousands of subscribers share two cores with
the servers under test, and a full client costs a coroutine wake-up, a UTF-8
decode and several allocations per message. Here the event loop calls
`data_received` once per read and every complete frame in it is handed to a
plain callback as bytes, with one timestamp for the read. Nothing is
negotiated (no extensions, so no compression), frames from the server are
never masked, and the few frames the client sends (subscribe, pong, close)
are tiny, so masking them with a Python int is cheap enough.
"""

import asyncio
import base64
import os
import time
from collections.abc import Callable
from typing import cast

OP_CONTINUATION = 0x0
OP_TEXT = 0x1
OP_BINARY = 0x2
OP_CLOSE = 0x8
OP_PING = 0x9
OP_PONG = 0xA

# Close code recorded when the TCP connection ends without a close frame.
CLOSE_ABNORMAL = 1006

# (payload, receive time) for every complete text or binary message.
MessageHandler = Callable[[bytes, float], None]
# The close code (CLOSE_ABNORMAL when the connection just dropped).
CloseHandler = Callable[[int], None]


class HandshakeError(Exception):
    pass


def _frame(opcode: int, payload: bytes) -> bytes:
    """A masked frame, as a client must send (RFC 6455 §5.3)."""
    n = len(payload)
    if n < 126:
        head = bytes((0x80 | opcode, 0x80 | n))
    elif n < 1 << 16:
        head = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        head = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
    key = os.urandom(4)
    if n:
        # XOR the payload with the repeated key in one big-int operation.
        keystream = (key * (n // 4 + 1))[:n]
        payload = (int.from_bytes(payload, "big") ^ int.from_bytes(keystream, "big")).to_bytes(n, "big")
    return head + key + payload


class WebSocketClient(asyncio.Protocol):
    """One client connection; create it with `connect_websocket`."""

    def __init__(
        self, host: str, port: int, path: str, on_message: MessageHandler, on_close: CloseHandler
    ) -> None:
        self._request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
        self._on_message = on_message
        self._on_close = on_close
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._fragments: list[bytes] = []
        self._upgraded = False
        self._closed = False
        self.handshake: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    # ---- asyncio.Protocol --------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it.
        self._transport = cast(asyncio.Transport, transport)
        self._transport.write(self._request)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        if not self._upgraded:
            self._buffer += data
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status_line = bytes(self._buffer[: self._buffer.find(b"\r\n")])
            rest = bytes(self._buffer[end + 4 :])
            self._buffer.clear()
            if not status_line.startswith(b"HTTP/1.1 101"):
                if not self.handshake.done():
                    self.handshake.set_exception(HandshakeError(status_line.decode(errors="replace")))
                self.abort()
                return
            self._upgraded = True
            if not self.handshake.done():
                self.handshake.set_result(None)
            data = rest
            if not data:
                return
        if self._buffer:
            self._buffer += data
            consumed = self._parse(self._buffer, now)
            del self._buffer[:consumed]
        else:
            # The common case: parse straight from the read, keep only a partial tail.
            consumed = self._parse(data, now)
            if consumed < len(data):
                self._buffer += data[consumed:]

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.handshake.done():
            self.handshake.set_exception(exc or HandshakeError("connection closed during the handshake"))
        self._finish(CLOSE_ABNORMAL)

    # ---- frames ------------------------------------------------------------

    def _parse(self, buf: bytes | bytearray, now: float) -> int:
        """Handle every complete frame in `buf`; return how many bytes they took."""
        pos = 0
        size = len(buf)
        while size - pos >= 2:
            b0 = buf[pos]
            length = buf[pos + 1] & 0x7F
            start = pos + 2
            if length == 126:
                if size - pos < 4:
                    break
                length = int.from_bytes(buf[pos + 2 : pos + 4], "big")
                start = pos + 4
            elif length == 127:
                if size - pos < 10:
                    break
                length = int.from_bytes(buf[pos + 2 : pos + 10], "big")
                start = pos + 10
            end = start + length
            if end > size:
                break
            self._frame_received(b0, bytes(buf[start:end]), now)
            pos = end
        return pos

    def _frame_received(self, b0: int, payload: bytes, now: float) -> None:
        opcode = b0 & 0x0F
        fin = b0 & 0x80
        if opcode in (OP_TEXT, OP_BINARY):
            if fin:
                self._on_message(payload, now)
            else:
                self._fragments = [payload]
        elif opcode == OP_CONTINUATION:
            self._fragments.append(payload)
            if fin:
                message = b"".join(self._fragments)
                self._fragments = []
                self._on_message(message, now)
        elif opcode == OP_PING:
            # Servers ping idle connections (uvicorn every 20 s) and close
            # those that do not answer.
            self._write(_frame(OP_PONG, payload))
        elif opcode == OP_CLOSE:
            code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
            self._write(_frame(OP_CLOSE, payload[:2]))
            self._finish(code)
            if self._transport is not None:
                self._transport.close()

    def _finish(self, code: int) -> None:
        if not self._closed:
            self._closed = True
            self._on_close(code)

    def _write(self, data: bytes) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.write(data)

    # ---- API ---------------------------------------------------------------

    def send_text(self, text: bytes) -> None:
        self._write(_frame(OP_TEXT, text))

    def close(self, code: int = 1000) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._write(_frame(OP_CLOSE, code.to_bytes(2, "big")))
            self._transport.close()

    def abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()


async def connect_websocket(
    host: str,
    port: int,
    path: str,
    on_message: MessageHandler,
    on_close: CloseHandler,
    on_created: Callable[[WebSocketClient], None] | None = None,
) -> WebSocketClient:
    """Open a connection and complete the handshake (raises HandshakeError or OSError).

    `on_created` receives the client before any message can arrive, for
    protocols whose server speaks first (Engine.IO's open packet may come in
    the same read as the handshake response).
    """
    loop = asyncio.get_running_loop()

    def create() -> WebSocketClient:
        client = WebSocketClient(host, port, path, on_message, on_close)
        if on_created is not None:
            on_created(client)
        return client

    _transport, protocol = await loop.create_connection(create, host, port)
    try:
        await protocol.handshake
    except BaseException:
        protocol.abort()
        raise
    return protocol
