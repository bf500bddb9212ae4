"""Edits of participants' questions respect moderation as comments' edits do: under
pre-moderation, or for a held participant, the edit of a published question waits
for a moderator while the approved title stays public; and an edit needs the same
right to post as a new question."""

from typing import Any

from tests.helpers import Api, RunningServer, assert_error, assert_frame, fetch_rows
from tests.live import live_client
from tests.moderation import SLUG, Scene, make_scene


async def approved_question(scene: Scene, title: str, author: Any) -> dict[str, Any]:
    question = await scene.pose(title, author=author)
    if question["visibility"] == "pending":
        await scene.decided_question(question["id"], "approve")
    return question


def of_question(events: list[dict[str, Any]], question_id: int) -> list[dict[str, Any]]:
    return [
        e for e in events if e["type"].startswith("question.") and e["data"]["question"]["id"] == question_id
    ]


async def test_under_pre_moderation_a_question_edit_waits_while_the_approved_title_stays_public(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api, moderation="pre", allow_participant_questions=True)
    question = await approved_question(scene, "Should we clean the river?", scene.author)
    path = f"/questions/{question['id']}"
    async with (
        live_client(server.ws_url) as public,
        live_client(server.ws_url, scene.author.token) as author,
        live_client(server.ws_url, scene.moderator.token) as moderators,
    ):
        for ws in (public, author, moderators):
            assert_frame(await ws.subscribe(SLUG), "snapshot")
        edited = await scene.ok(scene.author, "PATCH", path, {"title": "Should we drain the river?"})
        assert edited["title"] == "Should we clean the river?"
        assert edited["pending_edit"]["title"] == "Should we drain the river?"

        for ws in (author, moderators):
            [submitted] = of_question(await ws.events_through(edited["event_seq"]), question["id"])
            assert submitted["type"] == "question.edit_submitted"
            assert submitted["data"]["question"]["title"] == "Should we clean the river?"
            assert submitted["data"]["question"]["pending_edit"]["title"] == "Should we drain the river?"
        for who in (None, scene.participant):
            seen = await scene.ok(who, "GET", path)
            assert (seen["title"], seen["pending_edit"]) == ("Should we clean the river?", None)
        queue = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=pending")
        assert [item["question"]["id"] for item in queue["questions"]] == [question["id"]]

        approved = await scene.decided_question(question["id"], "approve")
        assert (approved["title"], approved["pending_edit"]) == ("Should we drain the river?", None)
        [shown] = of_question(await public.events_through(approved["event_seq"]), question["id"])
        # The public's stream never carried the edit before its approval.
        assert shown["type"] == "question.edit_approved"
        assert shown["data"]["question"]["title"] == "Should we drain the river?"
    audit = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/audit?action=question.approve_edit")
    assert [e["target_id"] for e in audit["items"]] == [question["id"]]
    assert (await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=pending"))["questions"] == []


async def test_a_held_participants_rejected_question_edit_leaves_the_title_and_tells_the_author(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    question = await approved_question(scene, "Who pays for the dam?", scene.held_author)
    path = f"/questions/{question['id']}"
    async with (
        live_client(server.ws_url) as public,
        live_client(server.ws_url, scene.held_author.token) as author,
    ):
        for ws in (public, author):
            assert_frame(await ws.subscribe(SLUG), "snapshot")
        await scene.ok(scene.held_author, "PATCH", path, {"body": "Rude words."})
        rejected = await scene.decided_question(question["id"], "reject", reason="offensive")
        assert (rejected["visibility"], rejected["body"], rejected["pending_edit"]) == ("published", "", None)
        told = of_question(await author.events_through(rejected["event_seq"]), question["id"])
        assert [e["type"] for e in told] == ["question.edit_submitted", "question.edit_rejected"]
        assert told[-1]["data"]["decision"]["reason"] == "offensive"
        # The public learns nothing of an edit it never saw: a later event arrives first.
        later = await scene.pose("Anything else?")
        assert of_question(await public.events_through(later["event_seq"]), question["id"]) == []
    assert_error(
        await scene.request("moderator", "POST", f"{path}/decisions", {"action": "approve"}),
        409,
        "already_decided",
    )


async def test_a_question_edit_needs_the_same_right_to_post_as_a_new_question(
    api: Api, database_url: str
) -> None:
    scene = await make_scene(api, posting="invited", allow_participant_questions=True)
    author = scene.author
    await scene.ok("moderator", "POST", f"/spaces/{SLUG}/participants", {"user_id": author.id})
    question = await scene.pose("May I ask this?")
    path = f"/questions/{question['id']}"

    async def refused(status: int, code: str) -> None:
        assert_error(await scene.request(author, "PATCH", path, {"title": "Changed?"}), status, code)
        [row] = await fetch_rows(
            database_url, "SELECT title, edit_title FROM questions WHERE id = $1", question["id"]
        )
        assert row == {"title": "May I ask this?", "edit_title": None}

    mute = {"user_id": author.id, "kind": "muted", "duration_secs": 3600, "reason": "spam"}
    await scene.ok("moderator", "POST", f"/spaces/{SLUG}/restrictions", mute)
    await refused(403, "muted")
    await scene.ok("moderator", "DELETE", f"/spaces/{SLUG}/restrictions/{author.id}")

    await scene.ok("moderator", "DELETE", f"/spaces/{SLUG}/participants/{author.id}")
    await refused(403, "not_invited")
    await scene.ok("moderator", "POST", f"/spaces/{SLUG}/participants", {"user_id": author.id})

    await scene.ok("admin", "PATCH", f"/spaces/{SLUG}", {"allow_participant_questions": False})
    await refused(403, "participant_questions_not_allowed")
    await scene.ok("admin", "PATCH", f"/spaces/{SLUG}", {"allow_participant_questions": True})

    assert (await scene.ok(author, "PATCH", path, {"title": "Changed?"}))["title"] == "Changed?"
