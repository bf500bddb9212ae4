"""This process's live subscribers: the hub composes channels, fan-out, catch-up,
repair, upkeep and presence, and runs their tasks for the app's lifetime.

`Services.publish` and the bus hand it events (`accept`); the WebSocket and SSE
endpoints ask its `admission` for a place, register connections and subscribe
them to spaces. While it runs, SIGTERM first tells its clients to reconnect
elsewhere (server/live/restart.py).
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from server.events import Audience, Event
from server.live import catchup, presence, statistics, upkeep
from server.live.admission import Admission
from server.live.channels import Channel, Channels, Connection, Subscription
from server.live.fanout import FanOut
from server.live.outbound import Frame
from server.live.presence import LocalPresence, PresenceStore
from server.live.repair import repair
from server.live.restart import RestartOnSigterm
from server.live.snapshot import read_snapshot
from server.live.tally import NoTally, Tally
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
# - statistics_interval_secs (1): as presence; a burst of comments costs one
#   read and one message per space and second, not one per comment.


class Hub:
    def __init__(
        self,
        pool: Pool,
        settings: Settings,
        presence: PresenceStore | None = None,
        tally: Tally | None = None,
    ) -> None:
        self._tally = tally or NoTally()
        self._pool = pool
        self._settings = settings
        self._presence = presence or LocalPresence()
        self._channels = Channels(pool, settings.ring_events)
        self._fan_out = FanOut(pool, self._channels, settings.batch_interval_secs, self._tally)
        self.admission = Admission(settings)
        self._restart = RestartOnSigterm(self._channels, self.admission, settings.restart_spread_secs)
        self._tasks: list[asyncio.Task[None]] = []

    # ---- lifecycle ---------------------------------------------------------

    async def start(self) -> None:
        self._restart.install()
        self._tasks = [
            asyncio.create_task(self._fan_out.process_inbox(), name="hub-inbox"),
            asyncio.create_task(
                self._every(self._settings.repair_interval_secs, self._sweep), name="hub-repair"
            ),
            asyncio.create_task(
                self._every(self._settings.heartbeat_interval_secs, self._heartbeat), name="hub-heartbeat"
            ),
            asyncio.create_task(
                self._every(self._settings.presence_interval_secs, self._push_presence), name="hub-presence"
            ),
            asyncio.create_task(
                self._every(self._settings.statistics_interval_secs, self._push_statistics),
                name="hub-statistics",
            ),
        ]

    async def stop(self) -> None:
        self._restart.uninstall()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        await self._presence.stop()

    async def _every(self, interval: float, job: Callable[[], Awaitable[None]]) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await job()
            except Exception:
                log.exception("periodic hub job failed; retrying next interval")

    # ---- inbound events ----------------------------------------------------

    def accept(self, event: Event) -> None:
        """Take an event from this process's writers or from the bus (any order, duplicates fine)."""
        self._fan_out.accept(event)

    # ---- subscribers -------------------------------------------------------

    def register(self, connection: Connection) -> None:
        self._channels.register(connection)

    def unregister(self, connection: Connection) -> None:
        self._channels.unregister(connection)

    def connections(self) -> list[Connection]:
        return self._channels.connections()

    def subscriptions_of(self, connection: Connection) -> list[Subscription]:
        return self._channels.subscriptions_of(connection)

    def channels(self) -> list[Channel]:
        return self._channels.channels()

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
        channel = await self._channels.channel(space)
        sub = Subscription(connection, channel, audience, user_id)
        self._channels.add(sub)
        try:
            if since is None:
                seq, state = await read_snapshot(
                    self._pool,
                    space.id,
                    audience,
                    user_id,
                    statistics_of=channel
                    if audience == "moderators" or connection.kind == "screen"
                    else None,
                    tally=self._tally,
                )
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
                try:
                    await catchup.check_resumable(self._pool, self._settings, space, since, epoch)
                except catchup.Resync as resync:
                    self._tally.resynced(resync.reason)
                    raise
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
            await catchup.catch_up(self._pool, sub)
            self._tally.caught_up()
            if channel.presence:
                connection.outbox.push(Frame({"type": "presence", "space": space.slug} | channel.presence))
        except BaseException:
            self.unsubscribe(sub)
            raise
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        self._channels.unsubscribe(sub)

    def resume_lagging(self, connection: Connection) -> None:
        """The connection's queue drained: send it what it skipped, from the rings, or cut it off."""
        if catchup.resume_lagging(connection, self.subscriptions_of(connection)):
            self._tally.closed_slow(1)

    async def note_writing(self, sub: Subscription, question_id: int) -> bool:
        """Count the subscriber as writing on the question; False when the space has no
        such open question."""
        return await presence.note_writing(self._pool, sub, question_id)

    # ---- periodic work -----------------------------------------------------

    async def repair(self) -> None:
        """Compare every active space with its counter and read any missed tail."""
        await repair(self._pool, self._channels, self._fan_out)

    async def _sweep(self) -> None:
        self._tally.closed_slow(upkeep.close_stuck(self._channels, self._settings.slow_client_grace_secs))
        await self.repair()

    async def _heartbeat(self) -> None:
        upkeep.send_heartbeats(self._channels)

    async def _push_presence(self) -> None:
        await presence.push_presence(self._presence, self._channels)

    async def _push_statistics(self) -> None:
        await statistics.push_statistics(self._pool, self._channels, self._tally)
