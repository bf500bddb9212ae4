"""Who is online per space, summed over every app process.

Each process writes its own counts under a key that expires, so the
connections of a process that died stop counting within PRESENCE_TTL_SECS.
"""

import contextlib
import os
import socket
import uuid
from typing import Any, Protocol

import orjson
import redis.asyncio as redis
from redis.exceptions import RedisError

# Each process refreshes its entry every second; three missed refreshes and
# its connections are taken to be gone.
PRESENCE_TTL_SECS = 5

Counts = dict[str, Any]  # {"participants": n, "moderators": n, "screens": n, "writing": {qid: n}}


def empty_counts() -> Counts:
    return {"participants": 0, "moderators": 0, "screens": 0, "writing": {}}


def add_counts(total: Counts, part: Counts) -> None:
    for key in ("participants", "moderators", "screens"):
        total[key] += int(part.get(key, 0))
    for question, n in part.get("writing", {}).items():
        total["writing"][question] = total["writing"].get(question, 0) + int(n)


class PresenceStore(Protocol):
    async def exchange(self, local: dict[int, Counts]) -> dict[int, Counts]:
        """Record this process's counts; return the totals over all processes."""

    async def stop(self) -> None: ...


class LocalPresence:
    async def exchange(self, local: dict[int, Counts]) -> dict[int, Counts]:
        return local

    async def stop(self) -> None:
        return None


class RedisPresence:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._redis = client
        self._members_key = f"{prefix}:presence:processes"
        self._process = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._key_prefix = f"{prefix}:presence:process:"
        self._last_totals: dict[int, Counts] = {}

    async def exchange(self, local: dict[int, Counts]) -> dict[int, Counts]:
        try:
            mine = orjson.dumps({str(k): v for k, v in local.items()})
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.set(self._key_prefix + self._process, mine, ex=PRESENCE_TTL_SECS)
                pipe.sadd(self._members_key, self._process)
                pipe.smembers(self._members_key)
                _, _, members = await pipe.execute()
            names = sorted(m.decode() if isinstance(m, bytes) else str(m) for m in members)
            values = await self._redis.mget([self._key_prefix + n for n in names]) if names else []
        except (RedisError, OSError):
            # Without Redis, this process's own counts are the best we know.
            return local
        totals: dict[int, Counts] = {}
        gone = []
        for name, value in zip(names, values, strict=True):
            if value is None:
                gone.append(name)
                continue
            for space, counts in orjson.loads(value).items():
                add_counts(totals.setdefault(int(space), empty_counts()), counts)
        if gone:
            with contextlib.suppress(RedisError, OSError):
                await self._redis.srem(self._members_key, *gone)
        return totals

    async def stop(self) -> None:
        with contextlib.suppress(RedisError, OSError):
            await self._redis.delete(self._key_prefix + self._process)
            await self._redis.srem(self._members_key, self._process)
