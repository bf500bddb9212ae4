"""Bringing a subscriber level with its channel: resume after `since` or say `resync`,
then send what it misses from the ring, or from the events log when the ring no
longer reaches back. The log is also where the fan-out and the repair read gaps.
"""

from datetime import UTC, datetime

from server.events import Event
from server.live.channels import Connection, Subscription
from server.live.messages import close_too_slow, events_frame
from server.live.outbound import Frame
from server.queries import events as event_queries
from server.queries import live as live_queries
from server.queries.spaces import SpaceRow
from server.running.database import Pool
from server.running.settings import Settings

# Events read from the log in one query when catching up.
CATCH_UP_BATCH = 500


class Resync(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


async def read_log(pool: Pool, space_id: int, after: int, through: int | None = None) -> list[Event]:
    """The space's events after `after` (up to `through`), from the events log."""
    events: list[Event] = []
    while through is None or after < through:
        rows = await event_queries.list_events_after(pool, space_id, after, CATCH_UP_BATCH)
        events += [Event.from_row(r) for r in rows if through is None or r.seq <= through]
        if len(rows) < CATCH_UP_BATCH:
            break
        after = rows[-1].seq
    return events


async def check_resumable(
    pool: Pool, settings: Settings, space: SpaceRow, since: int, epoch: str | None
) -> None:
    """Raise Resync when the events after `since` cannot be replayed (or are not worth it)."""
    if epoch is not None and epoch != space.epoch:
        raise Resync("epoch_changed")
    counters = await live_queries.list_space_counters(pool, [space.id])
    current = counters.get(space.id, 0)
    if since > current:
        raise Resync("unknown_seq")
    if current - since > settings.resume_max_events:
        raise Resync("too_far_behind")
    if since < current:
        at = await live_queries.get_event_time(pool, space.id, since + 1)
        age = (datetime.now(UTC) - at).total_seconds() if isinstance(at, datetime) else None
        if age is None or age > settings.resume_max_age_secs:
            raise Resync("too_far_behind")


async def catch_up(pool: Pool, sub: Subscription) -> None:
    """Send what the subscription misses up to the channel's last seq, then mark it live.

    The final check and `ready = True` happen with no await between them,
    so the fan-out takes over exactly where the catch-up ends.
    """
    channel = sub.channel
    while sub.sent_seq < channel.last_seq:
        events = channel.ring_after(sub.sent_seq)
        if events is None:
            events = await read_log(pool, channel.space_id, sub.sent_seq, channel.last_seq)
            events = [e for e in events if e.seq > sub.sent_seq]
            if not events:
                break
        frame = events_frame(channel.slug, events, sub.audience, sub.user_id)
        if frame is not None:
            sub.connection.outbox.push(frame)
        sub.sent_seq = max(sub.sent_seq, events[-1].seq)
    sub.ready = True


def resume_lagging(connection: Connection, subscriptions: list[Subscription]) -> bool:
    """The connection's queue drained: send it what it skipped, from the rings, or cut it
    off (then True)."""
    frames: list[Frame] = []
    size = 0
    for sub in subscriptions:
        if not sub.ready:
            continue
        events = sub.channel.ring_after(sub.sent_seq)
        if events is None:
            close_too_slow(connection.outbox)
            return True
        frame = events_frame(sub.channel.slug, events, sub.audience, sub.user_id) if events else None
        if frame is not None:
            frames.append(frame)
            size += frame.size
        if events:
            sub.sent_seq = events[-1].seq
    if size > connection.outbox.limit_bytes:
        close_too_slow(connection.outbox)
        return True
    for frame in frames:
        connection.outbox.push(frame)
    connection.outbox.caught_up()
    return False
