"""Moderators' decisions on comments: who hears what live, what must never leak,
and two moderators deciding one comment at once."""

import asyncio
import json
from typing import Any

from tests.helpers import Api, RunningServer, assert_error, assert_frame, fetch_rows
from tests.live import live_client, sse_client
from tests.moderation import SLUG, Scene, make_scene


def types(events: list[dict[str, Any]]) -> list[str]:
    return [e["type"] for e in events]


async def _space(scene: Scene) -> dict[str, Any]:
    """The space as the public reads it: its latest seq and epoch, to resume from."""
    return await scene.ok(None, "GET", f"/spaces/{SLUG}")


# ---- Approving and rejecting held comments -----------------------------------------------------


async def test_approval_reaches_the_public_as_the_comments_first_appearance(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api, moderation="pre")
    async with (
        live_client(server.ws_url, scene.moderator.token) as moderator,
        live_client(server.ws_url, scene.held_author.token) as author,
        live_client(server.ws_url, scene.participant.token) as participant,
        live_client(server.ws_url) as anonymous,
        sse_client(api.http, SLUG) as stream,
    ):
        for client in (moderator, author, participant, anonymous):
            assert_frame(await client.subscribe(SLUG), "snapshot")
        await stream.receive()
        comment = await scene.pending("Held for review.")
        approved = await scene.decided(comment["id"], "approve", note="Fine.")
        assert approved["status"] == "published" and approved["event_seq"] == comment["event_seq"] + 1
        seq = approved["event_seq"]

        mod_events = await moderator.events_through(seq)
        assert types(mod_events)[-2:] == ["comment.created", "comment.approved"]
        data = mod_events[-1]["data"]
        assert data["comment"]["body"] == "Held for review."
        assert data["decision"] == {
            "action": "approve",
            "reason": "approved",
            "note": "Fine.",
            "by": "moderator",
        }
        assert data["audit"]["action"] == "comment.approve"
        assert data["audit"]["actor_id"] == scene.moderator.id
        assert data["queue"]["pending"] == 0

        author_events = await author.events_through(seq)
        assert types(author_events)[-2:] == ["comment.created", "comment.approved"]
        notice = author_events[-1]["data"]
        assert notice["decision"] == {"action": "approve", "reason": "approved", "by": "moderator"}
        assert notice["comment"]["status"] == "published"
        assert "audit" not in notice and "note" not in json.dumps(notice["decision"])

        for client in (participant, anonymous):
            seen = await client.events_through(seq)
            assert types(seen) == ["comment.approved"]
            assert seen[0]["data"] == {"comment": seen[0]["data"]["comment"]}
            assert seen[0]["data"]["comment"]["body"] == "Held for review."
        assert types(await stream.events_through(seq)) == ["comment.approved"]


