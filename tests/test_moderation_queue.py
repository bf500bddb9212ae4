"""Flags, the automatic hide they cause, claims on queue items, and the queues themselves."""

import asyncio
from datetime import UTC, datetime

import pytest

from server.running.settings import Settings
from tests.helpers import Api, RunningServer, assert_error, assert_frame, fetch_rows
from tests.live import live_client
from tests.moderation import SLUG, make_scene


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Two flags hide a comment; a claim lasts a moment, so tests can watch it expire.
    return Settings(database_url=database_url, redis_url=None, flag_hide_threshold=2, claim_ttl_secs=1.0)


# ---- Flags --------------------------------------------------------------------------------------


async def test_a_flag_reaches_the_moderators_only(api: Api, server: RunningServer) -> None:
    scene = await make_scene(api)
    comment = await scene.published("Questionable.")
    async with (
        live_client(server.ws_url, scene.moderator.token) as moderator,
        live_client(server.ws_url, scene.author.token) as author,
        live_client(server.ws_url) as anonymous,
    ):
        for client in (moderator, author, anonymous):
            assert_frame(await client.subscribe(SLUG), "snapshot")
        response = await scene.flag(comment["id"], scene.participant, "other", text="Misquotes the report.")
        assert response.status_code == 201, response.text
        flagged = response.json()
        assert (flagged["reason"], flagged["text"]) == ("other", "Misquotes the report.")
        marker = await scene.published("Next.", author=scene.moderator)
        mod_events = await moderator.events_through(marker["event_seq"])
        event = next(e for e in mod_events if e["type"] == "comment.flagged")
        assert event["seq"] == flagged["event_seq"]
        flags = event["data"]["flags"]
        assert (flags["count"], flags["counted"]) == (1, 0)
        assert (flags["reasons"], flags["texts"]) == ({"other": 1}, ["Misquotes the report."])
        [flagger] = flags["flaggers"]
        assert flagger["by"]["id"] == scene.participant.id and flagger["reason"] == "other"
        assert flagger["standing"]["in_good_standing"] is False
        assert event["data"]["flag"]["by"]["id"] == scene.participant.id
        assert event["data"]["queue"]["flagged"] == 1
        for client in (author, anonymous):
            seen = await client.events_through(marker["event_seq"])
            assert [e["seq"] for e in seen] == [marker["event_seq"]]


async def test_flags_are_one_per_person_never_ones_own_and_other_needs_a_text(api: Api) -> None:
    scene = await make_scene(api)
    comment = await scene.published()
    assert (await scene.flag(comment["id"], scene.participant)).status_code == 201
    assert_error(await scene.flag(comment["id"], scene.participant, "offensive"), 409, "already_flagged")
    assert_error(await scene.flag(comment["id"], scene.author), 409, "own_comment")
    assert_error(await scene.flag(comment["id"], "moderator", "other"), 422, "flag_text_required")
    assert_error(await scene.flag(comment["id"], "moderator", "other", text="   "), 422, "flag_text_required")
    assert_error(await scene.flag(comment["id"], "moderator", "other", text="x" * 501), 422, "text_too_long")
    assert_error(await scene.flag(comment["id"], "moderator", "rude"), 422, "invalid_body")
    pending = await scene.pending()
    assert_error(await scene.flag(pending["id"], scene.participant), 404, "comment_not_found")
    hidden = await scene.hidden()
    assert_error(await scene.flag(hidden["id"], scene.participant), 409, "not_flaggable")


