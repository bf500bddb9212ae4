"""What a live connection has yet to send: encoded frames, written at once when
the socket can take them, else queued in a queue bounded in bytes.

Fan-out is the hot path: one event batch goes to thousands of connections.
Each frame is encoded once (JSON, and once more as a whole WebSocket frame)
and shared by every connection that sends it. When a connection's socket can
take bytes now and nothing is queued ahead, the frame is written straight to
the socket from the fan-out loop: no task wakes up and nothing is copied per
connection. Otherwise the frame is queued and the connection's writer sends
the queue, in order, when the socket drains.

Overflow policy: every frame queued counts against the byte limit, whatever it
is (events, snapshots, errors, pongs, heartbeats). When a live frame would take
the queue past it, the connection stops receiving live frames and is marked
lagging; when any other frame would, the client is not reading what it asks
for, and the connection is closed with 4008 at once. When its queue
drains, the hub catches it up from the space's ring of recent events. If a
connection makes no progress for a grace period (lagging, or its queue not
moving because the client stopped reading), or the ring no longer covers it,
the hub's sweep closes it with close code 4008 and the client resumes with
`since`.
"""

import asyncio
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

import orjson

# The client fell too far behind; it resumes with `since` (docs/protocol.md).
CLOSE_TOO_SLOW = 4008
TOO_SLOW_REASON = "too slow: resume with since"

# RFC 6455 section 5.2: FIN bit set, opcode 1 (text).
_FIN_TEXT = 0x81


def websocket_text_frame(payload: bytes) -> bytes:
    """`payload` as one unmasked, unfragmented WebSocket text frame (server to client)."""
    length = len(payload)
    if length < 126:
        header = bytes((_FIN_TEXT, length))
    elif length < 1 << 16:
        header = bytes((_FIN_TEXT, 126)) + length.to_bytes(2, "big")
    else:
        header = bytes((_FIN_TEXT, 127)) + length.to_bytes(8, "big")
    return header + payload


class Frame:
    """One encoded server message, shared by every connection that sends it."""

    __slots__ = ("_sse", "_ws", "data", "event", "retry_ms", "seq")

    def __init__(
        self,
        message: dict[str, Any],
        *,
        event: str | None = None,
        seq: int | None = None,
        retry_ms: int | None = None,
    ):
        self.data = orjson.dumps(message)
        self.event = event or str(message.get("type"))
        self.seq = seq
        self.retry_ms = retry_ms
        self._sse: str | None = None
        self._ws: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def text(self) -> str:
        return self.data.decode()

    @property
    def websocket(self) -> bytes:
        """The message as a whole WebSocket frame, built once and cached."""
        if self._ws is None:
            self._ws = websocket_text_frame(self.data)
        return self._ws

    @property
    def sse(self) -> str:
        """The same message as a Server-Sent Event, encoded once and cached."""
        if self._sse is None:
            head = f"id: {self.seq}\n" if self.seq is not None else ""
            if self.retry_ms is not None:
                head += f"retry: {self.retry_ms}\n"
            self._sse = f"{head}event: {self.event}\ndata: {self.text}\n\n"
        return self._sse


class Socket(Protocol):
    """A connection's socket, written synchronously (see server/live/direct.py)."""

    @property
    def gone(self) -> bool:
        """The connection is closing or lost: nothing more can be written."""
        ...

    def can_write(self) -> bool:
        """Whether the socket takes bytes now without growing past its buffer's high-water mark."""
        ...

    def write(self, frame: Frame) -> None: ...

    async def wait_writable(self) -> None: ...


