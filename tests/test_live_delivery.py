"""The delivery contract on one process: resume, resync, repair, batching, slow clients."""

from typing import Any

import pytest

from server.running.settings import Settings
from tests.helpers import Api, RunningServer, User, assert_frame
from tests.live import live_client, sse_client


async def _space_with_question(api: Api) -> tuple[int, User]:
    await api.space("water")
    question = await api.question("water")
    return question["id"], await api.register("Alice")


async def test_client_resuming_with_since_receives_exactly_what_it_missed(
    api: Api, server: RunningServer
) -> None:
    question_id, alice = await _space_with_question(api)
    async with live_client(server.ws_url) as live:
        snapshot = assert_frame(await live.subscribe("water"), "snapshot")
        first = await api.comment(alice, question_id, "Seen live.")
        await live.events_through(first["event_seq"])
    missed = [await api.comment(alice, question_id, f"Missed {n}.") for n in range(3)]
    async with live_client(server.ws_url) as live:
        resumed = await live.subscribe("water", since=first["event_seq"], epoch=snapshot["epoch"])
        ack = assert_frame(resumed, "subscribed")
        assert ack["seq"] == first["event_seq"]
        events = await live.events_through(missed[-1]["event_seq"])
        assert [e["data"]["comment"]["body"] for e in events] == ["Missed 0.", "Missed 1.", "Missed 2."]
        assert [e["seq"] for e in events] == [m["event_seq"] for m in missed]
        after = await api.comment(alice, question_id, "Live again.")
        events = await live.events_through(after["event_seq"])
        assert [e["seq"] for e in events] == sorted({e["seq"] for e in events})


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, resume_max_events=3, repair_interval_secs=0.3)


async def test_client_too_far_behind_gets_resync_and_then_a_fresh_snapshot(
    api: Api, server: RunningServer
) -> None:
    question_id, alice = await _space_with_question(api)
    async with live_client(server.ws_url) as live:
        snapshot = assert_frame(await live.subscribe("water"), "snapshot")
    for n in range(4):
        await api.comment(alice, question_id, f"Comment {n}.")
    async with live_client(server.ws_url) as live:
        resumed = await live.subscribe("water", since=snapshot["seq"], epoch=snapshot["epoch"])
        resync = assert_frame(resumed, "resync")
        assert resync["reason"] == "too_far_behind"
        fresh = assert_frame(await live.subscribe("water"), "snapshot")
        assert len(fresh["state"]["comments"]) == 4


async def test_resume_with_another_epoch_or_an_unknown_seq_gets_resync(
    api: Api, server: RunningServer
) -> None:
    await _space_with_question(api)
    async with live_client(server.ws_url) as live:
        snapshot = assert_frame(await live.subscribe("water"), "snapshot")
    async with live_client(server.ws_url) as live:
        message = await live.subscribe("water", since=snapshot["seq"], epoch="another-epoch")
        assert assert_frame(message, "resync")["reason"] == "epoch_changed"
    async with live_client(server.ws_url) as live:
        message = await live.subscribe("water", since=snapshot["seq"] + 50, epoch=snapshot["epoch"])
        assert assert_frame(message, "resync")["reason"] == "unknown_seq"


