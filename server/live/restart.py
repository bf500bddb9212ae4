"""Graceful shutdown of live delivery: on SIGTERM, every live client is told to come
back (to another process, behind the load balancer) at a moment of its own.

Thousands of clients reconnecting in the same instant would land on the
other processes all at once, each asking for a resume. So each connection
gets `reconnect` with its own `retry_after_ms`, drawn at random within
`restart_spread_secs`, and is closed with 1012 (a stream over SSE ends, its
`retry:` field set to the same delay). No new live connection is admitted
from then on. Then the signal goes on to the server's own handler: uvicorn
stops accepting, lets in-flight requests finish for up to
`shutdown_grace_secs`, and exits. Clients resume with `since`, losing nothing.
"""

import asyncio
import random
import signal
import threading
from types import FrameType
from typing import Any

from server.live.admission import Admission
from server.live.channels import Channels
from server.live.messages import CLOSE_SERVICE_RESTART, reconnect_frame


def announce_restart(channels: Channels, admission: Admission, spread_secs: float) -> int:
    """Tell every live connection to reconnect within the spread, and close it; refuse new ones.

    Returns how many connections were told.
    """
    admission.draining = True
    connections = channels.connections()
    for connection in connections:
        delay_ms = round(random.uniform(0, spread_secs) * 1000)
        connection.outbox.push(reconnect_frame(delay_ms))
        connection.outbox.close(CLOSE_SERVICE_RESTART, "service restart: reconnect after retry_after_ms")
    return len(connections)


class RestartOnSigterm:
    """Runs `announce_restart` when SIGTERM arrives, then hands the signal on.

    Installed only where a server already handles SIGTERM (uvicorn does, in the
    main thread): this process is then one that a platform stops with it.
    """

    def __init__(self, channels: Channels, admission: Admission, spread_secs: float) -> None:
        self._channels = channels
        self._admission = admission
        self._spread_secs = spread_secs
        self._previous: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        previous = signal.getsignal(signal.SIGTERM)
        if not callable(previous):
            return
        self._previous = previous
        self._loop = asyncio.get_running_loop()
        signal.signal(signal.SIGTERM, self._on_signal)

    def uninstall(self) -> None:
        if self._previous is not None and signal.getsignal(signal.SIGTERM) == self._on_signal:
            signal.signal(signal.SIGTERM, self._previous)
        self._previous = None

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        # A signal handler runs between two bytecodes, perhaps in the middle of a
        # fan-out: the work is done from the event loop instead.
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._restart, signum)

    def _restart(self, signum: int) -> None:
        if not self._admission.draining:
            announce_restart(self._channels, self._admission, self._spread_secs)
        if self._previous is not None:
            self._previous(signum, None)
