"""Withdrawn text is never delivered: not live, not on resume, even when a comment's
creation and its hiding travel in the same fan-out batch."""

from typing import Any

import httpx
import orjson
import pytest

from server.running.settings import Settings
from tests.helpers import Api, RunningServer, assert_frame
from tests.live import LiveClient, SseClient, live_client, sse_client
from tests.moderation import SLUG, Scene, make_scene

# Long enough that a comment posted and hidden right after a fan-out both wait
# for the next one: the test checks that they did travel together.
BATCH_INTERVAL_SECS = 2.0
SECRET = "Call 555-0199 for my home address"


@pytest.fixture
def settings(database_url: str) -> Settings:
    # The repair sweep would read both events back from the log, already withdrawn,
    # before the batch goes out: keep it out of the way.
    return Settings(
        database_url=database_url, batch_interval_secs=BATCH_INTERVAL_SECS, repair_interval_secs=600
    )


async def _messages_through(client: LiveClient | SseClient, seq: int) -> list[dict[str, Any]]:
    """The `events` messages received until one covers `seq`."""
    received: list[dict[str, Any]] = []
    while not received or received[-1]["seq"] < seq:
        message = await client.receive()
        if message["type"] == "events":
            received.append(message)
    return received


async def _post_and_hide_in_one_batch(scene: Scene, *readers: LiveClient | SseClient) -> tuple[int, int]:
    """A fan-out goes out (a first comment), then a comment is posted and hidden at once:
    both wait for the next fan-out. Returns the seqs of the creation and of the hiding."""
    warm_up = await scene.published("Opening the discussion.")
    for reader in readers:
        await _messages_through(reader, warm_up["event_seq"])
    secret = await scene.published(SECRET)
    hidden = await scene.decided(secret["id"], "hide", reason="personal_data")
    return secret["event_seq"], hidden["event_seq"]


def _together(messages: list[dict[str, Any]], *seqs: int) -> bool:
    return any({e["seq"] for e in m["events"]} >= set(seqs) for m in messages)


async def test_comment_created_and_hidden_in_one_batch_never_reaches_websocket_or_sse_readers(
    api: Api, server: RunningServer, client: httpx.AsyncClient
) -> None:
    scene = await make_scene(api)
    async with (
        live_client(server.ws_url) as public_ws,
        live_client(server.ws_url, scene.moderator.token) as moderator_ws,
        sse_client(client, SLUG) as public_sse,
    ):
        for ws in (public_ws, moderator_ws):
            assert_frame(await ws.subscribe(SLUG), "snapshot")
        assert (await public_sse.receive())["type"] == "snapshot"

        created, hidden = await _post_and_hide_in_one_batch(scene, public_ws, moderator_ws, public_sse)

        for reader in (public_ws, public_sse):
            messages = await _messages_through(reader, hidden)
            assert _together(messages, created, hidden), "the test needs both in one fan-out"
            assert SECRET not in orjson.dumps(messages).decode()
            tombstones = [e["data"]["comment"] for m in messages for e in m["events"] if e["seq"] == created]
            assert tombstones and tombstones[0]["body"] is None and tombstones[0]["status"] == "hidden"
        # Moderators keep the text of a hidden comment, for review.
        moderators = await _messages_through(moderator_ws, hidden)
        assert SECRET in orjson.dumps(moderators).decode()


async def test_a_client_resuming_after_the_batch_never_receives_the_withdrawn_text(
    api: Api, server: RunningServer, client: httpx.AsyncClient
) -> None:
    scene = await make_scene(api)
    async with live_client(server.ws_url) as first:
        snapshot = assert_frame(await first.subscribe(SLUG), "snapshot")
        created, hidden = await _post_and_hide_in_one_batch(scene, first)
        await _messages_through(first, hidden)
    # From the ring of this process, as every resume after a short drop is served.
    async with live_client(server.ws_url) as resumed:
        answer = await resumed.subscribe(SLUG, since=snapshot["seq"], epoch=snapshot["epoch"])
        assert_frame(answer, "subscribed")
        replayed = await _messages_through(resumed, hidden)
    async with sse_client(
        client, SLUG, headers={"Last-Event-ID": str(snapshot["seq"])}, epoch=snapshot["epoch"]
    ) as stream:
        assert (await stream.receive())["type"] == "subscribed"
        replayed += await _messages_through(stream, hidden)
    assert created in {e["seq"] for m in replayed for e in m["events"]}
    assert SECRET not in orjson.dumps(replayed).decode()
