"""Joining a space live: snapshot, then every event once, in order."""

from server.live.hub import Hub
from tests.helpers import Api, RunningServer, assert_frame
from tests.live import live_client, sse_client


async def test_subscriber_gets_snapshot_then_comment_posted_after(api: Api, server: RunningServer) -> None:
    await api.space("water")
    question = await api.question("water")
    alice = await api.register("Alice")
    await api.comment(alice, question["id"], "Before joining.")
    async with live_client(server.ws_url) as live:
        snapshot = assert_frame(await live.subscribe("water"), "snapshot")
        assert [c["body"] for c in snapshot["state"]["comments"]] == ["Before joining."]
        posted = await api.comment(alice, question["id"], "After joining.")
        events = await live.events_through(posted["event_seq"])
        assert [e["type"] for e in events] == ["comment.created"]
        assert events[0]["data"]["comment"]["body"] == "After joining."
        assert events[0]["seq"] == snapshot["seq"] + 1


async def test_sse_stream_delivers_snapshot_and_events_with_seq_ids(api: Api, server: RunningServer) -> None:
    await api.space("water")
    question = await api.question("water")
    alice = await api.register("Alice")
    async with sse_client(api.http, "water") as stream:
        snapshot = await stream.receive()
        assert snapshot["type"] == "snapshot" and snapshot["_id"] == str(snapshot["seq"])
        posted = await api.comment(alice, question["id"], "Over SSE.")
        message = await stream.receive()
        while message["type"] != "events":
            message = await stream.receive()
        assert message["_id"] == str(posted["event_seq"])
        assert message["events"][0]["data"]["comment"]["body"] == "Over SSE."
    assert isinstance(server.services.hub, Hub)