async def test_event_lost_between_commit_and_delivery_is_repaired_from_the_log(
    api: Api, server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    question_id, alice = await _space_with_question(api)
    hub = server.services.hub
    assert hub is not None
    async with live_client(server.ws_url) as live:
        assert_frame(await live.subscribe("water"), "snapshot")
        # As if the writer died after commit: the event never reaches any hub.
        monkeypatch.setattr(hub, "accept", lambda event: None)
        lost = await api.comment(alice, question_id, "Committed, never published.")
        monkeypatch.undo()
        events = await live.events_through(lost["event_seq"], timeout=5)
        assert [e["data"]["comment"]["body"] for e in events] == ["Committed, never published."]


async def test_a_gap_is_filled_from_the_log_before_anything_newer_is_delivered(
    api: Api, server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    question_id, alice = await _space_with_question(api)
    hub = server.services.hub
    assert hub is not None
    async with live_client(server.ws_url) as live:
        assert_frame(await live.subscribe("water"), "snapshot")
        monkeypatch.setattr(hub, "accept", lambda event: None)
        await api.comment(alice, question_id, "Lost.")
        monkeypatch.undo()
        newer = await api.comment(alice, question_id, "Newer.")
        events = await live.events_through(newer["event_seq"], timeout=5)
        assert [e["data"]["comment"]["body"] for e in events] == ["Lost.", "Newer."]


async def test_duplicate_events_are_delivered_once(api: Api, server: RunningServer) -> None:
    question_id, alice = await _space_with_question(api)
    hub = server.services.hub
    assert hub is not None
    async with live_client(server.ws_url) as live:
        assert_frame(await live.subscribe("water"), "snapshot")
        original = hub.accept
        hub.accept = lambda event: (original(event), original(event), None)[-1]  # type: ignore[method-assign]
        try:
            first = await api.comment(alice, question_id, "Once.")
            second = await api.comment(alice, question_id, "Twice?")
        finally:
            hub.accept = original  # type: ignore[method-assign]
        events = await live.events_through(second["event_seq"])
        assert [e["seq"] for e in events] == [first["event_seq"], second["event_seq"]]


async def test_events_arriving_together_go_out_together_in_one_frame(api: Api, server: RunningServer) -> None:
    question_id, alice = await _space_with_question(api)
    hub = server.services.hub
    assert hub is not None
    async with live_client(server.ws_url) as live:
        snapshot = assert_frame(await live.subscribe("water"), "snapshot")
        [channel] = hub.channels()
        # Hold delivery while five comments are written, as under load.
        async with channel.lock:
            posted = [await api.comment(alice, question_id, f"Burst {n}.") for n in range(5)]
        frames: list[dict[str, Any]] = []
        while not frames or frames[-1]["seq"] < posted[-1]["event_seq"]:
            frames.append(assert_frame(await live.receive(), "events"))
        assert sum(len(f["events"]) for f in frames) == 5
        # The first may go alone, and the repair sweep may take some of them
        # from the log; the rest travel together.
        assert len(frames) <= 3
        assert frames[-1]["events"][0]["seq"] > snapshot["seq"]


async def test_someone_named_or_removed_as_moderator_is_resubscribed_with_their_new_role(
    api: Api, server: RunningServer
) -> None:
    await api.space("water", moderation="pre")
    question = await api.question("water")
    alice, maya = await api.register("Alice"), await api.register("Maya")
    admin = await api.admin()
    async with live_client(server.ws_url, maya.token) as live:
        assert assert_frame(await live.subscribe("water"), "snapshot")["role"] == "public"
        response = await api.http.post(
            "/api/v1/spaces/water/moderators", json={"user_id": maya.id}, headers=admin.headers
        )
        assert response.status_code == 201, response.text
        assert assert_frame(await live.receive_type("resync"), "resync")["reason"] == "role_changed"
        assert assert_frame(await live.subscribe("water"), "snapshot")["role"] == "moderators"
        held = await api.comment(alice, question["id"], "For the moderators' eyes.")
        assert (await live.events_through(held["event_seq"]))[-1]["data"]["comment"]["status"] == "pending"

        response = await api.http.delete(f"/api/v1/spaces/water/moderators/{maya.id}", headers=admin.headers)
        assert response.status_code in (200, 204), response.text
        assert assert_frame(await live.receive_type("resync"), "resync")["reason"] == "role_changed"
        live.seen.clear()
        assert assert_frame(await live.subscribe("water"), "snapshot")["role"] == "public"
        unseen = await api.comment(alice, question["id"], "Not for a former moderator.")
        public = await api.comment(admin, question["id"], "For everyone.")
        events = await live.events_through(public["event_seq"])
        assert unseen["event_seq"] not in [e["seq"] for e in events]


async def test_sse_stream_of_someone_removed_as_moderator_goes_on_with_a_public_snapshot(
    api: Api, server: RunningServer
) -> None:
    await api.space("water")
    maya = await api.moderator("water", "Maya")
    admin = await api.admin()
    async with sse_client(api.http, "water", headers=maya.headers) as stream:
        assert (await stream.receive())["role"] == "moderators"
        response = await api.http.delete(f"/api/v1/spaces/water/moderators/{maya.id}", headers=admin.headers)
        assert response.status_code in (200, 204), response.text
        message = await stream.receive()
        while message["type"] != "resync":
            message = await stream.receive()
        assert message["reason"] == "role_changed"
        snapshot = await stream.receive()
        assert snapshot["type"] == "snapshot" and snapshot["role"] == "public"
