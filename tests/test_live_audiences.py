"""Who receives what: the author of a held comment, and text withdrawn from the log."""

from tests.helpers import Api, RunningServer, assert_frame, fetch_rows
from tests.live import live_client


async def test_author_of_a_held_comment_sees_it_waiting_and_other_participants_do_not(
    api: Api, server: RunningServer
) -> None:
    await api.space("water", moderation="pre")
    question = await api.question("water")
    alice, bob = await api.register("Alice"), await api.register("Bob")
    async with (
        live_client(server.ws_url, alice.token) as alice_live,
        live_client(server.ws_url, bob.token) as bob_live,
    ):
        await alice_live.subscribe("water")
        await bob_live.subscribe("water")
        held = await api.comment(alice, question["id"], "Waiting for a moderator.")
        published = await api.comment(await api.moderator("water"), question["id"], "From the chair.")
        alice_sees = await alice_live.events_through(published["event_seq"])
        bob_sees = await bob_live.events_through(published["event_seq"])
        created = [e for e in alice_sees if e["type"] == "comment.created"]
        assert [e["seq"] for e in created] == [held["event_seq"], published["event_seq"]]
        assert created[0]["data"]["comment"]["status"] == "pending"
        assert created[0]["data"]["comment"]["body"] == "Waiting for a moderator."
        assert [e["seq"] for e in bob_sees if e["type"] == "comment.created"] == [published["event_seq"]]


async def test_author_snapshot_includes_their_own_held_comment_only(api: Api, server: RunningServer) -> None:
    await api.space("water", moderation="pre")
    question = await api.question("water")
    alice, bob = await api.register("Alice"), await api.register("Bob")
    await api.comment(alice, question["id"], "Mine, waiting.")
    async with live_client(server.ws_url, alice.token) as live:
        state = assert_frame(await live.subscribe("water"), "snapshot")["state"]
        assert [c["body"] for c in state["comments"]] == ["Mine, waiting."]
    async with live_client(server.ws_url, bob.token) as live:
        assert assert_frame(await live.subscribe("water"), "snapshot")["state"]["comments"] == []


async def test_deleted_comment_text_is_withdrawn_from_the_log_and_from_resumes(
    api: Api, server: RunningServer, database_url: str
) -> None:
    await api.space("water")
    question = await api.question("water")
    alice = await api.register("Alice")
    async with live_client(server.ws_url) as live:
        snapshot = assert_frame(await live.subscribe("water"), "snapshot")
    comment = await api.comment(alice, question["id"], "Soon regretted.")
    response = await api.http.delete(f"/api/v1/comments/{comment['id']}", headers=alice.headers)
    assert response.status_code == 200, response.text
    deletion_seq = response.json()["event_seq"]

    rows = await fetch_rows(
        database_url, "SELECT public, moderators FROM events WHERE seq = $1", comment["event_seq"]
    )
    assert "Soon regretted." not in str(rows)

    # Resuming from before the post, from the log: the text is gone.
    async with live_client(server.ws_url) as live:
        await live.subscribe("water", since=snapshot["seq"], epoch=snapshot["epoch"])
        created, deleted = await live.events_through(deletion_seq)
        assert created["type"] == "comment.created"
        assert created["data"]["comment"]["body"] is None
        assert created["data"]["comment"]["status"] == "deleted"
        assert deleted["type"] == "comment.deleted"


async def test_deleted_comment_text_is_withdrawn_from_the_ring_of_recent_events(
    api: Api, server: RunningServer
) -> None:
    await api.space("water")
    question = await api.question("water")
    alice = await api.register("Alice")
    async with live_client(server.ws_url) as watcher:
        # The watcher keeps the space's channel, and its ring, alive.
        snapshot = assert_frame(await watcher.subscribe("water"), "snapshot")
        comment = await api.comment(alice, question["id"], "Soon regretted.")
        await watcher.events_through(comment["event_seq"])
        response = await api.http.delete(f"/api/v1/comments/{comment['id']}", headers=alice.headers)
        deletion_seq = response.json()["event_seq"]
        await watcher.events_through(deletion_seq)
        hub = server.services.hub
        assert hub is not None
        [channel] = hub.channels()
        assert "Soon regretted." not in str(list(channel.ring))
        async with live_client(server.ws_url) as late:
            await late.subscribe("water", since=snapshot["seq"], epoch=snapshot["epoch"])
            created, _ = await late.events_through(deletion_seq)
            assert created["data"]["comment"]["body"] is None
