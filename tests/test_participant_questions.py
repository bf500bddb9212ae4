"""Participants' own questions are moderated like comments: they wait under
pre-moderation or a hold, invisible to the public until approved; moderators
hide, restore and reject them, leaving tombstones; flags hide them only with
flaggers in good standing; slow mode paces them; the author's delete keeps the
evidence of a question under review."""

from typing import Any

from tests.helpers import Api, RunningServer, assert_error, assert_frame, fetch_rows
from tests.live import live_client, sse_client
from tests.moderation import SLUG, Scene, make_scene

THRESHOLD = 3  # ROUNDTABLE_FLAG_HIDE_THRESHOLD's default
SECRET = "Zanzibar"  # a word only the waiting question carries


async def participant_titles(scene: Scene, who: Any = None) -> list[str | None]:
    listed = await scene.ok(who, "GET", f"/spaces/{SLUG}/questions")
    return [q["title"] for q in listed["participant"]]


async def test_participant_question_under_pre_moderation_is_invisible_to_the_public_until_approved(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api, moderation="pre", allow_participant_questions=True)
    async with (
        live_client(server.ws_url) as public_ws,
        live_client(server.ws_url, scene.author.token) as author_ws,
        live_client(server.ws_url, scene.moderator.token) as moderator_ws,
        sse_client(api.http, SLUG) as public_sse,
    ):
        for ws in (public_ws, author_ws, moderator_ws):
            assert_frame(await ws.subscribe(SLUG), "snapshot")
        assert (await public_sse.receive())["type"] == "snapshot"

        posed = await scene.pose(f"What about {SECRET}?")
        assert posed["visibility"] == "pending"
        question_id = posed["id"]

        # HTTP: only the moderators and the author see it; the public and others do not.
        assert await participant_titles(scene, None) == []
        assert await participant_titles(scene, scene.participant) == []
        assert await participant_titles(scene, scene.author) == [f"What about {SECRET}?"]
        assert await participant_titles(scene, "moderator") == [f"What about {SECRET}?"]
        for who in (None, scene.participant):
            response = await scene.request(who, "GET", f"/questions/{question_id}")
            assert_error(response, 404, "question_not_found")
            response = await scene.request(who, "GET", f"/questions/{question_id}/comments")
            assert_error(response, 404, "question_not_found")
        search = await scene.ok(None, "GET", f"/spaces/{SLUG}/search?q={SECRET}")
        assert search["items"] == []

        # A snapshot taken now: the public's lacks it, the author's has it waiting.
        async with live_client(server.ws_url) as late:
            state = assert_frame(await late.subscribe(SLUG), "snapshot")["state"]
            assert state["questions"]["participant"] == []
            assert SECRET not in str(state)
        async with live_client(server.ws_url, scene.author.token) as late_author:
            state = assert_frame(await late_author.subscribe(SLUG), "snapshot")["state"]
            assert [q["visibility"] for q in state["questions"]["participant"]] == ["pending"]

        approved = await scene.decided_question(question_id, "approve")
        assert approved["visibility"] == "published"

        public_events = await public_ws.events_through(approved["event_seq"])
        sse_events = await public_sse.events_through(approved["event_seq"])
        for events in (public_events, sse_events):
            # The public's first sight of the question is its approval: never the wait.
            assert [e["type"] for e in events if e["type"].startswith("question.")] == ["question.approved"]
            assert events[-1]["data"]["question"]["title"] == f"What about {SECRET}?"
        author_events = await author_ws.events_through(approved["event_seq"])
        assert [e["type"] for e in author_events] == ["question.created", "question.approved"]
        assert author_events[0]["data"]["question"]["visibility"] == "pending"
        assert author_events[1]["data"]["decision"]["action"] == "approve"
        moderator_events = await moderator_ws.events_through(approved["event_seq"])
        assert moderator_events[-1]["data"]["audit"]["action"] == "question.approve"

    assert await participant_titles(scene, None) == [f"What about {SECRET}?"]


async def test_a_held_participants_question_waits_while_others_go_live(api: Api) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    held = await scene.pending_question("Held back?")
    free = await scene.pose("Straight through?")
    assert free["visibility"] == "published"
    assert await participant_titles(scene, None) == ["Straight through?"]
    queue = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=pending")
    assert [item["question"]["id"] for item in queue["questions"]] == [held["id"]]


async def test_comments_wait_for_their_question_to_be_published(api: Api) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    held = await scene.pending_question()
    response = await scene.request(
        scene.held_author, "POST", f"/questions/{held['id']}/comments", {"body": "Me first."}
    )
    assert_error(response, 409, "question_not_published")


