"""This process's live subscribers: ordering, fan-out, catch-up and repair.

Delivery contract, per space: every subscriber receives every event it may
see, once, in seq order. The hub keeps per space the last seq it processed
and a ring of recent events. An event at or below that seq is a duplicate
and is dropped; one past a gap makes the hub read the missing events from
PostgreSQL first. Every repair interval, and whenever the bus
reconnects, the hub compares its spaces with their counters in PostgreSQL
and reads any tail it missed (a writer that died between commit and
publish, a Redis outage).

Events processed together go out together: one `events` frame per audience,
encoded once and shared by every connection of that audience.
"""

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from server.events import Audience, Event
from server.live.messages import CLOSE_TOO_SLOW
from server.live.outbound import Frame, Outbox
from server.live.presence import Counts, LocalPresence, PresenceStore, empty_counts
from server.live.snapshot import read_snapshot
from server.queries import events as event_queries
from server.queries import live as live_queries
from server.queries.spaces import SpaceRow
from server.running.database import Pool
from server.running.settings import Settings

log = logging.getLogger(__name__)

# The numbers that shape delivery are settings (server/running/settings.py), with
# these reasons for their defaults:
# - batch_interval_secs (0.05): at most 20 fan-outs a second per process, so
#   writes per connection stay bounded while events per second grow; well
#   inside "a fraction of a second";
# - ring_events (1024): a burst of a few minutes of a busy consultation, so a
#   briefly slow or reconnecting client catches up from memory;
# - resume_max_events (1000) / resume_max_age_secs (600): further behind, a
#   fresh snapshot is cheaper than a replay, so the client gets `resync`;
# - repair_interval_secs (2): lost tails are found within this; one cheap
#   query per process;
# - heartbeat_interval_secs (25): proxies and home routers drop idle
#   connections at about 60 s;
# - slow_client_grace_secs (10): how long a lagging client may take to drain;
# - presence_interval_secs (1): live enough for a counter, and a crowd joining
#   at once costs one message a second, not one per join.

# Events after which someone receives another audience in the space.
ROLE_CHANGING_EVENTS = frozenset({"space.moderator_added", "space.moderator_removed"})
# Connections written to between two yields to the event loop during a fan-out:
# about a millisecond of work.
FAN_OUT_SLICE = 200
# Events read from the log in one query when catching up.
CATCH_UP_BATCH = 500
# "Writing" lasts this long after a client's last typing signal (clients send
# one every few seconds while typing).
WRITING_TTL_SECS = 6.0

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

    def ring_after(self, seq: int) -> list[Event] | None:
        """Events after `seq` up to last_seq, or None when the ring no longer reaches back."""
        if seq >= self.last_seq:
            return []
        if not self.ring or self.ring[0].seq > seq + 1:
            return None
        return [e for e in self.ring if e.seq > seq]

    def withdraw(self, events: list[Event]) -> None:
        """Withdraw from the ring the text of comments these events hide, reject or delete."""
        for event in events:
            redaction = event.redaction()
            if redaction is None:
                continue
            comment_id, withdrawn = redaction
            for index, earlier in enumerate(self.ring):
                if earlier.seq < event.seq:
                    self.ring[index] = earlier.without_text_of(comment_id, withdrawn)


def events_frame(
    slug: str, events: list[Event], audience: Audience, user_id: int | None = None
) -> Frame | None:
    """One `events` frame of what `audience` (signed in as `user_id`) may see;
    None when it may see none of them."""
    visible = [w for w in (e.wire(audience, user_id) for e in events) if w is not None]
    if not visible:
        return None
    seq = events[-1].seq
    return Frame({"type": "events", "space": slug, "seq": seq, "events": visible}, seq=seq)


