"""From accepted events to outboxes: batching, order, and one encoding per audience.

Delivery contract, per space: every subscriber receives every event it may
see, once, in seq order. An event at or below the channel's last seq is a
duplicate and is dropped; one past a gap makes the fan-out read the missing
events from PostgreSQL first. Events processed together go out together: one
`events` frame per audience, encoded once and shared by every connection of
that audience, written at once or queued by its outbox (server/live/outbound.py).
"""

import asyncio
import logging
import math
import time
from collections.abc import Iterable

from server.events import Audience, Event
from server.live.catchup import read_log
from server.live.channels import Channel, Channels
from server.live.messages import events_frame, resync_frame
from server.live.outbound import Frame
from server.live.tally import NoTally, Tally
from server.running.database import Pool

log = logging.getLogger(__name__)

# Events after which someone receives another audience in the space.
ROLE_CHANGING_EVENTS = frozenset({"space.moderator_added", "space.moderator_removed"})
# Connections written to between two yields to the event loop during a fan-out:
# about a millisecond of work.
FAN_OUT_SLICE = 200


class FanOut:
    def __init__(
        self, pool: Pool, channels: Channels, batch_interval_secs: float, tally: Tally | None = None
    ) -> None:
        self._tally = tally or NoTally()
        self._pool = pool
        self._channels = channels
        self._batch_interval_secs = batch_interval_secs
        self._inbox: asyncio.Queue[Event] = asyncio.Queue()

    def accept(self, event: Event) -> None:
        """Take an event from this process's writers or from the bus (any order, duplicates fine)."""
        if self._channels.get(event.space_id) is not None:
            self._inbox.put_nowait(event)

    async def process_inbox(self) -> None:
        """Deliver accepted events in batches, for as long as the hub runs."""
        loop = asyncio.get_running_loop()
        last_fan_out = -math.inf
        while True:
            batch = [await self._inbox.get()]
            # A fan-out costs a write per connection whatever it carries: under load,
            # events that come within the batch interval of the last fan-out wait for
            # the rest of it and go out together. At a calm pace nothing waits.
            wait = last_fan_out + self._batch_interval_secs - loop.time()
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
                    await self.advance(channel, events)
                except Exception:
                    # The repair sweep reads the same events from the log again.
                    log.exception("could not deliver events of space %s", space_id)

    async def advance(self, channel: Channel, events: Iterable[Event]) -> None:
        """Deliver new events of a channel in order, reading any gap from the log first."""
        async with channel.lock:
            fresh = sorted(
                {e.seq: e for e in events if e.seq > channel.last_seq}.values(), key=lambda e: e.seq
            )
            if not fresh:
                return
            expected = range(channel.last_seq + 1, fresh[-1].seq + 1)
            if [e.seq for e in fresh] != list(expected):
                fresh = await read_log(self._pool, channel.space_id, channel.last_seq, fresh[-1].seq)
                if not fresh:
                    return
            previous = channel.last_seq
            if any(e.type.startswith("question.") for e in fresh):
                channel.open_questions = None
            fresh = channel.append(fresh)
            channel.last_seq = fresh[-1].seq
            await self._fan_out(channel, fresh, previous)
            self._end_changed_roles(channel, fresh)

    async def _fan_out(self, channel: Channel, events: list[Event], previous: int) -> None:
        shared: dict[Audience, Frame | None] = {}
        recipients = {e.recipient_id for e in events if e.personal is not None}
        delivered = 0
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
                delivered += frame is not None
        # From the oldest event's commit to the moment its frames are written or queued.
        self._tally.delivered(delivered, time.time() - events[0].at.timestamp())

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
                self._channels.unsubscribe(sub)
                sub.connection.outbox.push(resync_frame(channel.slug, "role_changed"))
                self._tally.resynced("role_changed")
