"""Rate limits per account and per address, so one hostile participant cannot
flood a space, mint accounts or guess passwords faster than people type.

Fixed windows: a counter per (action, who) that starts at the first attempt
and expires `window` seconds later. A sliding window (a sorted set of
timestamps, or two weighted windows) would smooth the boundary, where up to
twice the limit can pass in quick succession, but costs a member per attempt
in Redis and more round trips; for abuse limits set well above what a person
does, one `INCR` per attempt and a bounded burst are the better trade.

With REDIS_URL the counters live in Redis (one atomic Lua script: INCR, and
PEXPIRE on the first hit; it touches one key, so it runs on a Redis Cluster
too), so all app processes share one limit; otherwise in
this process. If Redis is unreachable, limits let requests through and log:
Redis is a fast path, and an outage of it must not stop the consultation.
"""

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

from server import errors
from server.running.redis_client import REDIS_FAILURES, AnyRedis
from server.running.settings import Settings

log = logging.getLogger(__name__)

RateAction = Literal["register", "post", "edit", "support", "flag", "question", "invitation"]
Scope = Literal["account", "address"]
# What participants post, of which a space's moderators post as much as steering takes.
PARTICIPANT_POSTING: frozenset[RateAction] = frozenset({"post", "edit", "question"})

# The in-process store drops expired counters once it holds this many, so an
# attacker cycling addresses cannot grow it without bound for long.
LOCAL_PRUNE_AT_KEYS = 100_000
# After Redis fails to answer, requests pass without asking it for this long: a
# stalled Redis answers nothing until the client's socket timeout, and asking it
# on every request would add that wait to every write (found by bench/faults.py).
REDIS_RETRY_AFTER_SECS = 5.0

# INCR the counter; the first hit of a window sets its expiry. Returns the count
# and the milliseconds left in the window. One script: atomic across processes.
_INCR_SCRIPT = """
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
"""


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `count` attempts per `window_secs`."""

    count: int
    window_secs: float


def parse_limit(spec: str) -> RateLimit:
    """ "30/60" → 30 attempts per 60 seconds (the settings' format)."""
    count, _, window = spec.partition("/")
    return RateLimit(int(count), float(window))


def limits_for(settings: Settings, action: RateAction) -> dict[Scope, RateLimit]:
    """The limits of an action: per account (when logged in) and per address."""
    specs: dict[RateAction, tuple[str | None, str]] = {
        # Nobody is logged in to register: the address is all there is.
        "register": (None, settings.rate_register_per_address),
        "post": (settings.rate_post_per_account, settings.rate_post_per_address),
        "edit": (settings.rate_edit_per_account, settings.rate_edit_per_address),
        "support": (settings.rate_support_per_account, settings.rate_support_per_address),
        "flag": (settings.rate_flag_per_account, settings.rate_flag_per_address),
        "question": (settings.rate_question_per_account, settings.rate_question_per_address),
        "invitation": (settings.rate_invitation_per_account, settings.rate_invitation_per_address),
    }
    account, address = specs[action]
    found: dict[Scope, RateLimit] = {"address": parse_limit(address)}
    if account is not None:
        found["account"] = parse_limit(account)
    return found


class CounterStore(Protocol):
    async def incr(self, key: str, window_secs: float) -> tuple[int, float]:
        """Count an attempt; return the count in this window and the seconds it has left."""

    async def decr(self, key: str) -> None:
        """Take one attempt back (it turned out to be legitimate)."""

    async def reset(self, key: str) -> None: ...


class LocalCounters:
    """One process: counters in a dict (the event loop makes each step atomic)."""

    def __init__(self) -> None:
        self._counters: dict[str, tuple[float, int]] = {}

    async def incr(self, key: str, window_secs: float) -> tuple[int, float]:
        now = time.monotonic()
        ends, count = self._counters.get(key, (0.0, 0))
        if ends <= now:
            if len(self._counters) >= LOCAL_PRUNE_AT_KEYS:
                self._counters = {k: v for k, v in self._counters.items() if v[0] > now}
            ends, count = now + window_secs, 0
        self._counters[key] = (ends, count + 1)
        return count + 1, ends - now

    async def decr(self, key: str) -> None:
        ends, count = self._counters.get(key, (0.0, 0))
        if count > 0:
            self._counters[key] = (ends, count - 1)

    async def reset(self, key: str) -> None:
        self._counters.pop(key, None)


class RedisCounters:
    """Counters shared by every app process through Redis."""

    def __init__(self, client: AnyRedis, prefix: str) -> None:
        self._redis = client
        self._prefix = f"{prefix}:rate:"
        self._incr = client.register_script(_INCR_SCRIPT)
        self._skip_until = 0.0

    def _skipping(self) -> bool:
        return time.monotonic() < self._skip_until

    def _unreachable(self, key: str) -> None:
        log.warning("rate limit counter unreachable; letting %s through", key, exc_info=True)
        self._skip_until = time.monotonic() + REDIS_RETRY_AFTER_SECS

    async def incr(self, key: str, window_secs: float) -> tuple[int, float]:
        if self._skipping():
            return 0, window_secs
        try:
            count, left_ms = await self._incr(keys=[self._prefix + key], args=[int(window_secs * 1000)])
        except REDIS_FAILURES:
            self._unreachable(key)
            return 0, window_secs
        return int(count), int(left_ms) / 1000

    async def decr(self, key: str) -> None:
        if self._skipping():
            return
        try:
            await self._redis.decr(self._prefix + key)
        except REDIS_FAILURES:
            self._unreachable(key)

    async def reset(self, key: str) -> None:
        if self._skipping():
            return
        try:
            await self._redis.delete(self._prefix + key)
        except REDIS_FAILURES:
            self._unreachable(key)


def retry_at(left_secs: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=left_secs)


async def count_attempt(
    store: CounterStore,
    key: str,
    limit: RateLimit,
    refusal: type[errors.RateLimited] = errors.RateLimited,
    details: dict[str, object] | None = None,
) -> None:
    """Count one attempt under `key`; past the limit, raise `refusal` with when to retry."""
    count, left = await store.incr(key, limit.window_secs)
    if count > limit.count:
        raise refusal.until(retry_at(left), left, details or {})


async def check(
    store: CounterStore, settings: Settings, action: RateAction, user_id: int | None, address: str
) -> None:
    """Count an attempt at `action` per account (if logged in) and per address.

    Every attempt counts, refused or not, so hammering a limit keeps it shut.
    """
    for scope, limit in limits_for(settings, action).items():
        if scope == "account" and user_id is None:
            continue
        who = f"user:{user_id}" if scope == "account" else f"ip:{address}"
        details: dict[str, object] = {
            "action": action,
            "scope": scope,
            "limit": limit.count,
            "window_secs": limit.window_secs,
        }
        await count_attempt(store, f"{action}:{who}", limit, details=details)
