"""The spaces this process delivers: one channel per space, its subscribers and its ring.

A channel exists while someone here follows its space. Its ring of recent
events lets a briefly slow or reconnecting client catch up from memory.
"""

import asyncio
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from server.events import Audience, Event
from server.live.outbound import Outbox
from server.queries import live as live_queries
from server.queries.spaces import SpaceRow
from server.running.database import Pool
from server.schemas.insight import Statistics

Kind = Literal["participant", "moderator", "screen"]


class Connection(Protocol):
    """A live client connection (WebSocket or SSE), as the hub sees it."""

    outbox: Outbox
    kind: Kind


@dataclass(eq=False, slots=True)
class Subscription:
    connection: Connection
    channel: "Channel"
    audience: Audience
    # Signed-in viewers also receive the personal payloads of events addressed to them.
    user_id: int | None = None
    sent_seq: int = -1
    ready: bool = False
    # False once the hub has ended it (the subscriber's role changed).
    active: bool = True
    writing: tuple[int, float] | None = None  # (question id, until monotonic time)


@dataclass(eq=False)
class Channel:
    """One space as this process delivers it."""

    space_id: int
    slug: str
    epoch: str
    last_seq: int
    ring: deque[Event] = field(default_factory=deque)
    subscriptions: set[Subscription] = field(default_factory=set)
    presence: dict[str, Any] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Ids of the space's open questions, read when first needed and again after
    # any question event: "writing" signals are accepted for these only.
    open_questions: set[int] | None = None
    # (event seq, support changes) when statistics were last sent: unchanged, none are sent.
    statistics_version: tuple[int, int] | None = None
    # The space's statistics and the version they were read at, kept by the coalesced
    # updates (server/live/statistics.py) so that a snapshot at that version reuses them.
    statistics_cache: tuple[tuple[int, int], Statistics] | None = None

    def ring_after(self, seq: int) -> list[Event] | None:
        """Events after `seq` up to last_seq, or None when the ring no longer reaches back."""
        if seq >= self.last_seq:
            return []
        if not self.ring or self.ring[0].seq > seq + 1:
            return None
        return [e for e in self.ring if e.seq > seq]

    def append(self, events: list[Event]) -> list[Event]:
        """Add new events to the ring, in seq order, and return them as they may go out.

        The text of comments these events hide, reject or delete is withdrawn
        from every earlier event in the ring, those of this batch included: a
        comment created and hidden within one batch never goes out with its text.
        """
        events = list(events)
        for event in list(events):
            redaction = event.redaction()
            if redaction is None:
                continue
            key, resource_id, withdrawn = redaction
            for earlier_events in (self.ring, events):
                for index, earlier in enumerate(earlier_events):
                    if earlier.seq < event.seq:
                        earlier_events[index] = earlier.without_text_of(resource_id, withdrawn, key)
        self.ring.extend(events)
        return events


class Channels:
    """This process's channels by space, and each connection's subscriptions."""

    def __init__(self, pool: Pool, ring_events: int) -> None:
        self._pool = pool
        self._ring_events = ring_events
        self._channels: dict[int, Channel] = {}
        self._subscriptions: dict[Connection, list[Subscription]] = {}

    def get(self, space_id: int) -> Channel | None:
        return self._channels.get(space_id)

    def space_ids(self) -> list[int]:
        return list(self._channels)

    def channels(self) -> list[Channel]:
        return list(self._channels.values())

    def register(self, connection: Connection) -> None:
        self._subscriptions[connection] = []

    def unregister(self, connection: Connection) -> None:
        for sub in list(self._subscriptions.get(connection, [])):
            self.unsubscribe(sub)
        self._subscriptions.pop(connection, None)

    def connections(self) -> list[Connection]:
        return list(self._subscriptions)

    def subscriptions_of(self, connection: Connection) -> list[Subscription]:
        return list(self._subscriptions.get(connection, []))

    async def channel(self, space: SpaceRow) -> Channel:
        """The space's channel, opened at the space's current seq if this process had none."""
        channel = self._channels.get(space.id)
        if channel is None:
            counters = await live_queries.list_space_counters(self._pool, [space.id])
            channel = self._channels.get(space.id)  # another subscriber may have won the race
            if channel is None:
                channel = Channel(
                    space.id,
                    space.slug,
                    space.epoch,
                    counters.get(space.id, 0),
                    ring=deque(maxlen=self._ring_events),
                )
                self._channels[space.id] = channel
        return channel

    def add(self, sub: Subscription) -> None:
        sub.channel.subscriptions.add(sub)
        self._subscriptions.setdefault(sub.connection, []).append(sub)

    def unsubscribe(self, sub: Subscription) -> None:
        sub.active = False
        channel = sub.channel
        channel.subscriptions.discard(sub)
        subs = self._subscriptions.get(sub.connection)
        if subs is not None and sub in subs:
            subs.remove(sub)
        if not channel.subscriptions and self._channels.get(channel.space_id) is channel:
            del self._channels[channel.space_id]
