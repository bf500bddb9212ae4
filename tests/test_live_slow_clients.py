"""A client that stops reading is cut off with 4008; the others never wait for it."""

import asyncio

import pytest

from server.live.channels import Connection
from server.live.messages import CLOSE_TOO_SLOW
from server.running.settings import Settings
from tests.helpers import Api, RunningServer, assert_frame
from tests.live import live_client, stalled_client

OUTBOX_LIMIT = 64 * 1024
# Long comments fill buffers quickly: each event carries the text and its HTML.
LONG_TEXT = "The river basin agreement needs a shared monitoring network. " * 140
# A loopback socket buffers a few MB: far more than that, and the client was never cut off.
MAX_COMMENTS = 600


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        live_outbox_limit_bytes=OUTBOX_LIMIT,
        slow_client_grace_secs=1.0,
        repair_interval_secs=0.2,
        # Hundreds of comments in a moment from four accounts: a flood by design.
        rate_post_per_account="100000/60",
        rate_post_per_address="100000/60",
    )


async def _only_connection(server: RunningServer) -> Connection:
    hub = server.services.hub
    assert hub is not None
    for _ in range(500):  # the handshake's answer comes a moment before the hub knows it
        if hub.connections():
            break
        await asyncio.sleep(0.01)
    [connection] = hub.connections()
    return connection


async def test_client_that_stops_reading_is_cut_off_while_others_keep_receiving(
    api: Api, server: RunningServer
) -> None:
    await api.space("water")
    question = await api.question("water")
    authors = [await api.register(f"Author {n}") for n in range(4)]
    async with stalled_client(server.port, "water"):
        stalled_connection = await _only_connection(server)
        # Frames go straight to the socket while it takes them (server/live/direct.py).
        assert stalled_connection.outbox.direct
        async with live_client(server.ws_url) as healthy:
            assert_frame(await healthy.subscribe("water"), "snapshot")
            posted: list[int] = []
            largest_queue = 0
            while not stalled_connection.outbox.closed:
                assert len(posted) < MAX_COMMENTS, "the stalled client was never cut off"
                batch = await asyncio.gather(
                    *(api.comment(author, question["id"], LONG_TEXT) for author in authors)
                )
                posted += sorted(c["event_seq"] for c in batch)
                largest_queue = max(largest_queue, stalled_connection.outbox.queued_bytes)
                # The healthy client is never held back by the stalled one.
                await healthy.events_through(posted[-1], timeout=5)
            assert [e["seq"] for e in healthy.seen] == posted

    assert stalled_connection.outbox.close_code == CLOSE_TOO_SLOW
    # Memory stayed bounded: the queue never held more than its limit and one event.
    assert largest_queue <= OUTBOX_LIMIT + 2 * len(LONG_TEXT) + 4096


async def test_cut_off_client_that_reads_again_learns_the_close_code(api: Api, server: RunningServer) -> None:
    await api.space("water")
    question = await api.question("water")
    authors = [await api.register(f"Author {n}") for n in range(4)]
    async with stalled_client(server.port, "water") as stalled:
        connection = await _only_connection(server)
        for _ in range(MAX_COMMENTS // len(authors)):
            await asyncio.gather(*(api.comment(author, question["id"], LONG_TEXT) for author in authors))
            if connection.outbox.closed:
                break
        # The closing frame waits behind what the socket held: reading it all reaches it.
        assert await stalled.close_code() == CLOSE_TOO_SLOW
