"""What a live connection has yet to send: encoded frames in a queue bounded in bytes.

Overflow policy: when a frame would take the queue past its byte limit, the
connection stops receiving live frames and is marked lagging. When its queue
drains, the hub catches it up from the space's ring of recent events; if it
stays behind past a grace period, or the ring no longer covers it, the
connection is closed with close code 4008 and the client resumes with `since`.
"""

import asyncio
import time
from collections import deque
from typing import Any

import orjson


class Frame:
    """One encoded server message, shared by every connection that sends it."""

    __slots__ = ("_sse", "event", "seq", "text")

    def __init__(self, message: dict[str, Any], *, event: str | None = None, seq: int | None = None):
        self.text = orjson.dumps(message).decode()
        self.event = event or str(message.get("type"))
        self.seq = seq
        self._sse: str | None = None

    @property
    def size(self) -> int:
        return len(self.text)

    @property
    def sse(self) -> str:
        """The same message as a Server-Sent Event, encoded once and cached."""
        if self._sse is None:
            head = f"id: {self.seq}\n" if self.seq is not None else ""
            self._sse = f"{head}event: {self.event}\ndata: {self.text}\n\n"
        return self._sse


class Outbox:
    """A connection's queue of frames to send, bounded in bytes."""

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self.queued_bytes = 0
        self.lagging_since: float | None = None
        self.closed = False
        self.close_code: int | None = None
        self.close_reason = ""
        self._frames: deque[Frame] = deque()
        self._wakeup = asyncio.Event()

    @property
    def lagging(self) -> bool:
        return self.lagging_since is not None

    def offer(self, frame: Frame) -> bool:
        """Queue a live frame unless that would pass the limit; False marks the connection lagging."""
        if self.closed or self.lagging:
            return False
        # An empty queue takes any frame, so one large event cannot stall everyone.
        if self.queued_bytes and self.queued_bytes + frame.size > self.limit_bytes:
            self.lagging_since = time.monotonic()
            return False
        self._append(frame)
        return True

    def push(self, frame: Frame) -> None:
        """Queue a frame whatever the limit (snapshots, catch-up, errors): callers bound these."""
        if not self.closed:
            self._append(frame)

    def _append(self, frame: Frame) -> None:
        self._frames.append(frame)
        self.queued_bytes += frame.size
        self._wakeup.set()

    def caught_up(self) -> None:
        self.lagging_since = None

    def close(self, code: int, reason: str, *, drop_queued: bool = False) -> None:
        """Ask the writer to close the connection, after what is queued unless `drop_queued`."""
        if not self.closed:
            if drop_queued:
                self._frames.clear()
                self.queued_bytes = 0
            self.closed = True
            self.close_code = code
            self.close_reason = reason
            self._wakeup.set()

    def is_empty(self) -> bool:
        return not self._frames

    async def next_frame(self) -> Frame | None:
        """Wait for the next frame to send; None once the outbox is closed and drained."""
        while not self._frames:
            if self.closed:
                return None
            self._wakeup.clear()
            await self._wakeup.wait()
        frame = self._frames.popleft()
        self.queued_bytes -= frame.size
        return frame