class Outbox:
    """A connection's frames to send: written at once when possible, else queued, bounded in bytes."""

    # Thousands of these live at once: slots keep each one small.
    __slots__ = (
        "_event",
        "_queue",
        "_socket",
        "close_code",
        "close_reason",
        "closed",
        "lagging_since",
        "limit_bytes",
        "on_drained",
        "on_pending",
        "queued_bytes",
        "stuck_since",
    )

    def __init__(self, limit_bytes: int, socket: Socket | None = None) -> None:
        self.limit_bytes = limit_bytes
        self.queued_bytes = 0
        self.lagging_since: float | None = None
        # Since when queued frames have waited without any being sent.
        self.stuck_since: float | None = None
        self.closed = False
        self.close_code: int | None = None
        self.close_reason = ""
        # Called when frames start waiting in the queue, and when the outbox
        # closes: the connection's writer has work (see server/live/ws.py).
        self.on_pending: Callable[[], None] | None = None
        # Called when a lagging connection's queue has drained (the hub catches it up).
        self.on_drained: Callable[[], None] | None = None
        self._socket = socket
        # Both made on first use: most connections of a direct socket never queue,
        # and an empty deque or Event costs more than half a kilobyte each.
        self._queue: deque[Frame] | None = None
        self._event: asyncio.Event | None = None

    @property
    def _frames(self) -> deque[Frame]:
        if self._queue is None:
            self._queue = deque()
        return self._queue

    @property
    def _wakeup(self) -> asyncio.Event:
        if self._event is None:
            self._event = asyncio.Event()
        return self._event

    @property
    def lagging(self) -> bool:
        return self.lagging_since is not None

    @property
    def direct(self) -> bool:
        """Whether frames are written straight to the socket (else a writer sends `next_frame`)."""
        return self._socket is not None

    def offer(self, frame: Frame) -> bool:
        """Send or queue a live frame unless that would pass the limit; False marks the connection lagging."""
        if self.closed or self.lagging:
            return False
        if self._write_now(frame):
            return True
        # An empty queue takes any frame, so one large event cannot stall everyone.
        if self.queued_bytes and self.queued_bytes + frame.size > self.limit_bytes:
            self.lagging_since = time.monotonic()
            return False
        self._append(frame)
        return True

    def push(self, frame: Frame) -> None:
        """Send or queue a frame the client must get in its place (a snapshot, a catch-up, an
        answer, a heartbeat). Past the byte limit the connection is closed with 4008: its
        client is not reading what it asks for."""
        if self.closed or self._write_now(frame):
            return
        # An empty queue takes any frame, so one large snapshot cannot stall a client.
        if self.queued_bytes and self.queued_bytes + frame.size > self.limit_bytes:
            self.close(CLOSE_TOO_SLOW, TOO_SLOW_REASON, drop_queued=True)
            return
        self._append(frame)

    def _write_now(self, frame: Frame) -> bool:
        socket = self._socket
        if socket is None or self._queue or not socket.can_write():
            return False
        socket.write(frame)
        return True

    def _append(self, frame: Frame) -> None:
        first = not self._frames
        self._frames.append(frame)
        self.queued_bytes += frame.size
        self._wakeup.set()
        if first:
            self.stuck_since = time.monotonic()
            if self.on_pending is not None:
                self.on_pending()

    def caught_up(self) -> None:
        self.lagging_since = None

    def close(self, code: int, reason: str, *, drop_queued: bool = False) -> None:
        """Ask the writer to close the connection, after what is queued unless `drop_queued`."""
        if self.closed:
            return
        if drop_queued and self._queue:
            self._queue.clear()
            self.queued_bytes = 0
            self.stuck_since = None
        self.closed = True
        self.close_code = code
        self.close_reason = reason
        if self._event is not None:
            self._event.set()
        if self.on_pending is not None:
            self.on_pending()

    def is_empty(self) -> bool:
        return not self._queue

    def stuck_for(self, now: float) -> float:
        """Seconds the connection has made no progress: lagging, or queued frames not moving."""
        since = [t for t in (self.lagging_since, self.stuck_since) if t is not None]
        return now - min(since) if since else 0.0

    def _sent(self, frame: Frame) -> None:
        self.queued_bytes -= frame.size
        self.stuck_since = time.monotonic() if self._frames else None
        if not self._frames and self.lagging and self.on_drained is not None:
            self.on_drained()

    async def next_frame(self) -> Frame | None:
        """For a writer that sends frames itself: the next one; None once closed and drained."""
        while not self._frames:
            if self.closed:
                return None
            self._wakeup.clear()
            await self._wakeup.wait()
        frame = self._frames.popleft()
        self._sent(frame)
        return frame

    async def flush(self) -> None:
        """For a direct socket: write the queued frames as the socket drains. Returns when
        the queue is empty, the connection is gone, or the outbox closed while the client
        is not reading."""
        socket = self._socket
        assert socket is not None
        while self._frames and not socket.gone:
            if socket.can_write():
                # Written synchronously, in order: a frame offered meanwhile queues behind these.
                while self._frames and socket.can_write():
                    frame = self._frames.popleft()
                    socket.write(frame)
                    self._sent(frame)
            elif self.closed:
                return  # closing while the client is not reading: the rest cannot go
            else:
                await self._until_writable_or_closed(socket)

    async def _until_writable_or_closed(self, socket: Socket) -> None:
        # Only a slow client gets here: the cost of two small tasks is fine.
        self._wakeup.clear()
        writable = asyncio.ensure_future(socket.wait_writable())
        woken = asyncio.ensure_future(self._wakeup.wait())
        try:
            await asyncio.wait({writable, woken}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            writable.cancel()
            woken.cancel()
