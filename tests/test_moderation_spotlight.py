"""The spotlight on screens: now and next, live to every screen, and a comment
that stops being shown leaves the screens at once."""

import json
import time
from typing import Any

from tests.helpers import Api, RunningServer, assert_error, assert_frame
from tests.live import live_client, sse_client
from tests.moderation import SLUG, Scene, make_scene

SPOTLIGHT = f"/spaces/{SLUG}/spotlight"
# Screens must drop a comment that is no longer shown within a second.
SCREEN_DROP_SECS = 1.0


def shown(state: dict[str, Any]) -> tuple[int | None, list[int]]:
    """(id of the comment or question shown now, the same for what comes next)."""

    def target(item: dict[str, Any] | None) -> int | None:
        if item is None:
            return None
        return int((item["comment"] or item["question"])["id"])

    return target(state["now"]), [t for t in (target(i) for i in state["next"]) if t is not None]


async def put(scene: Scene, comment_id: int) -> dict[str, Any]:
    return await scene.ok("moderator", "PUT", SPOTLIGHT, {"comment_id": comment_id})


async def enqueue(scene: Scene, **target: Any) -> dict[str, Any]:
    return await scene.ok("moderator", "POST", f"{SPOTLIGHT}/next", target)


async def test_screens_receive_the_spotlight_with_the_comments_public_view(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    comment = await scene.published("On the big screen.")
    async with live_client(server.ws_url) as screen:
        snapshot = assert_frame(await screen.subscribe(SLUG), "snapshot")
        assert snapshot["state"]["spotlight"] == {"now": None, "next": []}
        state = await put(scene, comment["id"])
        event = (await screen.events_through(state["event_seq"]))[-1]
        assert event["type"] == "spotlight.changed"
        assert event["data"]["spotlight"]["now"]["comment"]["body"] == "On the big screen."
        assert event["data"]["spotlight"]["now"]["kind"] == "comment"
        assert "audit" not in event["data"]
    async with live_client(server.ws_url) as late:
        state_now = assert_frame(await late.subscribe(SLUG), "snapshot")["state"]["spotlight"]
        assert shown(state_now) == (comment["id"], [])
    assert shown(await scene.ok(None, "GET", SPOTLIGHT)) == (comment["id"], [])


async def test_hiding_the_spotlighted_comment_clears_it_from_screens_within_a_second(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    async with live_client(server.ws_url) as screen, sse_client(api.http, SLUG) as sse_screen:
        # Subscribed before anything is shown, so this process's ring holds it all.
        before = assert_frame(await screen.subscribe(SLUG), "snapshot")
        await sse_screen.receive()
        comment = await scene.published("Insulting remark.")
        queued = await scene.published("Queued remark.")
        await put(scene, comment["id"])
        shown_seq = (await enqueue(scene, comment_id=queued["id"]))["event_seq"]
        assert "Insulting remark." in json.dumps(await screen.events_through(shown_seq))
        started = time.monotonic()
        hidden = await scene.decided(comment["id"], "hide", reason="offensive")
        seen = await screen.events_through(hidden["event_seq"] + 1)
        assert time.monotonic() - started < SCREEN_DROP_SECS
        hide, change = seen[-2:]
        assert (hide["type"], change["type"]) == ("comment.hidden", "spotlight.changed")
        assert change["seq"] == hidden["event_seq"] + 1
        assert change["data"]["cause"] == {"comment_id": comment["id"], "event": "comment.hidden"}
        assert shown(change["data"]["spotlight"]) == (None, [queued["id"]])
        sse_seen = await sse_screen.events_through(change["seq"])
        assert shown(sse_seen[-1]["data"]["spotlight"]) == (None, [queued["id"]])
        hub = server.services.hub
        assert hub is not None
        [channel] = hub.channels()
        # Moderators keep the text for review; no other payload in the ring has it.
        assert "Insulting remark." not in str([(e.public, e.personal) for e in channel.ring])
        # A screen that resumes from before never gets the text back, spotlight events
        # included: from the ring of recent events (others keep the space live here)…
        async with live_client(server.ws_url) as resumed:
            await resumed.subscribe(SLUG, since=before["seq"], epoch=before["epoch"])
            replay = await resumed.events_through(change["seq"])
            assert "Insulting remark." not in json.dumps(replay)
            assert [e["type"] for e in replay].count("spotlight.changed") == 3
    # … and from the events log.
    async with sse_client(api.http, SLUG, headers={"Last-Event-ID": str(before["seq"])}) as resumed_sse:
        assert "Insulting remark." not in json.dumps(await resumed_sse.events_through(change["seq"]))


async def test_a_queued_comment_its_author_deletes_leaves_the_queue(api: Api, server: RunningServer) -> None:
    scene = await make_scene(api)
    comment = await scene.published("Second thoughts.")
    await enqueue(scene, comment_id=comment["id"])
    async with live_client(server.ws_url) as screen:
        assert_frame(await screen.subscribe(SLUG), "snapshot")
        deleted = await scene.request(scene.author, "DELETE", f"/comments/{comment['id']}")
        assert deleted.status_code == 200
        change = (await screen.events_through(deleted.json()["event_seq"] + 1))[-1]
        assert change["data"]["cause"] == {"comment_id": comment["id"], "event": "comment.deleted"}
        assert shown(change["data"]["spotlight"]) == (None, [])


async def test_only_published_comments_may_be_spotlighted(api: Api) -> None:
    scene = await make_scene(api)
    pending = await scene.pending()
    hidden = await scene.hidden()
    error = assert_error(
        await scene.request("moderator", "PUT", SPOTLIGHT, {"comment_id": pending["id"]}),
        409,
        "not_spotlightable",
    )
    assert error["details"] == {"status": "pending"}
    assert_error(
        await scene.request("moderator", "PUT", SPOTLIGHT, {"comment_id": hidden["id"]}),
        409,
        "not_spotlightable",
    )
    assert_error(
        await scene.request("moderator", "POST", f"{SPOTLIGHT}/next", {"comment_id": hidden["id"]}),
        409,
        "not_spotlightable",
    )
    assert_error(
        await scene.request("moderator", "PUT", SPOTLIGHT, {"comment_id": 987654}), 404, "comment_not_found"
    )
    assert_error(
        await scene.request("moderator", "PUT", SPOTLIGHT, {"question_id": 987654}), 404, "question_not_found"
    )
    assert_error(await scene.request("moderator", "PUT", SPOTLIGHT, {}), 422, "invalid_body")
    both = {"comment_id": pending["id"], "question_id": scene.question_id}
    assert_error(await scene.request("moderator", "PUT", SPOTLIGHT, both), 422, "invalid_body")


async def test_now_and_next_enqueue_reorder_advance_remove_and_clear(
    api: Api, server: RunningServer, database_url: str
) -> None:
    scene = await make_scene(api)
    a, b, c = [await scene.published(f"Comment {n}.") for n in "abc"]
    async with live_client(server.ws_url, scene.moderator.token) as console:
        assert_frame(await console.subscribe(SLUG), "snapshot")
        await enqueue(scene, comment_id=a["id"])
        await enqueue(scene, comment_id=b["id"])
        state = await enqueue(scene, question_id=scene.question_id, position=1)
        assert shown(state) == (None, [scene.question_id, a["id"], b["id"]])
        assert state["next"][0]["kind"] == "question"
        assert_error(
            await scene.request("moderator", "POST", f"{SPOTLIGHT}/next", {"comment_id": a["id"]}),
            409,
            "already_in_spotlight",
        )
        ids = [item["id"] for item in state["next"]]
        reordered = await scene.ok("moderator", "PUT", f"{SPOTLIGHT}/next", {"item_ids": ids[::-1]})
        assert shown(reordered) == (None, [b["id"], a["id"], scene.question_id])
        assert_error(
            await scene.request("moderator", "PUT", f"{SPOTLIGHT}/next", {"item_ids": ids[:2]}),
            409,
            "spotlight_order_mismatch",
        )
        advanced = await scene.ok("moderator", "POST", f"{SPOTLIGHT}/advance")
        assert shown(advanced) == (b["id"], [a["id"], scene.question_id])
        # Showing a queued item now takes it out of the queue.
        now_a = await put(scene, a["id"])
        assert shown(now_a) == (a["id"], [scene.question_id])
        same = await put(scene, a["id"])
        assert same["event_seq"] is None
        removed = await scene.ok("moderator", "DELETE", f"{SPOTLIGHT}/next/{now_a['next'][0]['id']}")
        assert shown(removed) == (a["id"], [])
        assert_error(
            await scene.request("moderator", "DELETE", f"{SPOTLIGHT}/next/987654"),
            404,
            "spotlight_item_not_found",
        )
        assert_error(
            await scene.request("moderator", "POST", f"{SPOTLIGHT}/advance"), 409, "spotlight_queue_empty"
        )
        cleared = await scene.ok("moderator", "DELETE", SPOTLIGHT)
        assert shown(cleared) == (None, [])
        assert (await scene.ok("moderator", "DELETE", SPOTLIGHT))["event_seq"] is None
        seen = await console.events_through(cleared["event_seq"])
        changes = [e for e in seen if e["type"] == "spotlight.changed"]
        assert [e["data"]["audit"]["action"] for e in changes] == [
            "spotlight.enqueue",
            "spotlight.enqueue",
            "spotlight.enqueue",
            "spotlight.reorder",
            "spotlight.advance",
            "spotlight.set",
            "spotlight.remove",
            "spotlight.clear",
        ]
    for n in range(10):
        await enqueue(scene, comment_id=(await scene.published(f"Filler {n}."))["id"])
    assert_error(
        await scene.request("moderator", "POST", f"{SPOTLIGHT}/next", {"comment_id": c["id"]}),
        409,
        "spotlight_queue_full",
    )


async def test_a_question_may_be_spotlighted(api: Api, server: RunningServer) -> None:
    scene = await make_scene(api)
    async with live_client(server.ws_url) as screen:
        assert_frame(await screen.subscribe(SLUG), "snapshot")
        state = await scene.ok("moderator", "PUT", SPOTLIGHT, {"question_id": scene.question_id})
        event = (await screen.events_through(state["event_seq"]))[-1]
        assert event["data"]["spotlight"]["now"]["question"]["title"] == "What works?"
