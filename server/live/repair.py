"""Finding events this process never received, and delivering them late but in order.

Every repair interval, and whenever the bus reconnects, each channel is
compared with its space's counter in PostgreSQL and any tail it missed (a
writer that died between commit and publish, a Redis outage) is read from
the events log and handed to the fan-out.
"""

import logging

from server.live.catchup import read_log
from server.live.channels import Channels
from server.live.fanout import FanOut
from server.queries import live as live_queries
from server.running.database import Pool

log = logging.getLogger(__name__)


async def repair(pool: Pool, channels: Channels, fan_out: FanOut) -> None:
    """Compare every active space with its counter and read any missed tail."""
    space_ids = channels.space_ids()
    if not space_ids:
        return
    counters = await live_queries.list_space_counters(pool, space_ids)
    for space_id, seq in counters.items():
        channel = channels.get(space_id)
        if channel is not None and seq > channel.last_seq:
            missed = await read_log(pool, space_id, channel.last_seq, seq)
            if missed:
                log.info("repaired %d missed events of space %s", len(missed), space_id)
                await fan_out.advance(channel, missed)
