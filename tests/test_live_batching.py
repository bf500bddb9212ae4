"""Under load, frames per second stay bounded while events per second grow."""

from typing import Any

import pytest

from server.running.settings import Settings
from tests.helpers import Api, RunningServer, assert_frame
from tests.live import live_client

BATCH_INTERVAL_SECS = 1.0


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, batch_interval_secs=BATCH_INTERVAL_SECS)


async def test_a_stream_of_comments_faster_than_the_batch_interval_goes_out_in_few_frames(
    api: Api, server: RunningServer
) -> None:
    await api.space("water")
    question = await api.question("water")
    alice = await api.register("Alice")
    async with live_client(server.ws_url) as live:
        assert_frame(await live.subscribe("water"), "snapshot")
        # One after the other, each a few milliseconds: a busy consultation.
        posted = [await api.comment(alice, question["id"], f"Point {n}.") for n in range(6)]
        frames: list[dict[str, Any]] = []
        while not frames or frames[-1]["seq"] < posted[-1]["event_seq"]:
            frames.append(assert_frame(await live.receive(), "events"))
    assert [e["seq"] for f in frames for e in f["events"]] == [c["event_seq"] for c in posted]
    # The first goes at once; the others wait for the interval and travel together.
    assert len(frames[0]["events"]) == 1
    assert len(frames) < len(posted) / 2
