"""Who is online and who is writing per space, summed over every app process.

Each process counts its own channels' subscribers and writes the counts under
a key that expires, so the connections of a process that died stop counting
within PRESENCE_TTL_SECS.
"""

import contextlib
import os
import socket
import time
import uuid
from typing import Any, Protocol

import orjson

from server.live.channels import Channel, Channels, Subscription
from server.live.outbound import Frame
from server.queries import live as live_queries
from server.running.database import Pool
from server.running.redis_client import REDIS_FAILURES, AnyRedis

# Each process refreshes its entry every second; three missed refreshes and
# its connections are taken to be gone.
PRESENCE_TTL_SECS = 5
# "Writing" lasts this long after a client's last typing signal (clients send
# one every few seconds while typing).
WRITING_TTL_SECS = 6.0

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
    def __init__(self, client: AnyRedis, prefix: str) -> None:
        self._redis = client
        # One hash tag for every presence key: on a Redis Cluster they share a slot,
        # so that one MGET reads them all.
        tag = f"{{{prefix}:presence}}"
        self._members_key = f"{tag}:processes"
        self._process = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._key_prefix = f"{tag}:process:"
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
        except REDIS_FAILURES:
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
            with contextlib.suppress(*REDIS_FAILURES):
                await self._redis.srem(self._members_key, *gone)
        return totals

    async def stop(self) -> None:
        with contextlib.suppress(*REDIS_FAILURES):
            await self._redis.delete(self._key_prefix + self._process)
            await self._redis.srem(self._members_key, self._process)


async def note_writing(pool: Pool, sub: Subscription, question_id: int) -> bool:
    """Count the subscriber as writing on the question; False when the space has no
    such open question."""
    channel = sub.channel
    if channel.open_questions is None:
        channel.open_questions = await live_queries.list_open_question_ids(pool, channel.space_id)
    if question_id not in channel.open_questions:
        return False
    sub.writing = (question_id, time.monotonic() + WRITING_TTL_SECS)
    return True


def local_counts(channel: Channel) -> Counts:
    """Who follows the channel on this process, and who is writing on which question."""
    counts = empty_counts()
    people: dict[str, set[object]] = {"participants": set(), "moderators": set(), "screens": set()}
    writers: dict[str, set[object]] = {}
    now = time.monotonic()
    for sub in channel.subscriptions:
        connection = sub.connection
        if sub.audience == "moderators":
            bucket = "moderators"
        elif connection.kind == "screen":
            bucket = "screens"
        else:
            bucket = "participants"
        # A person with two tabs open counts once; anonymous readers per connection.
        who: object = getattr(getattr(connection, "viewer", None), "user_id", None) or connection
        people[bucket].add(who)
        if sub.writing and sub.writing[1] > now:
            writers.setdefault(str(sub.writing[0]), set()).add(who)
    for bucket, members in people.items():
        counts[bucket] = len(members)
    counts["writing"] = {q: len(w) for q, w in writers.items()}
    return counts


async def push_presence(store: PresenceStore, channels: Channels) -> None:
    """Exchange this process's counts for the totals; send each channel's that changed."""
    local = {c.space_id: local_counts(c) for c in channels.channels()}
    totals = await store.exchange(local)
    for channel in channels.channels():
        counts = totals.get(channel.space_id, local.get(channel.space_id, empty_counts()))
        if counts == channel.presence:
            continue
        channel.presence = counts
        frame = Frame({"type": "presence", "space": channel.slug} | counts)
        for sub in channel.subscriptions:
            if sub.ready:
                sub.connection.outbox.offer(frame)