class Resync(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class Hub:
    def __init__(self, pool: Pool, settings: Settings, presence: PresenceStore | None = None) -> None:
        self._pool = pool
        self._settings = settings
        self._presence = presence or LocalPresence()
        self._channels: dict[int, Channel] = {}
        self._inbox: asyncio.Queue[Event] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._subscriptions: dict[Connection, list[Subscription]] = {}

    # ---- lifecycle ---------------------------------------------------------

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._process_inbox(), name="hub-inbox"),
            asyncio.create_task(
                self._every(self._settings.repair_interval_secs, self._sweep), name="hub-repair"
            ),
            asyncio.create_task(
                self._every(self._settings.heartbeat_interval_secs, self._heartbeat), name="hub-heartbeat"
            ),
            asyncio.create_task(
                self._every(self._settings.presence_interval_secs, self._push_presence), name="hub-presence"
            ),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        await self._presence.stop()

    async def _every(self, interval: float, job: Any) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await job()
            except Exception:
                log.exception("periodic hub job failed; retrying next interval")

    # ---- inbound events ----------------------------------------------------

    def accept(self, event: Event) -> None:
        """Take an event from this process's writers or from the bus (any order, duplicates fine)."""
        if event.space_id in self._channels:
            self._inbox.put_nowait(event)

    async def _process_inbox(self) -> None:
        loop = asyncio.get_running_loop()
        last_fan_out = -math.inf
        while True:
            batch = [await self._inbox.get()]
            # A fan-out costs a write per connection whatever it carries: under load,
            # events that come within the batch interval of the last fan-out wait for
            # the rest of it and go out together. At a calm pace nothing waits.
            wait = last_fan_out + self._settings.batch_interval_secs - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            last_fan_out = loop.time()
            while not self._inbox.empty():
                batch.append(self._inbox.get_nowait())
            by_space: dict[int, list[Event]] = {}
            for event in batch:
                by_space.setdefault(event.space_id, []).append(event)
            for space_id, events in by_space.items():
                channel = self._channels.get(space_id)
                if channel is None:
                    continue
                try:
                    await self._advance(channel, events)
                except Exception:
                    # The repair sweep reads the same events from the log again.
                    log.exception("could not deliver events of space %s", space_id)

    async def _advance(self, channel: Channel, events: Iterable[Event]) -> None:
        """Deliver new events of a channel in order, reading any gap from the log first."""
        async with channel.lock:
            fresh = sorted(
                {e.seq: e for e in events if e.seq > channel.last_seq}.values(), key=lambda e: e.seq
            )
            if not fresh:
                return
            expected = range(channel.last_seq + 1, fresh[-1].seq + 1)
            if [e.seq for e in fresh] != list(expected):
                fresh = await self._read_log(channel.space_id, channel.last_seq, fresh[-1].seq)
                if not fresh:
                    return
            previous = channel.last_seq
            channel.withdraw(fresh)
            if any(e.type.startswith("question.") for e in fresh):
                channel.open_questions = None
            channel.ring.extend(fresh)
            channel.last_seq = fresh[-1].seq
            await self._fan_out(channel, fresh, previous)
            self._end_changed_roles(channel, fresh)

    async def _read_log(self, space_id: int, after: int, through: int | None = None) -> list[Event]:
        events: list[Event] = []
        while through is None or after < through:
            rows = await event_queries.list_events_after(self._pool, space_id, after, CATCH_UP_BATCH)
            events += [Event.from_row(r) for r in rows if through is None or r.seq <= through]
            if len(rows) < CATCH_UP_BATCH:
                break
            after = rows[-1].seq
        return events

    async def _fan_out(self, channel: Channel, events: list[Event], previous: int) -> None:
        shared: dict[Audience, Frame | None] = {}
        recipients = {e.recipient_id for e in events if e.personal is not None}
        for count, sub in enumerate(list(channel.subscriptions), 1):
            if count % FAN_OUT_SLICE == 0:
                # Let the process's other work (a post's database round trips,
                # while it holds its space's lock) in between slices.
                await asyncio.sleep(0)
            if not sub.active or not sub.ready or sub.connection.outbox.lagging:
                continue
            if sub.audience == "public" and sub.user_id is not None and sub.user_id in recipients:
                # Someone an event is addressed to: a frame of their own.
                own = [e for e in events if e.seq > sub.sent_seq]
                if not own:
                    continue
                frame = events_frame(channel.slug, own, sub.audience, sub.user_id)
            elif sub.sent_seq == previous:
                if sub.audience not in shared:
                    shared[sub.audience] = events_frame(channel.slug, events, sub.audience)
                frame = shared[sub.audience]
            else:
                # Joined mid-way (its snapshot was newer than this batch's start).
                own = [e for e in events if e.seq > sub.sent_seq]
                if not own:
                    continue
                frame = events_frame(channel.slug, own, sub.audience, sub.user_id)
            if frame is None or sub.connection.outbox.offer(frame):
                sub.sent_seq = events[-1].seq

    def _end_changed_roles(self, channel: Channel, events: list[Event]) -> None:
        """A subscriber named or removed as moderator was receiving the wrong audience:
        end the subscription with `resync` (reason `role_changed`), and the client
        subscribes again, now with its new role."""
        users = {
            e.moderators["user"]["id"]
            for e in events
            if e.type in ROLE_CHANGING_EVENTS and isinstance(e.moderators.get("user"), dict)
        }
        if not users:
            return
        for sub in list(channel.subscriptions):
            if sub.user_id in users:
                self.unsubscribe(sub)
                sub.connection.outbox.push(
                    Frame({"type": "resync", "space": channel.slug, "reason": "role_changed"})
                )

    # ---- subscribers -------------------------------------------------------

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

    async def _channel(self, space: SpaceRow) -> Channel:
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
                    ring=deque(maxlen=self._settings.ring_events),
                )
                self._channels[space.id] = channel
        return channel

    async def subscribe(
        self,
        connection: Connection,
        space: SpaceRow,
        audience: Audience,
        since: int | None,
        epoch: str | None,
        user_id: int | None = None,
    ) -> Subscription:
        """Join a space: a snapshot (since None) or exactly the events after `since`, then live.

        The subscription is registered before the snapshot is read, so no
        event can fall between the snapshot and the live stream.
        Raises Resync when `since` cannot be served.
        """
        channel = await self._channel(space)
        sub = Subscription(connection, channel, audience, user_id)
        channel.subscriptions.add(sub)
        self._subscriptions.setdefault(connection, []).append(sub)
        try:
            if since is None:
                seq, state = await read_snapshot(self._pool, space.id, audience, user_id)
                state["presence"] = channel.presence or None
                connection.outbox.push(
                    Frame(
                        {
                            "type": "snapshot",
                            "space": space.slug,
                            "seq": seq,
                            "epoch": space.epoch,
                            "role": audience,
                            "state": state,
                        },
                        seq=seq,
                    )
                )
                sub.sent_seq = seq
            else:
                await self._check_resumable(space, since, epoch)
                connection.outbox.push(
                    Frame(
                        {
                            "type": "subscribed",
                            "space": space.slug,
                            "seq": since,
                            "epoch": space.epoch,
                            "role": audience,
                        },
                        seq=since,
                    )
                )
                sub.sent_seq = since
            await self._catch_up(sub)
            if channel.presence:
                connection.outbox.push(Frame({"type": "presence", "space": space.slug} | channel.presence))
        except BaseException:
            self.unsubscribe(sub)
            raise
        return sub

    async def _check_resumable(self, space: SpaceRow, since: int, epoch: str | None) -> None:
        if epoch is not None and epoch != space.epoch:
            raise Resync("epoch_changed")
        counters = await live_queries.list_space_counters(self._pool, [space.id])
        current = counters.get(space.id, 0)
        if since > current:
            raise Resync("unknown_seq")
        if current - since > self._settings.resume_max_events:
            raise Resync("too_far_behind")
        if since < current:
            at = await live_queries.get_event_time(self._pool, space.id, since + 1)
            age = (datetime.now(UTC) - at).total_seconds() if isinstance(at, datetime) else None
            if age is None or age > self._settings.resume_max_age_secs:
                raise Resync("too_far_behind")

    async def _catch_up(self, sub: Subscription) -> None:
        """Send what the subscription misses up to the channel's last seq, then mark it live.

        The final check and `ready = True` happen with no await between them,
        so the fan-out takes over exactly where the catch-up ends.
        """
        channel = sub.channel
        while sub.sent_seq < channel.last_seq:
            events = channel.ring_after(sub.sent_seq)
            if events is None:
                events = await self._read_log(channel.space_id, sub.sent_seq, channel.last_seq)
                events = [e for e in events if e.seq > sub.sent_seq]
                if not events:
                    break
            frame = events_frame(channel.slug, events, sub.audience, sub.user_id)
            if frame is not None:
                sub.connection.outbox.push(frame)
            sub.sent_seq = max(sub.sent_seq, events[-1].seq)
        sub.ready = True

    def unsubscribe(self, sub: Subscription) -> None:
        sub.active = False
        channel = sub.channel
        channel.subscriptions.discard(sub)
        subs = self._subscriptions.get(sub.connection)
        if subs is not None and sub in subs:
            subs.remove(sub)
        if not channel.subscriptions and self._channels.get(channel.space_id) is channel:
            del self._channels[channel.space_id]

    def resume_lagging(self, connection: Connection) -> None:
        """The connection's queue drained: send it what it skipped, from the rings, or cut it off."""
        frames: list[Frame] = []
        size = 0
        for sub in self.subscriptions_of(connection):
            if not sub.ready:
                continue
            events = sub.channel.ring_after(sub.sent_seq)
            if events is None:
                connection.outbox.close(CLOSE_TOO_SLOW, "too slow: resume with since", drop_queued=True)
                return
            frame = events_frame(sub.channel.slug, events, sub.audience, sub.user_id) if events else None
            if frame is not None:
                frames.append(frame)
                size += frame.size
            if events:
                sub.sent_seq = events[-1].seq
        if size > connection.outbox.limit_bytes:
            connection.outbox.close(CLOSE_TOO_SLOW, "too slow: resume with since", drop_queued=True)
            return
        for frame in frames:
            connection.outbox.push(frame)
        connection.outbox.caught_up()

    def channels(self) -> list[Channel]:
        return list(self._channels.values())

    # ---- periodic work -----------------------------------------------------

    async def repair(self) -> None:
        """Compare every active space with its counter and read any missed tail."""
        if not self._channels:
            return
        counters = await live_queries.list_space_counters(self._pool, list(self._channels))
        for space_id, seq in counters.items():
            channel = self._channels.get(space_id)
            if channel is not None and seq > channel.last_seq:
                missed = await self._read_log(space_id, channel.last_seq, seq)
                if missed:
                    log.info("repaired %d missed events of space %s", len(missed), space_id)
                    await self._advance(channel, missed)

    async def _sweep(self) -> None:
        now = time.monotonic()
        for connection in self.connections():
            if connection.outbox.stuck_for(now) > self._settings.slow_client_grace_secs:
                connection.outbox.close(CLOSE_TOO_SLOW, "too slow: resume with since", drop_queued=True)
        await self.repair()

    async def _heartbeat(self) -> None:
        at = datetime.now(UTC)
        for connection in self.connections():
            if connection.outbox.lagging:
                continue
            spaces = {s.channel.slug: s.sent_seq for s in self.subscriptions_of(connection) if s.ready}
            connection.outbox.push(Frame({"type": "heartbeat", "at": at, "spaces": spaces}))

    # ---- presence ----------------------------------------------------------

    async def note_writing(self, sub: Subscription, question_id: int) -> bool:
        """Count the subscriber as writing on the question; False when the space has no
        such open question."""
        channel = sub.channel
        if channel.open_questions is None:
            channel.open_questions = await live_queries.list_open_question_ids(self._pool, channel.space_id)
        if question_id not in channel.open_questions:
            return False
        sub.writing = (question_id, time.monotonic() + WRITING_TTL_SECS)
        return True

    def _local_counts(self, channel: Channel) -> Counts:
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

    async def _push_presence(self) -> None:
        local = {c.space_id: self._local_counts(c) for c in self._channels.values()}
        totals = await self._presence.exchange(local)
        for channel in list(self._channels.values()):
            counts = totals.get(channel.space_id, local.get(channel.space_id, empty_counts()))
            if counts == channel.presence:
                continue
            channel.presence = counts
            frame = Frame({"type": "presence", "space": channel.slug} | counts)
            for sub in channel.subscriptions:
                if sub.ready:
                    sub.connection.outbox.offer(frame)
