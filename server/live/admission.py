"""Admitting live connections: at most so many per process and per client address,
and none while the process shuts down.

WebSocket and SSE both ask before they take a connection on, and give its
place back when it ends. A refusal happens before the WebSocket handshake is
accepted (an HTTP answer in the API's error shape), so a flood costs little.
"""

from collections import Counter

from server import errors
from server.running.settings import Settings


class Admission:
    """This process's count of live connections, in total and per client address."""

    def __init__(self, settings: Settings) -> None:
        self._max_total = settings.live_max_connections
        self._max_per_address = settings.live_max_connections_per_address
        self._per_address: Counter[str] = Counter()
        self._total = 0
        self.draining = False

    @property
    def total(self) -> int:
        return self._total

    def admit(self, address: str | None) -> None:
        """Take a place for a connection from `address`, or raise why not."""
        if self.draining:
            raise errors.ShuttingDown()
        if self._total >= self._max_total:
            raise errors.ServerBusy(details={"max": self._max_total})
        # A client without an address (a Unix socket) shares one budget.
        key = address or ""
        if self._per_address[key] >= self._max_per_address:
            raise errors.TooManyConnections(details={"max": self._max_per_address})
        self._per_address[key] += 1
        self._total += 1

    def release(self, address: str | None) -> None:
        """Give back the place of a connection that has ended."""
        key = address or ""
        self._per_address[key] -= 1
        if self._per_address[key] <= 0:
            del self._per_address[key]
        self._total -= 1
