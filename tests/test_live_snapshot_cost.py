"""A snapshot's cost does not grow with the space: each question keeps its count of
published comments on its row, in the transaction of every change, the
snapshot's `comments_complete` is found without counting, and its statistics
come from those the coalesced updates keep, unless the space changed since."""

import asyncio
from contextlib import AsyncExitStack
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers import Api, RunningServer, assert_frame
from tests.live import live_client
from tests.moderation import SLUG, Scene, make_scene
from tests.space_helpers import screen_token


async def _counts(scene: Scene, ws_url: str) -> tuple[int, int]:
    """The question's comment_count as the HTTP API and a fresh snapshot tell it."""
    question = await scene.ok(None, "GET", f"/questions/{scene.question_id}")
    async with live_client(ws_url) as live:
        snapshot: dict[str, Any] = assert_frame(await live.subscribe(SLUG), "snapshot")
    (listed,) = snapshot["state"]["questions"]["discussion"]
    return question["comment_count"], listed["comment_count"]


async def test_a_questions_comment_count_follows_every_change_of_its_comments_status(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    kept = await scene.published("Stays.")
    assert await _counts(scene, server.ws_url) == (1, 1)
    waiting = await scene.pending()
    assert await _counts(scene, server.ws_url) == (1, 1), "a pending comment is not public"
    await scene.decided(waiting["id"], "approve")
    assert await _counts(scene, server.ws_url) == (2, 2)
    await scene.decided(waiting["id"], "hide", reason="off_topic")
    assert await _counts(scene, server.ws_url) == (1, 1)
    await scene.decided(waiting["id"], "restore")
    assert await _counts(scene, server.ws_url) == (2, 2)
    response = await scene.request(scene.author, "DELETE", f"/comments/{kept['id']}")
    assert response.status_code == 200, response.text
    assert await _counts(scene, server.ws_url) == (1, 1)


async def statistics_reads(http: httpx.AsyncClient, reason: str) -> float:
    """How often this server computed a space's statistics, for `reason` (its /metrics)."""
    response = await http.get("/metrics")
    assert response.status_code == 200, response.text
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == "roundtable_statistics_reads_total" and sample.labels == {"reason": reason}:
                return sample.value
    return 0.0


async def test_a_burst_of_moderators_and_screens_joining_computes_the_statistics_once(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    await scene.published("Counted once.")
    screen = await screen_token(api, SLUG)
    from_api = await scene.ok(scene.moderator, "GET", f"/spaces/{SLUG}/statistics")
    async with AsyncExitStack() as stack:
        watchers = [
            await stack.enter_async_context(live_client(server.ws_url, scene.moderator.token)),
            await stack.enter_async_context(live_client(server.ws_url, scene.admin.token)),
        ] + [
            await stack.enter_async_context(live_client(f"{server.ws_url}?screen_token={screen['token']}"))
            for _ in range(4)
        ]
        snapshots = await asyncio.gather(*(watcher.subscribe(SLUG) for watcher in watchers[:1]))
        snapshots += await asyncio.gather(*(watcher.subscribe(SLUG) for watcher in watchers[1:]))
        assert await statistics_reads(api.http, "snapshot") == 1
        statistics = [assert_frame(s, "snapshot")["state"]["statistics"] for s in snapshots]
        assert all(s["seq"] == from_api["seq"] and s["totals"] == from_api["totals"] for s in statistics)
        assert statistics[0]["moderation"] == from_api["moderation"]
        assert all(s["moderation"] is None for s in statistics[2:]), "screens never see moderation"
        # A comment: the coalesced update reads the numbers again, and a screen joining
        # afterwards gets exactly what that update said, without a read of its own.
        posted = await scene.published("Counted in the update.")
        async with asyncio.timeout(10):
            while True:
                update = (await watchers[0].receive_type("statistics"))["statistics"]
                if update["totals"]["comments"] == 2:
                    break
        async with live_client(f"{server.ws_url}?screen_token={screen['token']}") as late:
            joined = assert_frame(await late.subscribe(SLUG), "snapshot")
    assert joined["seq"] >= posted["event_seq"]
    assert joined["state"]["statistics"] == update | {"moderation": None}
    assert await statistics_reads(api.http, "snapshot") == 1
    assert await statistics_reads(api.http, "update") >= 1
