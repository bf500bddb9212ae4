"""Moderation across app processes: a comment hidden through one process is a
tombstone, within a second, for the participants and screens of another, and
its text never reaches a client that resumes there from before the hide."""

import asyncio
from typing import Any

import httpx
import orjson

from tests.helpers import Api, app_env, assert_frame, two_processes
from tests.live import LiveClient, live_client
from tests.moderation import SLUG, make_scene

# Redis on one machine and a 50 ms batch interval deliver in tens of
# milliseconds; a second is what a person watching the big screen would notice.
HIDDEN_WITHIN_SECS = 1.0
WITHDRAWN = "Call me on +41 22 555 0199."


async def hidden_event(client: LiveClient, comment_id: int) -> dict[str, Any]:
    """Receive until the comment's `comment.hidden` event has arrived; that event."""
    while True:
        for event in client.seen:
            if event["type"] == "comment.hidden" and event["data"]["comment"]["id"] == comment_id:
                return event
        await client.receive()


async def test_a_comment_hidden_on_one_process_is_a_tombstone_on_another_and_stays_withdrawn_on_resume(
    api: Api, database_url: str, redis_url: str, bus_prefix: str
) -> None:
    scene = await make_scene(api)
    comment = await scene.published(WITHDRAWN)
    async with (
        two_processes(app_env(database_url, redis_url, bus_prefix)) as (a, b),
        httpx.AsyncClient(timeout=10) as http,
        live_client(b.ws_url, scene.participant.token) as participant,
        live_client(b.ws_url, **scene.headers("screen")) as screen,
    ):
        for client in (participant, screen):
            snapshot = assert_frame(await client.subscribe(SLUG), "snapshot")
            assert WITHDRAWN in orjson.dumps(snapshot).decode()
        space = (await http.get(f"{b.url}/api/v1/spaces/{SLUG}")).json()

        hide = await http.post(
            f"{a.url}/api/v1/comments/{comment['id']}/decisions",
            json={"action": "hide", "reason": "personal_data", "note": "A phone number."},
            headers=scene.headers("moderator"),
        )
        assert hide.status_code == 200, hide.text
        async with asyncio.timeout(HIDDEN_WITHIN_SECS):
            for client in (participant, screen):
                event = await hidden_event(client, comment["id"])
                assert set(event["data"]) == {"comment"} and event["seq"] == hide.json()["event_seq"]
                tombstone = event["data"]["comment"]
                assert (tombstone["status"], tombstone["body"], tombstone["html"]) == ("hidden", None, None)
                assert tombstone["removal"]["reason"] == "personal_data"
                assert WITHDRAWN not in orjson.dumps(client.seen).decode()

        async with live_client(b.ws_url, scene.participant.token) as resumed:
            # From before the comment was posted: its creation is replayed, without its text.
            since = comment["event_seq"] - 1
            answer = assert_frame(await resumed.subscribe(SLUG, since, space["epoch"]), "subscribed")
            assert answer["seq"] == since
            await resumed.events_through(hide.json()["event_seq"])
            about_it = [e for e in resumed.seen if e["data"].get("comment", {}).get("id") == comment["id"]]
            assert [e["type"] for e in about_it] == ["comment.created", "comment.hidden"]
            assert WITHDRAWN not in orjson.dumps(resumed.seen).decode()