async def test_hide_restore_and_reject_leave_tombstones_with_reason_and_time(api: Api) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    posed = await scene.pose("Is this on topic?")

    response = await scene.request(
        "moderator", "POST", f"/questions/{posed['id']}/decisions", {"action": "hide"}
    )
    assert_error(response, 422, "reason_required")
    hidden = await scene.decided_question(posed["id"], "hide", reason="off_topic", note="Elsewhere.")
    assert hidden["title"] == "Is this on topic?"  # moderators keep the text

    public = await scene.ok(None, "GET", f"/questions/{posed['id']}")
    assert (public["visibility"], public["title"], public["body"]) == ("hidden", None, None)
    assert (public["removal"]["by"], public["removal"]["reason"]) == ("moderator", "off_topic")
    assert public["removal"]["at"]
    assert await participant_titles(scene, None) == [None]

    response = await scene.request(
        "moderator", "POST", f"/questions/{posed['id']}/decisions", {"action": "hide", "reason": "spam"}
    )
    assert_error(response, 409, "already_decided")
    restored = await scene.decided_question(posed["id"], "restore")
    assert (restored["visibility"], restored["removal"]) == ("published", None)
    assert await participant_titles(scene, None) == ["Is this on topic?"]

    held = await scene.pending_question("Can I sell you something?")
    rejected = await scene.decided_question(held["id"], "reject", reason="spam")
    assert rejected["visibility"] == "rejected"
    own = await scene.ok(scene.held_author, "GET", f"/questions/{held['id']}")
    assert (own["visibility"], own["title"], own["removal"]["reason"]) == ("rejected", None, "spam")
    assert_error(await scene.request(None, "GET", f"/questions/{held['id']}"), 404, "question_not_found")

    audit = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/audit")
    actions = [(e["action"], e["target_id"]) for e in audit["items"] if e["target_type"] == "question"]
    assert ("question.hide", posed["id"]) in actions and ("question.reject", held["id"]) in actions


async def test_decisions_that_belong_to_comments_or_to_moderators_questions_are_refused(api: Api) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    posed = await scene.pose()
    response = await scene.request(
        "moderator", "POST", f"/questions/{posed['id']}/decisions", {"action": "pin"}
    )
    assert_error(response, 422, "invalid_body")
    response = await scene.request(
        "moderator", "POST", f"/questions/{scene.question_id}/decisions", {"action": "hide", "reason": "spam"}
    )
    assert_error(response, 409, "question_not_moderated")


async def test_flags_hide_a_question_only_with_flaggers_in_good_standing(api: Api) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    posed = await scene.pose("An unpopular question?")
    raiders = [await api.register(f"Raider {i}") for i in range(THRESHOLD)]
    for raider in raiders:
        response = await scene.request(
            raider, "POST", f"/questions/{posed['id']}/flags", {"reason": "offensive"}
        )
        assert response.status_code == 201, response.text
    assert (await scene.ok(None, "GET", f"/questions/{posed['id']}"))["visibility"] == "published"
    flagged = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=flagged")
    [item] = flagged["questions"]
    assert (item["flags"]["count"], item["flags"]["counted"]) == (THRESHOLD, 0)

    regulars = [await api.register(f"Regular {i}") for i in range(THRESHOLD)]
    await scene.give_standing(*regulars)
    for regular in regulars:
        response = await scene.request(
            regular, "POST", f"/questions/{posed['id']}/flags", {"reason": "offensive"}
        )
        assert response.status_code == 201, response.text
    public = await scene.ok(None, "GET", f"/questions/{posed['id']}")
    assert (public["visibility"], public["title"], public["removal"]["by"]) == ("hidden", None, "flags")

    # Restored by a moderator, it stays up: the same flaggers cannot flag it again.
    await scene.decided_question(posed["id"], "restore")
    response = await scene.request(
        regulars[0], "POST", f"/questions/{posed['id']}/flags", {"reason": "offensive"}
    )
    assert_error(response, 409, "already_flagged")
    assert (await scene.ok(None, "GET", f"/questions/{posed['id']}"))["visibility"] == "published"
    own = await scene.request(scene.author, "POST", f"/questions/{posed['id']}/flags", {"reason": "spam"})
    assert_error(own, 409, "own_comment")


async def test_slow_mode_paces_participants_questions_but_not_moderators(api: Api) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    await scene.ok("moderator", "PUT", f"/spaces/{SLUG}/slow-mode", {"seconds": 600, "reason": "volume"})
    await scene.pose("First question?")
    response = await scene.request(scene.author, "POST", f"/spaces/{SLUG}/questions", {"title": "Second?"})
    error = assert_error(response, 429, "slow_mode")
    assert error["details"]["retry_at"] and error["details"]["space_secs"] == 600
    await scene.pose("Someone else's first?", author=scene.participant)
    for title in ("Chair one?", "Chair two?"):
        await scene.ok("moderator", "POST", f"/spaces/{SLUG}/questions", {"title": title})


