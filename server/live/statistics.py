"""Live statistics for moderators and screens, coalesced: each interval, a space whose
comments or supports changed gets one `statistics` message, however many changed.

A space's numbers are read once per change and interval, in one consistent moment,
then sent to every moderator in full and to every screen without moderation outcomes.
They are kept on the channel with their version: a snapshot taken at that version
(nothing changed since) reuses them, so a burst of moderators and screens joining
costs one cheap version read each, not the space's aggregates each.
"""

from server.insight.statistics import for_audience, read_space_statistics, read_statistics
from server.live.channels import Channel, Channels, Subscription
from server.live.outbound import Frame
from server.live.tally import Tally
from server.queries import Executor
from server.queries import statistics as statistics_queries
from server.running.database import Pool
from server.schemas.insight import Statistics


def wants_statistics(sub: Subscription) -> bool:
    """Moderators and screens follow the numbers live; participants ask the API."""
    return sub.audience == "moderators" or sub.connection.kind == "screen"


async def snapshot_statistics(db: Executor, channel: Channel, seq: int, tally: Tally) -> Statistics:
    """The space's statistics at the snapshot's moment: `db` is the snapshot's
    repeatable-read transaction, and the kept ones serve when their version is its own."""
    versions = await statistics_queries.list_versions(db, [channel.space_id])
    version = versions[channel.space_id]
    cached = channel.statistics_cache
    if cached is not None and cached[0] == version:
        return cached[1]
    statistics = await read_statistics(db, channel.space_id, seq)
    tally.statistics_read("snapshot")
    channel.statistics_cache = (version, statistics)
    return statistics


async def push_statistics(pool: Pool, channels: Channels, tally: Tally) -> None:
    """Send fresh statistics to each space's moderators and screens, if they changed."""
    watched = [
        c for c in channels.channels() if any(s.ready and wants_statistics(s) for s in c.subscriptions)
    ]
    if not watched:
        return
    # One cheap query tells which spaces moved; only those are counted again.
    versions = await statistics_queries.list_versions(pool, [c.space_id for c in watched])
    for channel in watched:
        version = versions.get(channel.space_id)
        if version is None or version == channel.statistics_version:
            continue
        # Read after `version`: if anything changed in between, the next snapshot's version
        # differs from the kept one and it reads afresh.
        statistics = await read_space_statistics(pool, channel.space_id, moderators=True)
        tally.statistics_read("update")
        channel.statistics_cache = (version, statistics)
        _send(channel, statistics)
        channel.statistics_version = version


def _send(channel: Channel, statistics: Statistics) -> None:
    frames: dict[bool, Frame] = {}
    for sub in list(channel.subscriptions):
        if not (sub.active and sub.ready and wants_statistics(sub)):
            continue
        moderators = sub.audience == "moderators"
        if moderators not in frames:
            visible = for_audience(statistics, moderators).model_dump(mode="json")
            frames[moderators] = Frame({"type": "statistics", "space": channel.slug, "statistics": visible})
        sub.connection.outbox.offer(frames[moderators])
