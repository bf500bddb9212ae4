"""The hub's periodic care of its connections: a heartbeat for each, and closing
the ones stuck too long (they resume with `since`)."""

import time
from datetime import UTC, datetime

from server.live.channels import Channels
from server.live.messages import close_too_slow
from server.live.outbound import Frame


def close_stuck(channels: Channels, grace_secs: float) -> int:
    """Close the connections that made no progress for longer than the grace period;
    return how many."""
    now = time.monotonic()
    closed = 0
    for connection in channels.connections():
        if connection.outbox.stuck_for(now) > grace_secs:
            close_too_slow(connection.outbox)
            closed += 1
    return closed


def send_heartbeats(channels: Channels) -> None:
    """Tell each connection the seq up to which it has everything, keeping idle ones open."""
    at = datetime.now(UTC)
    for connection in channels.connections():
        if connection.outbox.lagging:
            continue
        spaces = {s.channel.slug: s.sent_seq for s in channels.subscriptions_of(connection) if s.ready}
        connection.outbox.push(Frame({"type": "heartbeat", "at": at, "spaces": spaces}))
