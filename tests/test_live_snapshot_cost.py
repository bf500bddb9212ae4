"""A snapshot's cost does not grow with the space: each question keeps its count of
published comments on its row, in the transaction of every change, and the
snapshot's `comments_complete` is found without counting."""

from typing import Any

from tests.helpers import Api, RunningServer, assert_frame
from tests.live import live_client
from tests.moderation import SLUG, Scene, make_scene


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
