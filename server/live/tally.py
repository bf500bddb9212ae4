"""What live delivery reports about itself: deliveries and their lag, catch-ups,
resyncs, slow clients closed and statistics computed. The hub calls a `Tally`; `server/running/metrics.py`
turns the calls into Prometheus metrics, and tests and tools may pass nothing."""

from typing import Protocol


class Tally(Protocol):
    def delivered(self, frames: int, lag_secs: float) -> None:
        """A fan-out wrote `frames` frames; its oldest event was committed `lag_secs` ago."""

    def caught_up(self) -> None:
        """A subscriber was brought level from the log or the ring."""

    def resynced(self, reason: str) -> None:
        """A subscriber was told to start over (`resync`), for `reason`."""

    def closed_slow(self, connections: int) -> None:
        """Connections closed because they fell too far behind (4008)."""

    def statistics_read(self, reason: str) -> None:
        """A space's statistics were computed, for a `snapshot` or an `update`."""


class NoTally:
    """Counts nothing: live delivery without metrics."""

    def delivered(self, frames: int, lag_secs: float) -> None:
        return None

    def caught_up(self) -> None:
        return None

    def resynced(self, reason: str) -> None:
        return None

    def closed_slow(self, connections: int) -> None:
        return None

    def statistics_read(self, reason: str) -> None:
        return None
