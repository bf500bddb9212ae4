"""Edits respect moderation: under pre-moderation, or for a held participant, an
author's edit of an approved comment waits for a moderator while the approved
text stays public; and an edit needs the same right to post as a new comment."""

from typing import Any

from tests.helpers import Api, RunningServer, User, assert_error, fetch_rows
from tests.live import LiveClient, live_client
from tests.moderation import SLUG, Scene, make_scene


async def approved_comment(scene: Scene, author: User, text: str) -> dict[str, Any]:
    comment = await scene.api.comment(author, scene.question_id, text)
    if comment["status"] == "pending":
        await scene.decided(comment["id"], "approve")
    return comment


async def event_of(live: LiveClient, type_: str, comment_id: int) -> dict[str, Any]:
    while True:
        message = await live.receive_type("events")
        for event in message["events"]:
            if event["type"] == type_ and event["data"]["comment"]["id"] == comment_id:
                data: dict[str, Any] = event["data"]
                return data


async def test_under_pre_moderation_an_edit_waits_for_approval_while_the_approved_text_stays_public(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api, moderation="pre")
    comment = await approved_comment(scene, scene.author, "Approved words.")
    async with (
        live_client(server.ws_url, scene.moderator.token) as moderators,
        live_client(server.ws_url) as public,
    ):
        await moderators.subscribe(SLUG)
        await public.subscribe(SLUG)
        edited = await scene.ok(
            scene.author, "PATCH", f"/comments/{comment['id']}", {"body": "Sneaky words."}
        )
        assert (edited["status"], edited["body"]) == ("published", "Approved words.")
        assert edited["pending_edit"]["body"] == "Sneaky words."

        submitted = await event_of(moderators, "comment.edit_submitted", comment["id"])
        assert submitted["comment"]["pending_edit"]["body"] == "Sneaky words."
        assert submitted["queue"]["pending"] == 1
        for who in (None, scene.participant):
            seen = await scene.ok(who, "GET", f"/comments/{comment['id']}")
            assert (seen["body"], seen["pending_edit"]) == ("Approved words.", None)
        queue = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=pending")
        [item] = queue["items"]
        assert (item["comment"]["id"], item["comment"]["pending_edit"]["body"]) == (
            comment["id"],
            "Sneaky words.",
        )

        approved = await scene.decided(comment["id"], "approve")
        assert (approved["body"], approved["pending_edit"]) == ("Sneaky words.", None)
        shown = await event_of(public, "comment.edit_approved", comment["id"])
        assert shown["comment"]["body"] == "Sneaky words."
        # The public stream never carried the edit before its approval.
        assert "comment.edit_submitted" not in [e["type"] for e in public.seen]
    revisions = await scene.ok("moderator", "GET", f"/comments/{comment['id']}/revisions")
    assert [r["body"] for r in revisions["items"]] == ["Approved words."]
    audit = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/audit?action=comment.approve_edit")
    assert [e["target_id"] for e in audit["items"]] == [comment["id"]]
    assert (await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=pending"))["items"] == []


async def test_a_held_participants_rejected_edit_leaves_the_published_text_and_tells_the_author(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    comment = await approved_comment(scene, scene.held_author, "Fine words.")
    async with live_client(server.ws_url, scene.held_author.token) as author_live:
        await author_live.subscribe(SLUG)
        await scene.ok(scene.held_author, "PATCH", f"/comments/{comment['id']}", {"body": "Rude words."})
        assert_error(await scene.decide(comment["id"], "reject"), 422, "reason_required")
        rejected = await scene.decided(comment["id"], "reject", reason="offensive")
        assert (rejected["status"], rejected["body"], rejected["pending_edit"]) == (
            "published",
            "Fine words.",
            None,
        )
        told = await event_of(author_live, "comment.edit_rejected", comment["id"])
        assert told["decision"]["reason"] == "offensive"
    seen = await scene.ok(None, "GET", f"/comments/{comment['id']}")
    assert seen["body"] == "Fine words."
    # Nothing left to decide.
    assert_error(await scene.decide(comment["id"], "approve"), 409, "already_decided")


async def test_outside_moderation_an_edit_is_published_at_once(api: Api) -> None:
    scene = await make_scene(api)
    comment = await scene.published("Before.")
    edited = await scene.ok(scene.author, "PATCH", f"/comments/{comment['id']}", {"body": "After."})
    assert (edited["body"], edited["pending_edit"]) == ("After.", None)


async def test_an_edit_needs_the_same_right_to_post_as_a_new_comment(api: Api, database_url: str) -> None:
    scene = await make_scene(api, posting="invited")
    author = scene.author
    await scene.ok("moderator", "POST", f"/spaces/{SLUG}/participants", {"user_id": author.id})
    comment = await scene.published("My words.")
    path = f"/comments/{comment['id']}"

    async def refused(status: int, code: str) -> None:
        assert_error(await scene.request(author, "PATCH", path, {"body": "Changed."}), status, code)
        [row] = await fetch_rows(
            database_url, "SELECT body, edit_body FROM comments WHERE id = $1", comment["id"]
        )
        assert row == {"body": "My words.", "edit_body": None}

    mute = {"user_id": author.id, "kind": "muted", "duration_secs": 3600, "reason": "spam"}
    await scene.ok("moderator", "POST", f"/spaces/{SLUG}/restrictions", mute)
    await refused(403, "muted")
    await scene.ok("moderator", "POST", f"/spaces/{SLUG}/restrictions", mute | {"kind": "banned"})
    await refused(403, "banned")
    await scene.ok("moderator", "DELETE", f"/spaces/{SLUG}/restrictions/{author.id}")

    await scene.ok("moderator", "DELETE", f"/spaces/{SLUG}/participants/{author.id}")
    await refused(403, "not_invited")
    await scene.ok("moderator", "POST", f"/spaces/{SLUG}/participants", {"user_id": author.id})

    await scene.ok("moderator", "POST", f"/spaces/{SLUG}/lock", {"reason": "pause"})
    await refused(403, "space_locked")
    await scene.ok("moderator", "DELETE", f"/spaces/{SLUG}/lock")

    await scene.ok("moderator", "PATCH", f"/questions/{scene.question_id}", {"status": "closed"})
    await refused(409, "question_closed")
    await scene.ok("moderator", "PATCH", f"/questions/{scene.question_id}", {"status": "open"})

    await scene.ok("admin", "PATCH", f"/spaces/{SLUG}", {"status": "closed"})
    await refused(409, "space_closed")
