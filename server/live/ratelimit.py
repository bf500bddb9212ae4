"""Per-connection rate limits on what a live client sends: token buckets.

Every client message takes a token from the connection's message bucket, and
`subscribe` / `unsubscribe` one more from its subscription bucket (each costs a
database read and churns the hub). A message refused for want of a token is
answered with error `rate_limited` and takes a token from a third bucket,
refilled at one a second: a client that keeps pushing past its limits empties
it and is closed with 4029.

A bucket is three numbers: a library's per-key storage would cost more memory
per connection than the whole of an idle connection's own.
"""

import time

from server.live.messages import Inbound, Subscribe, Unsubscribe
from server.running.settings import Settings

# Refused messages forgiven per second: a client that backs off when told
# recovers within its budget's worth of seconds.
REFUSALS_FORGIVEN_PER_SEC = 1.0


class TokenBucket:
    """`burst` tokens at most, refilled at `rate` a second."""

    __slots__ = ("_burst", "_rate", "_tokens", "_updated")

    def __init__(self, rate: float, burst: int) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._tokens = float(burst)
        self._updated = time.monotonic()

    def take(self) -> float:
        """Take a token: 0.0 when there was one, else the seconds until there is."""
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / self._rate


class ClientLimits:
    """One connection's budgets for the messages its client sends."""

    __slots__ = ("_messages", "_refusals", "_subscriptions")

    def __init__(self, settings: Settings) -> None:
        self._messages = TokenBucket(settings.live_messages_per_sec, settings.live_messages_burst)
        self._subscriptions = TokenBucket(
            settings.live_subscriptions_per_sec, settings.live_subscriptions_burst
        )
        self._refusals = TokenBucket(REFUSALS_FORGIVEN_PER_SEC, settings.live_max_refusals)

    def frame_wait(self) -> float:
        """For each frame received, before it is parsed: 0.0, or the seconds to wait."""
        return self._messages.take()

    def message_wait(self, message: Inbound) -> float:
        """For a parsed message: 0.0, or the seconds to wait (subscription churn)."""
        if isinstance(message, Subscribe | Unsubscribe):
            return self._subscriptions.take()
        return 0.0

    def refused(self) -> bool:
        """Count a refused message; True when the client has kept on past its limits."""
        return self._refusals.take() > 0.0
