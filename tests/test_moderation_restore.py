"""A rejection can be undone: a moderator restores a rejected comment or question,
audited with a reason, and it reaches everyone as newly visible, live and on resume,
exactly once and in order."""

from typing import Any

import orjson

from tests.helpers import Api, RunningServer, assert_frame
from tests.live import LiveClient, live_client
from tests.moderation import SLUG, make_scene

TEXT = "The weir should stay open in winter."


def events_of(events: list[dict[str, Any]], key: str, target_id: int) -> list[dict[str, Any]]:
    return [e for e in events if isinstance(e["data"].get(key), dict) and e["data"][key]["id"] == target_id]


async def resumed_events(ws_url: str, since: int, epoch: str, through: int) -> list[dict[str, Any]]:
    async with live_client(ws_url) as resumed:
        assert_frame(await resumed.subscribe(SLUG, since=since, epoch=epoch), "subscribed")
        return await resumed.events_through(through)


async def test_a_restored_rejected_comment_reaches_the_public_live_and_on_resume_once_and_in_order(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    public: LiveClient
    async with live_client(server.ws_url) as public:
        snapshot = assert_frame(await public.subscribe(SLUG), "snapshot")
        comment = await scene.pending(TEXT)
        await scene.decided(comment["id"], "reject", reason="off_topic")
        restored = await scene.decided(comment["id"], "restore", note="Rejected by mistake.")
        assert (restored["status"], restored["body"], restored["removal"]) == ("published", TEXT, None)
        live = events_of(await public.events_through(restored["event_seq"]), "comment", comment["id"])
    resumed = await resumed_events(server.ws_url, snapshot["seq"], snapshot["epoch"], restored["event_seq"])
    for events in (live, events_of(resumed, "comment", comment["id"])):
        assert [e["type"] for e in events] == ["comment.rejected", "comment.restored"]
        assert events[-1]["data"]["comment"]["body"] == TEXT
        assert orjson.dumps(events).decode().count(f'"body":"{TEXT}"') == 1

    seen = await scene.ok(None, "GET", f"/comments/{comment['id']}")
    assert (seen["status"], seen["body"]) == ("published", TEXT)
    audit = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/audit?action=comment.restore")
    [entry] = audit["items"]
    assert (entry["target_id"], entry["reason"], entry["note"]) == (
        comment["id"],
        "approved",
        "Rejected by mistake.",
    )
    assert (entry["details"]["from"], entry["details"]["to"]) == ("rejected", "published")
    assert (await scene.ok(scene.held_author, "GET", f"/comments/{comment['id']}"))["status"] == "published"


async def test_a_restored_rejected_question_is_the_publics_first_sight_of_it_and_its_author_is_told(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    async with (
        live_client(server.ws_url) as public,
        live_client(server.ws_url, scene.held_author.token) as author,
    ):
        for ws in (public, author):
            assert_frame(await ws.subscribe(SLUG), "snapshot")
        question = await scene.pending_question("Can the weir stay open?")
        rejected = await scene.decided_question(question["id"], "reject", reason="duplicate")
        assert rejected["visibility"] == "rejected"
        restored = await scene.decided_question(question["id"], "restore")
        assert (restored["visibility"], restored["removal"]) == ("published", None)
        seen = events_of(await public.events_through(restored["event_seq"]), "question", question["id"])
        assert [e["type"] for e in seen] == ["question.restored"]
        assert seen[0]["data"]["question"]["title"] == "Can the weir stay open?"
        told = events_of(await author.events_through(restored["event_seq"]), "question", question["id"])
        assert [e["type"] for e in told] == ["question.created", "question.rejected", "question.restored"]
        assert told[-1]["data"]["decision"]["action"] == "restore"
    listed = await scene.ok(None, "GET", f"/spaces/{SLUG}/questions")
    assert [q["title"] for q in listed["participant"]] == ["Can the weir stay open?"]
    audit = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/audit?action=question.restore")
    assert [e["target_id"] for e in audit["items"]] == [question["id"]]