async def test_enough_flags_hide_a_comment_pending_review_and_dismissing_restores_it(
    api: Api, server: RunningServer, database_url: str
) -> None:
    scene = await make_scene(api)
    await scene.give_standing(scene.participant, scene.other_moderator)
    comment = await scene.published("Contested claim.")
    async with (
        live_client(server.ws_url, scene.moderator.token) as moderator,
        live_client(server.ws_url, scene.author.token) as author,
        live_client(server.ws_url) as anonymous,
    ):
        for client in (moderator, author, anonymous):
            assert_frame(await client.subscribe(SLUG), "snapshot")
        assert (await scene.flag(comment["id"], scene.participant, "offensive")).status_code == 201
        second = await scene.flag(comment["id"], "other_moderator", "spam")
        assert second.status_code == 201
        # The flag's event, then the hide it caused.
        hide_seq = second.json()["event_seq"] + 1
        public = (await anonymous.events_through(hide_seq))[-1]
        assert public["type"] == "comment.hidden"
        assert public["data"]["comment"]["body"] is None
        assert public["data"]["comment"]["removal"]["by"] == "flags"
        assert public["data"]["comment"]["removal"]["reason"] == "offensive"
        notice = (await author.events_through(hide_seq))[-1]["data"]["decision"]
        assert notice == {"action": "hide", "reason": "offensive", "by": "flags"}
        mod = (await moderator.events_through(hide_seq))[-1]["data"]
        assert mod["audit"]["actor_id"] is None and mod["audit"]["details"]["by"] == "flags"
        assert mod["flags"]["count"] == 2 and mod["queue"]["flagged"] == 1

        # Still in the flagged queue, pending review.
        flagged = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=flagged")
        [item] = flagged["items"]
        assert item["comment"]["body"] == "Contested claim." and item["comment"]["status"] == "hidden"
        assert item["flags"]["reasons"] == {"offensive": 1, "spam": 1}

        dismissed = await scene.decided(comment["id"], "dismiss_flags")
        assert dismissed["status"] == "published" and dismissed["removal"] is None
        restored = (await anonymous.events_through(dismissed["event_seq"]))[-1]
        assert (
            restored["type"] == "comment.restored"
            and restored["data"]["comment"]["body"] == "Contested claim."
        )
    audit = await fetch_rows(database_url, "SELECT actor_id, action FROM audit_log ORDER BY id")
    assert audit[-2:] == [
        {"actor_id": None, "action": "comment.hide"},
        {"actor_id": scene.moderator.id, "action": "comment.dismiss_flags"},
    ]
    counts = (await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=flagged"))["counts"]
    assert counts["flagged"] == 0


async def test_dismissing_flags_on_a_visible_comment_tells_moderators_only(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    comment = await scene.published()
    assert (await scene.flag(comment["id"], scene.participant)).status_code == 201
    async with live_client(server.ws_url) as anonymous:
        assert_frame(await anonymous.subscribe(SLUG), "snapshot")
        dismissed = await scene.decided(comment["id"], "dismiss_flags")
        marker = await scene.published("Next.", author=scene.moderator)
        assert [e["seq"] for e in await anonymous.events_through(marker["event_seq"])] == [
            marker["event_seq"]
        ]
    assert dismissed["status"] == "published"
    assert_error(await scene.decide(comment["id"], "dismiss_flags"), 409, "no_open_flags")


async def test_hiding_a_flagged_comment_upholds_its_flags(api: Api) -> None:
    scene = await make_scene(api)
    comment = await scene.published()
    assert (await scene.flag(comment["id"], scene.participant)).status_code == 201
    await scene.decided(comment["id"], "hide", reason="spam")
    counts = (await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=flagged"))["counts"]
    assert counts["flagged"] == 0


# ---- Claims -------------------------------------------------------------------------------------


async def test_a_claim_is_visible_to_other_moderators_live_and_expires(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    comment = await scene.pending()
    second = await api.moderator(SLUG, "Second Moderator")
    async with (
        live_client(server.ws_url, second.token) as other,
        live_client(server.ws_url, scene.held_author.token) as author,
    ):
        assert_frame(await other.subscribe(SLUG), "snapshot")
        assert_frame(await author.subscribe(SLUG), "snapshot")
        claimed = await scene.ok("moderator", "POST", f"/comments/{comment['id']}/claim")
        assert claimed["claim"]["moderator"]["id"] == scene.moderator.id
        event = (await other.events_through(claimed["event_seq"]))[-1]
        assert event["type"] == "comment.claimed"
        assert event["data"]["claim"] == claimed["claim"]
        assert event["data"]["audit"]["action"] == "comment.claim"
        # Others are told to leave it.
        error = assert_error(
            await scene.request(second, "POST", f"/comments/{comment['id']}/claim"), 409, "claimed_by_other"
        )
        assert error["details"]["claim"]["moderator"]["id"] == scene.moderator.id
        assert_error(await scene.decide(comment["id"], "approve", second), 409, "claimed_by_other")
        assert_error(
            await scene.request(second, "DELETE", f"/comments/{comment['id']}/claim"), 409, "claimed_by_other"
        )
        queue = await scene.ok(second, "GET", f"/spaces/{SLUG}/queue?kind=pending")
        assert queue["items"][0]["claim"]["expires_at"] == claimed["claim"]["expires_at"]
        # Past expires_at the claim counts as free: another moderator takes it over.
        expires_at = datetime.fromisoformat(claimed["claim"]["expires_at"])
        # Time passing is the point here: wait (boundedly) until just past the expiry.
        await asyncio.sleep(max(0.0, (expires_at - datetime.now(UTC)).total_seconds()) + 0.1)
        assert (await scene.ok(second, "GET", f"/spaces/{SLUG}/queue"))["items"][0]["claim"] is None
        taken = await scene.ok(second, "POST", f"/comments/{comment['id']}/claim")
        assert taken["claim"]["moderator"]["id"] == second.id
        assert_error(await scene.decide(comment["id"], "approve"), 409, "claimed_by_other")
        decided = await scene.decide(comment["id"], "approve", second)
        assert decided.status_code == 200
        # The author hears of the decision, nothing of the claims.
        seen = await author.events_through(decided.json()["event_seq"])
        assert [e["type"] for e in seen] == ["comment.approved"]
    # Deciding released the claim.
    assert_error(
        await scene.request(second, "DELETE", f"/comments/{comment['id']}/claim"), 409, "not_claimed"
    )


async def test_a_moderator_releases_their_claim(api: Api, server: RunningServer) -> None:
    scene = await make_scene(api)
    comment = await scene.published()
    async with live_client(server.ws_url, scene.admin.token) as admin:
        assert_frame(await admin.subscribe(SLUG), "snapshot")
        await scene.ok("moderator", "POST", f"/comments/{comment['id']}/claim")
        released = await scene.ok("moderator", "DELETE", f"/comments/{comment['id']}/claim")
        assert released["claim"] is None
        event = (await admin.events_through(released["event_seq"]))[-1]
        assert event["type"] == "comment.released"
        assert event["data"]["released"]["moderator"]["id"] == scene.moderator.id
    assert_error(
        await scene.request("moderator", "DELETE", f"/comments/{comment['id']}/claim"), 409, "not_claimed"
    )


# ---- Queues -------------------------------------------------------------------------------------


async def test_queues_list_items_with_flags_claims_and_counts_and_page_through(api: Api) -> None:
    scene = await make_scene(api, languages=["en", "fr"])
    second_question = await api.question(SLUG, "Second?")
    pending = [await scene.pending(f"Held {n}.") for n in range(3)]
    french = await api.comment(scene.held_author, second_question["id"], "En attente.", lang="fr")
    published = await scene.published("Out there.")
    assert (await scene.flag(published["id"], scene.participant, "off_topic")).status_code == 201
    await scene.ok("moderator", "POST", f"/comments/{pending[0]['id']}/claim")

    first = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=pending&limit=2")
    assert [i["comment"]["id"] for i in first["items"]] == [pending[0]["id"], pending[1]["id"]]
    assert first["items"][0]["claim"]["moderator"]["id"] == scene.moderator.id
    assert first["items"][1]["claim"] is None
    assert first["counts"] == {"pending": 4, "flagged": 1, "recent": 1}
    assert first["seq"] == (await scene.ok(None, "GET", f"/spaces/{SLUG}"))["seq"]
    rest = await scene.ok(
        "moderator", "GET", f"/spaces/{SLUG}/queue?kind=pending&limit=2&cursor={first['next_cursor']}"
    )
    assert [i["comment"]["id"] for i in rest["items"]] == [pending[2]["id"], french["id"]]
    assert rest["next_cursor"] is None

    by_lang = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?lang=fr")
    assert [i["comment"]["id"] for i in by_lang["items"]] == [french["id"]]
    by_question = await scene.ok(
        "moderator", "GET", f"/spaces/{SLUG}/queue?question_id={second_question['id']}"
    )
    assert [i["comment"]["id"] for i in by_question["items"]] == [french["id"]]
    flagged = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=flagged")
    assert [(i["comment"]["id"], i["flags"]["count"]) for i in flagged["items"]] == [(published["id"], 1)]
    recent = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=recent")
    assert [i["comment"]["id"] for i in recent["items"]] == [published["id"]]

    assert_error(
        await scene.request(
            "moderator", "GET", f"/spaces/{SLUG}/queue?kind=flagged&cursor={first['next_cursor']}"
        ),
        400,
        "invalid_cursor",
    )
    assert_error(
        await scene.request("moderator", "GET", f"/spaces/{SLUG}/queue?kind=everything"), 422, "invalid_query"
    )


async def test_the_removed_queue_lists_hidden_and_rejected_comments_newest_first_until_restored(
    api: Api,
) -> None:
    scene = await make_scene(api)
    rejected = await scene.pending("Call me on 555-0100.")
    hidden = await scene.published("Cheap watches!")
    await scene.published("Shared wells work.")
    assert (await scene.decide(rejected["id"], "reject", reason="personal_data")).status_code == 200
    assert (await scene.decide(hidden["id"], "hide", reason="spam")).status_code == 200

    removed = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=removed")
    assert [(i["comment"]["id"], i["comment"]["status"]) for i in removed["items"]] == [
        (hidden["id"], "hidden"),
        (rejected["id"], "rejected"),
    ]
    # Moderators keep the text of what they removed: that is what they judge a restore on.
    assert removed["items"][0]["comment"]["body"] == "Cheap watches!"
    first = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=removed&limit=1")
    rest = await scene.ok(
        "moderator", "GET", f"/spaces/{SLUG}/queue?kind=removed&limit=1&cursor={first['next_cursor']}"
    )
    assert [i["comment"]["id"] for i in rest["items"]] == [rejected["id"]]

    assert (await scene.decide(hidden["id"], "restore")).status_code == 200
    after = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=removed")
    assert [i["comment"]["id"] for i in after["items"]] == [rejected["id"]]
    assert_error(
        await scene.request("participant", "GET", f"/spaces/{SLUG}/queue?kind=removed"), 403, "not_moderator"
    )


async def test_every_queue_change_carries_the_counts_for_moderators_consoles(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    async with live_client(server.ws_url, scene.moderator.token) as moderator:
        assert_frame(await moderator.subscribe(SLUG), "snapshot")
        held = await scene.pending()
        published = await scene.published()
        flagged = await scene.flag(published["id"], scene.participant)
        approved = await scene.decided(held["id"], "approve")
        seen = await moderator.events_through(approved["event_seq"])
    counts = [(e["type"], e["data"]["queue"]) for e in seen]
    assert counts == [
        ("comment.created", {"pending": 1, "flagged": 0, "recent": 0}),
        ("comment.created", {"pending": 1, "flagged": 0, "recent": 1}),
        ("comment.flagged", {"pending": 1, "flagged": 1, "recent": 1}),
        ("comment.approved", {"pending": 0, "flagged": 1, "recent": 2}),
    ]
    assert flagged.status_code == 201