async def test_authors_delete_keeps_the_evidence_of_a_question_under_review(api: Api) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    hidden = await scene.hidden_question("Something I regret?")
    response = await scene.request(scene.author, "DELETE", f"/questions/{hidden['id']}")
    assert response.status_code == 200, response.text
    assert (response.json()["visibility"], response.json()["title"]) == ("deleted", None)

    seen = await scene.ok("moderator", "GET", f"/questions/{hidden['id']}")
    assert (seen["visibility"], seen["title"]) == ("deleted", "Something I regret?")
    assert (await scene.ok(None, "GET", f"/questions/{hidden['id']}"))["title"] is None
    audit = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/audit?action=question.delete")
    assert audit["items"][0]["details"]["title"] == "Something I regret?"
    again = await scene.request(scene.author, "DELETE", f"/questions/{hidden['id']}")
    assert_error(again, 409, "question_deleted")

    # Not under review, the author's delete erases the text for everyone.
    plain = await scene.pose("A passing thought?")
    response = await scene.request(scene.author, "DELETE", f"/questions/{plain['id']}")
    assert response.status_code == 200, response.text
    assert (await scene.ok("moderator", "GET", f"/questions/{plain['id']}"))["title"] == ""
    other = await scene.request(scene.participant, "DELETE", f"/questions/{hidden['id']}")
    assert_error(other, 403, "not_author")


async def test_a_hidden_questions_text_is_withdrawn_from_the_log_the_ring_and_resumes(
    api: Api, server: RunningServer, database_url: str
) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    async with live_client(server.ws_url) as watcher:
        # The watcher keeps the space's channel, and its ring, alive.
        snapshot = assert_frame(await watcher.subscribe(SLUG), "snapshot")
        posed = await scene.pose(f"Is {SECRET} for sale?")
        await watcher.events_through(posed["event_seq"])
        hidden = await scene.decided_question(posed["id"], "hide", reason="offensive")
        await watcher.events_through(hidden["event_seq"])

        rows = await fetch_rows(
            database_url,
            "SELECT public, personal FROM events WHERE seq BETWEEN $1 AND $2",
            posed["event_seq"],
            hidden["event_seq"],
        )
        assert rows and SECRET not in str(rows)

        # Resuming from before the question: from the ring, then (a new process would) from the log.
        async with live_client(server.ws_url) as late:
            await late.subscribe(SLUG, since=snapshot["seq"], epoch=snapshot["epoch"])
            events = await late.events_through(hidden["event_seq"])
            assert SECRET not in str(events)
            created = next(e for e in events if e["type"] == "question.created")
            assert (created["data"]["question"]["title"], created["data"]["question"]["visibility"]) == (
                None,
                "hidden",
            )
    # Moderators keep the text for review.
    assert (await scene.ok("moderator", "GET", f"/questions/{posed['id']}"))[
        "title"
    ] == f"Is {SECRET} for sale?"


async def test_screens_show_only_a_published_question_and_drop_it_when_hidden(api: Api) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    held = await scene.pending_question()
    response = await scene.request(
        "moderator", "PUT", f"/spaces/{SLUG}/spotlight", {"question_id": held["id"]}
    )
    assert_error(response, 409, "not_spotlightable")

    posed = await scene.pose("Worth a screen?")
    await scene.ok("moderator", "PUT", f"/spaces/{SLUG}/spotlight", {"question_id": posed["id"]})
    assert (await scene.ok(None, "GET", f"/spaces/{SLUG}/spotlight"))["now"]["question"]["id"] == posed["id"]
    await scene.decided_question(posed["id"], "hide", reason="off_topic")
    assert (await scene.ok(None, "GET", f"/spaces/{SLUG}/spotlight"))["now"] is None


async def test_a_waiting_question_its_author_deletes_leaves_no_public_trace_but_keeps_the_evidence(
    api: Api,
) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    held = await scene.pending_question("Something sent in haste?")
    response = await scene.request(scene.held_author, "DELETE", f"/questions/{held['id']}")
    assert response.status_code == 200, response.text
    assert await participant_titles(scene, None) == []
    assert_error(await scene.request(None, "GET", f"/questions/{held['id']}"), 404, "question_not_found")
    seen = await scene.ok("moderator", "GET", f"/questions/{held['id']}")
    assert (seen["visibility"], seen["title"]) == ("deleted", "Something sent in haste?")
