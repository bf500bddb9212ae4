"""Live statistics for moderators and screens, coalesced: each interval, a space whose
comments or supports changed gets one `statistics` message, however many changed.

A space's numbers are read once per change and interval, in one consistent moment
(the same read a newly joined moderator or screen gets in its snapshot), then
sent to every moderator in full and to every screen without moderation outcomes.
"""

from server.insight.statistics import for_audience, read_space_statistics
from server.live.channels import Channel, Channels, Subscription
from server.live.outbound import Frame
from server.queries import statistics as statistics_queries
from server.running.database import Pool


def wants_statistics(sub: Subscription) -> bool:
    """Moderators and screens follow the numbers live; participants ask the API."""
    return sub.audience == "moderators" or sub.connection.kind == "screen"


async def push_statistics(pool: Pool, channels: Channels) -> None:
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
        await _send(pool, channel)
        channel.statistics_version = version


async def _send(pool: Pool, channel: Channel) -> None:
    statistics = await read_space_statistics(pool, channel.space_id, moderators=True)
    frames: dict[bool, Frame] = {}
    for sub in list(channel.subscriptions):
        if not (sub.active and sub.ready and wants_statistics(sub)):
            continue
        moderators = sub.audience == "moderators"
        if moderators not in frames:
            visible = for_audience(statistics, moderators).model_dump(mode="json")
            frames[moderators] = Frame({"type": "statistics", "space": channel.slug, "statistics": visible})
        sub.connection.outbox.offer(frames[moderators])
