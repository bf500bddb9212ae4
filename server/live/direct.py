"""Writing whole WebSocket frames straight to the socket, for the fan-out.

Through ASGI, each send to each connection costs a coroutine chain, a copy
of the text into bytes and a WebSocket framing; at thousands of connections
that cost, not the work itself, is what limits delivery. uvicorn's
websockets-sansio protocol (the one Roundtable serves with; see server/running/cli.py)
writes frames to an asyncio transport; a frame built once
(`Frame.websocket`) can go to every connection's transport directly.

That is safe because: per-message compression is off (checked per
connection: no extension negotiated), frames are written whole and in order
by one thread, the protocol keeps no state about data frames it did not
write, and flow control is kept: a direct write happens only while the
transport is below its high-water mark (uvicorn's `writable`), otherwise the
frame queues in the connection's outbox. Closing goes through ASGI, except
for a client that stopped reading (`close_behind_backlog`).

Any other server, or a connection with compression, falls back to sending
through ASGI from the connection's writer task.
"""

from starlette.types import Scope
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from server.live.outbound import Frame

# Where the server's own `send` is kept in a WebSocket scope (server/live/ws.py puts it there).
RAW_SEND = "roundtable.raw_send"


class DirectSocket:
    """A WebSocket connection's transport, written from the fan-out without an await."""

    __slots__ = ("_protocol", "_transport")

    def __init__(self, protocol: WebSocketsSansIOProtocol) -> None:
        self._protocol = protocol
        self._transport = protocol.transport

    @property
    def gone(self) -> bool:
        return bool(self._protocol.close_sent or self._transport.is_closing())

    def can_write(self) -> bool:
        return self._protocol.writable.is_set() and not self.gone

    def write(self, frame: Frame) -> None:
        self._transport.write(frame.websocket)

    async def wait_writable(self) -> None:
        await self._protocol.writable.wait()

    def close_behind_backlog(self, code: int, reason: str, give_up_after: float) -> None:
        """Close a connection whose client stopped reading: the closing frame goes after what
        the socket already holds, so a client that reads again learns the code; one that
        never does is dropped after `give_up_after` seconds. Nothing here waits."""
        protocol = self._protocol
        if self.gone:
            return
        protocol.conn.send_close(code, reason)
        self._transport.write(b"".join(protocol.conn.data_to_send()))
        protocol.close_sent = True
        # As uvicorn does when the application closes: the reader learns the connection ended.
        protocol.queue.put_nowait({"type": "websocket.disconnect", "code": code, "reason": reason})
        self._transport.close()
        # uvicorn cancels this timer when the connection ends, and leaves the transport alone.
        protocol.close_timer = protocol.loop.call_later(give_up_after, self._transport.abort)


def direct_socket(scope: Scope) -> DirectSocket | None:
    """The connection's socket for direct writes, or None when only ASGI sends are safe.

    Call after the handshake.
    """
    protocol = getattr(scope.get(RAW_SEND), "__self__", None)
    if not isinstance(protocol, WebSocketsSansIOProtocol) or protocol.conn.extensions:
        return None
    _release_handshake(protocol)
    return DirectSocket(protocol)


def _release_handshake(protocol: WebSocketsSansIOProtocol) -> None:
    """uvicorn keeps the handshake's request and response for the connection's whole life,
    though it reads them only during the handshake: about 4 KB per connection, a fifth of
    an idle connection's memory. Drop them once the handshake is done."""
    if protocol.handshake_complete:
        for name in ("request", "response"):
            if hasattr(protocol, name):
                setattr(protocol, name, None)