async def test_rejection_gives_the_public_a_tombstone_and_the_author_the_reason(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    before = await _space(scene)
    comment = await scene.pending("Buy cheap watches.")
    async with live_client(server.ws_url, scene.held_author.token) as author:
        assert_frame(await author.subscribe(SLUG), "snapshot")
        rejected = await scene.decided(comment["id"], "reject", reason="spam", note="Ad.")
        notice = (await author.events_through(rejected["event_seq"]))[-1]
        assert notice["type"] == "comment.rejected"
        assert notice["data"]["decision"] == {"action": "reject", "reason": "spam", "by": "moderator"}
        assert notice["data"]["comment"]["body"] is None
        assert notice["data"]["comment"]["removal"]["by"] == "moderator"
    # The moderators keep the text for review; nobody else gets it back.
    assert rejected["body"] == "Buy cheap watches."
    public = await scene.ok(None, "GET", f"/comments/{comment['id']}")
    assert public["status"] == "rejected" and public["body"] is None
    assert public["removal"]["reason"] == "spam"
    async with live_client(server.ws_url, scene.held_author.token) as resumed:
        await resumed.subscribe(SLUG, since=before["seq"], epoch=before["epoch"])
        seen = await resumed.events_through(rejected["event_seq"])
        assert "Buy cheap watches." not in json.dumps(seen)
        assert types(seen) == ["comment.created", "comment.rejected"]


# ---- Hiding and restoring -----------------------------------------------------------------------


async def test_hidden_text_never_reaches_participants_again_by_any_path(
    api: Api, server: RunningServer, database_url: str
) -> None:
    scene = await make_scene(api)
    before = await _space(scene)
    comment = await scene.published("My neighbour's phone is 555-0100.")
    async with (
        live_client(server.ws_url, scene.moderator.token) as moderator,
        live_client(server.ws_url, scene.author.token) as author,
        live_client(server.ws_url) as anonymous,
    ):
        for client in (moderator, author, anonymous):
            assert_frame(await client.subscribe(SLUG), "snapshot")
        hidden = await scene.decided(comment["id"], "hide", reason="personal_data", note="Phone number.")
        seq = hidden["event_seq"]
        mod_event = (await moderator.events_through(seq))[-1]
        assert mod_event["type"] == "comment.hidden"
        assert mod_event["data"]["comment"]["body"] == "My neighbour's phone is 555-0100."
        assert mod_event["data"]["audit"]["reason"] == "personal_data"
        assert mod_event["data"]["audit"]["note"] == "Phone number."
        author_event = (await author.events_through(seq))[-1]
        assert author_event["data"]["decision"]["reason"] == "personal_data"
        assert author_event["data"]["comment"]["body"] is None
        public_event = (await anonymous.events_through(seq))[-1]
        tombstone = public_event["data"]["comment"]
        assert (tombstone["status"], tombstone["body"], tombstone["html"]) == ("hidden", None, None)
        assert tombstone["removal"]["by"] == "moderator"
        assert tombstone["removal"]["reason"] == "personal_data"
        assert tombstone["removal"]["at"]

    secret = "555-0100"
    # A client resuming from before the post, over WebSocket and SSE.
    async with live_client(server.ws_url, scene.participant.token) as resumed:
        await resumed.subscribe(SLUG, since=before["seq"], epoch=before["epoch"])
        seen = await resumed.events_through(seq)
        assert types(seen) == ["comment.created", "comment.hidden"]
        assert secret not in json.dumps(seen)
    async with sse_client(api.http, SLUG, headers={"Last-Event-ID": str(before["seq"])}) as stream:
        assert secret not in json.dumps(await stream.events_through(seq))
    # A fresh snapshot, the thread and the comment itself.
    async with live_client(server.ws_url, scene.participant.token) as fresh:
        assert secret not in json.dumps(await fresh.subscribe(SLUG))
    thread = await scene.ok(scene.participant, "GET", f"/questions/{scene.question_id}/comments")
    assert secret not in json.dumps(thread)
    assert (await scene.ok(scene.author, "GET", f"/comments/{comment['id']}"))["body"] is None
    # Moderators still read it, to review it.
    assert (await scene.ok("moderator", "GET", f"/comments/{comment['id']}"))["body"] is not None
    public_rows = await fetch_rows(database_url, "SELECT public, personal FROM events")
    assert secret not in json.dumps(public_rows, default=str)


async def test_replies_of_a_hidden_comment_stay(api: Api) -> None:
    scene = await make_scene(api)
    parent = await scene.published("Parent.")
    reply = await api.comment(scene.participant, scene.question_id, "A reply.", parent_id=parent["id"])
    await scene.decided(parent["id"], "hide", reason="off_topic")
    thread = await scene.ok(None, "GET", f"/questions/{scene.question_id}/comments")
    assert [(c["id"], c["status"], c["body"]) for c in thread["items"]] == [
        (parent["id"], "hidden", None),
        (reply["id"], "published", "A reply."),
    ]


async def test_restoring_shows_the_comment_again_with_the_removal_cleared(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    hidden = await scene.hidden("Back soon.")
    async with (
        live_client(server.ws_url) as anonymous,
        live_client(server.ws_url, scene.author.token) as author,
    ):
        assert_frame(await anonymous.subscribe(SLUG), "snapshot")
        assert_frame(await author.subscribe(SLUG), "snapshot")
        restored = await scene.decided(hidden["id"], "restore")
        event = (await anonymous.events_through(restored["event_seq"]))[-1]
        assert event["type"] == "comment.restored"
        assert event["data"]["comment"]["body"] == "Back soon."
        assert event["data"]["comment"]["removal"] is None
        notice = (await author.events_through(restored["event_seq"]))[-1]
        assert notice["data"]["decision"] == {"action": "restore", "reason": "approved", "by": "moderator"}


async def test_a_decision_that_does_not_apply_is_already_decided(api: Api) -> None:
    scene = await make_scene(api)
    published = await scene.published()
    assert_error(await scene.decide(published["id"], "approve"), 409, "already_decided")
    assert_error(await scene.decide(published["id"], "restore"), 409, "already_decided")
    assert_error(await scene.decide(published["id"], "unpin"), 409, "already_decided")
    error = assert_error(
        await scene.decide(published["id"], "pin", expected_status="pending"), 409, "already_decided"
    )
    assert error["details"] == {"status": "published", "pinned": False, "moderator_answer": False}
    assert_error(await scene.decide(published["id"], "dismiss_flags"), 409, "no_open_flags")
    assert_error(await scene.decide(published["id"], "hide"), 422, "reason_required")
    assert_error(await scene.decide(published["id"], "hide", reason="approved"), 422, "reason_required")
    assert_error(await scene.decide(published["id"], "hide", reason="other"), 422, "reason_required")
    assert_error(await scene.decide(published["id"], "hide", reason="nonsense"), 422, "invalid_body")
    assert_error(
        await scene.decide(published["id"], "hide", reason="spam", note="x" * 2001), 422, "text_too_long"
    )
    deleted = await scene.published("Gone.")
    assert (await scene.request(scene.author, "DELETE", f"/comments/{deleted['id']}")).status_code == 200
    assert_error(await scene.decide(deleted["id"], "hide", reason="spam"), 409, "comment_deleted")
    assert_error(await scene.decide(987654, "hide", reason="spam"), 404, "comment_not_found")


async def test_pins_and_answers_are_public(api: Api, server: RunningServer) -> None:
    scene = await make_scene(api)
    comment = await scene.published("The answer.")
    async with live_client(server.ws_url) as anonymous:
        assert_frame(await anonymous.subscribe(SLUG), "snapshot")
        pinned = await scene.decided(comment["id"], "pin")
        answered = await scene.decided(comment["id"], "mark_answer")
        seen = await anonymous.events_through(answered["event_seq"])
        assert types(seen) == ["comment.pinned", "comment.answer_marked"]
        assert seen[0]["data"]["comment"]["pinned_at"] == pinned["pinned_at"] is not None
        assert seen[1]["data"]["comment"]["moderator_answer"] is True
    unpinned = await scene.decided(comment["id"], "unpin")
    assert unpinned["pinned_at"] is None and unpinned["moderator_answer"] is True
    # Hiding unpins: pins are for what everyone can read.
    await scene.decided(comment["id"], "pin")
    assert (await scene.decided(comment["id"], "hide", reason="spam"))["pinned_at"] is None


# ---- Two moderators at once ---------------------------------------------------------------------


async def _race(scene: Scene, comment_id: int, action: str, **fields: Any) -> None:
    second = await scene.api.moderator(SLUG, "Second Moderator")
    first, other = await asyncio.gather(
        scene.decide(comment_id, action, "moderator", **fields),
        scene.decide(comment_id, action, second, **fields),
    )
    statuses = sorted([first.status_code, other.status_code])
    assert statuses == [200, 409], (first.text, other.text)
    loser = first if first.status_code == 409 else other
    assert_error(loser, 409, "already_decided")


async def test_two_moderators_approving_at_once_one_wins_with_one_event_and_one_audit_entry(
    api: Api, database_url: str
) -> None:
    scene = await make_scene(api)
    comment = await scene.pending()
    await _race(scene, comment["id"], "approve")
    events = await fetch_rows(database_url, "SELECT type FROM events WHERE type = 'comment.approved'")
    audit = await fetch_rows(database_url, "SELECT * FROM audit_log WHERE action = 'comment.approve'")
    assert len(events) == 1 and len(audit) == 1


async def test_two_moderators_hiding_at_once_one_wins_with_one_event_and_one_audit_entry(
    api: Api, database_url: str
) -> None:
    scene = await make_scene(api)
    comment = await scene.published()
    await _race(scene, comment["id"], "hide", reason="spam")
    events = await fetch_rows(database_url, "SELECT type FROM events WHERE type = 'comment.hidden'")
    audit = await fetch_rows(database_url, "SELECT * FROM audit_log WHERE action = 'comment.hide'")
    assert len(events) == 1 and len(audit) == 1


# ---- Moderators' edits --------------------------------------------------------------------------


async def test_a_moderators_edit_replaces_the_text_for_the_public_and_keeps_the_original_for_moderators(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    before = await _space(scene)
    comment = await scene.published("Call me at 555-0199, we need wells.")
    async with (
        live_client(server.ws_url) as anonymous,
        live_client(server.ws_url, scene.author.token) as author,
    ):
        assert_frame(await anonymous.subscribe(SLUG), "snapshot")
        assert_frame(await author.subscribe(SLUG), "snapshot")
        response = await scene.request(
            "moderator",
            "PATCH",
            f"/comments/{comment['id']}/moderation",
            {"body": "We need wells.", "reason": "personal_data"},
        )
        assert response.status_code == 200, response.text
        edited = response.json()
        assert edited["edited_by_moderator"] is True and edited["body"] == "We need wells."
        event = (await anonymous.events_through(edited["event_seq"]))[-1]
        assert event["type"] == "comment.moderator_edited"
        assert event["data"]["comment"]["body"] == "We need wells."
        notice = (await author.events_through(edited["event_seq"]))[-1]
        assert notice["data"]["decision"] == {"action": "edit", "reason": "personal_data", "by": "moderator"}
    async with live_client(server.ws_url) as resumed:
        await resumed.subscribe(SLUG, since=before["seq"], epoch=before["epoch"])
        assert "555-0199" not in json.dumps(await resumed.events_through(edited["event_seq"]))
    own = await scene.ok(scene.author, "GET", f"/comments/{comment['id']}/revisions")
    assert own["items"] == []
    kept = await scene.ok("moderator", "GET", f"/comments/{comment['id']}/revisions")
    assert [(r["body"], r["replaced_by_moderator"]) for r in kept["items"]] == [
        ("Call me at 555-0199, we need wells.", True)
    ]
    unchanged = await scene.request(
        "moderator", "PATCH", f"/comments/{comment['id']}/moderation", {"body": "We need wells."}
    )
    assert unchanged.status_code == 200 and unchanged.json()["event_seq"] is None


# ---- Held participants and the moderation mode --------------------------------------------------


async def test_a_held_participants_comments_wait_even_under_post_moderation(
    api: Api, server: RunningServer, database_url: str
) -> None:
    scene = await make_scene(api)
    async with (
        live_client(server.ws_url, scene.moderator.token) as moderator,
        live_client(server.ws_url, scene.participant.token) as participant,
    ):
        assert_frame(await moderator.subscribe(SLUG), "snapshot")
        assert_frame(await participant.subscribe(SLUG), "snapshot")
        held = await scene.ok(
            "moderator",
            "PUT",
            f"/spaces/{SLUG}/held-participants/{scene.author.id}",
            {"reason": "spam", "note": "Three ads today."},
        )
        assert (held["user"]["id"], held["reason"], held["held_by"]["id"]) == (
            scene.author.id,
            "spam",
            scene.moderator.id,
        )
        waiting = await scene.published("Held now.")
        assert waiting["status"] == "pending"
        lifted = await scene.ok("moderator", "DELETE", f"/spaces/{SLUG}/held-participants/{scene.author.id}")
        free = await scene.published("Free again.")
        assert free["status"] == "published"
        seen = await moderator.events_through(free["event_seq"])
        assert types(seen) == [
            "participant.held",
            "comment.created",
            "participant.hold_lifted",
            "comment.created",
        ]
        assert seen[0]["data"]["audit"]["action"] == "participant.hold"
        assert seen[0]["data"]["hold"]["note"] == "Three ads today."
        assert seen[2]["data"]["user"]["id"] == scene.author.id
        assert seen[1]["data"]["queue"]["pending"] == 1
        # The other participant sees neither the hold nor the held comment.
        assert types(await participant.events_through(free["event_seq"])) == ["comment.created"]
    assert lifted["event_seq"] == seen[2]["seq"]
    assert_error(
        await scene.request("moderator", "DELETE", f"/spaces/{SLUG}/held-participants/{scene.author.id}"),
        409,
        "not_held",
    )
    assert_error(
        await scene.request("admin", "PUT", f"/spaces/{SLUG}/held-participants/{scene.moderator.id}", {}),
        409,
        "user_is_moderator",
    )
    listed = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/held-participants")
    assert [item["user"]["id"] for item in listed["items"]] == [scene.held_author.id]
    audit = await fetch_rows(
        database_url, "SELECT action FROM audit_log WHERE action LIKE 'participant.%hold' ORDER BY id"
    )
    assert [a["action"] for a in audit] == ["participant.hold", "participant.hold", "participant.unhold"]


async def test_changing_the_moderation_mode_is_live_and_audited(
    api: Api, server: RunningServer, database_url: str
) -> None:
    scene = await make_scene(api)
    async with (
        live_client(server.ws_url) as anonymous,
        live_client(server.ws_url, scene.moderator.token) as mod,
    ):
        assert_frame(await anonymous.subscribe(SLUG), "snapshot")
        assert_frame(await mod.subscribe(SLUG), "snapshot")
        changed = await scene.ok("moderator", "PATCH", f"/spaces/{SLUG}", {"moderation": "pre"})
        public = (await anonymous.events_through(changed["event_seq"]))[-1]
        assert public["type"] == "space.updated" and public["data"]["space"]["moderation"] == "pre"
        assert "audit" not in public["data"]
        audit = (await mod.events_through(changed["event_seq"]))[-1]["data"]["audit"]
        assert (audit["action"], audit["details"]) == ("space.set_moderation", {"from": "post", "to": "pre"})
    await scene.ok("moderator", "PATCH", f"/spaces/{SLUG}", {"title": "Same mode"})
    rows = await fetch_rows(database_url, "SELECT action FROM audit_log WHERE target_type = 'space'")
    assert rows == [{"action": "space.set_moderation"}]
    # Switching the mode leaves what is waiting in the queue.
    await scene.published("Held by the mode.")
    await scene.ok("moderator", "PATCH", f"/spaces/{SLUG}", {"moderation": "post"})
    assert (await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue"))["counts"]["pending"] == 1
