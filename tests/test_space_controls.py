"""The space's controls: the lock, announcements, slow mode."""

from datetime import datetime, timedelta

from tests.helpers import Api, RunningServer, assert_error, assert_frame, fetch_rows
from tests.live import live_client, sse_client
from tests.space_helpers import as_admin, counts, ok, post_comment, screen_token


async def test_a_locked_space_refuses_every_participant_write_and_writes_nothing(
    api: Api, database_url: str
) -> None:
    await api.space("water", allow_participant_questions=True)
    moderator = await api.moderator("water")
    question = await api.question("water")
    sarah, bob = await api.register("Sarah"), await api.register("Bob")
    comment = await api.comment(sarah, question["id"])
    locked = await ok(
        await api.http.post(
            "/api/v1/spaces/water/lock", json={"reason": "pause", "note": "Lunch"}, headers=moderator.headers
        )
    )
    assert locked["locked"]["reason"] == "pause"
    assert locked["locked"]["locked_by"] == {"id": moderator.id, "display_name": "Moderator"}
    public = await ok(await api.http.get("/api/v1/spaces/water"))
    assert public["locked"]["reason"] == "pause" and "Lunch" not in str(public)

    before = await counts(database_url)
    cid, qid = comment["id"], question["id"]
    attempts = [
        await post_comment(api, bob, qid),
        await api.http.post(
            f"/api/v1/questions/{qid}/comments", json={"body": "Re", "parent_id": cid}, headers=bob.headers
        ),
        await api.http.patch(f"/api/v1/comments/{cid}", json={"body": "Edited"}, headers=sarah.headers),
        await api.http.delete(f"/api/v1/comments/{cid}", headers=sarah.headers),
        await api.http.post(f"/api/v1/comments/{cid}/support", headers=bob.headers),
        await api.http.post("/api/v1/spaces/water/questions", json={"title": "Mine"}, headers=bob.headers),
    ]
    for response in attempts:
        error = assert_error(response, 403, "space_locked")
        assert error["details"]["reason"] == "pause"
        datetime.fromisoformat(error["details"]["locked_at"])
    assert await counts(database_url) == before

    # Its stewards keep steering, and may still speak.
    assert (await post_comment(api, moderator, qid, "Back soon.")).status_code == 201
    assert (await post_comment(api, await api.admin(), qid, "Noted.")).status_code == 201
    unlocked = await ok(await api.http.delete("/api/v1/spaces/water/lock", headers=moderator.headers))
    assert unlocked["locked"] is None
    assert (await post_comment(api, bob, qid)).status_code == 201
    again = await ok(await api.http.delete("/api/v1/spaces/water/lock", headers=moderator.headers))
    assert again["event_seq"] is None


async def test_locking_reaches_everyone_live_and_only_moderators_see_the_note(
    api: Api, server: RunningServer
) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    async with live_client(server.ws_url) as public, live_client(server.ws_url, moderator.token) as steward:
        await public.subscribe("water")
        await steward.subscribe("water")
        locked = await ok(
            await api.http.post(
                "/api/v1/spaces/water/lock",
                json={"reason": "disruption", "note": "Flooding"},
                headers=moderator.headers,
            )
        )
        [to_public] = await public.events_through(locked["event_seq"])
        [to_steward] = await steward.events_through(locked["event_seq"])
    assert to_public["type"] == to_steward["type"] == "space.locked"
    assert to_public["data"]["space"]["locked"]["reason"] == "disruption"
    assert "audit" not in to_public["data"] and "Flooding" not in str(to_public)
    audit = to_steward["data"]["audit"]
    assert (audit["action"], audit["reason"], audit["note"], audit["actor_id"]) == (
        "space.lock",
        "disruption",
        "Flooding",
        moderator.id,
    )


async def test_announcements_reach_everyone_live_including_anonymous_readers_and_screens(
    api: Api, server: RunningServer
) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    screen = await screen_token(api, "water")
    sarah = await api.register("Sarah")
    async with (
        live_client(server.ws_url) as anonymous,
        live_client(server.ws_url, sarah.token) as participant,
        live_client(f"{server.ws_url}?screen_token={screen['token']}") as wall,
        sse_client(api.http, "water") as stream,
    ):
        for live in (anonymous, participant, wall):
            await live.subscribe("water")
        assert (await stream.receive())["type"] == "snapshot"
        posted = await ok(
            await api.http.post(
                "/api/v1/spaces/water/announcements",
                json={"body": "Session resumes at **15:00**. <img src=x onerror=alert(1)>", "lang": "en"},
                headers=moderator.headers,
            ),
            201,
        )
        assert posted["html"].startswith("<p>Session resumes at <strong>15:00</strong>.")
        assert "<img" not in posted["html"]
        for events in [
            await c.events_through(posted["event_seq"]) for c in (anonymous, participant, wall, stream)
        ]:
            [event] = events
            assert event["type"] == "announcement.posted"
            assert event["data"]["announcement"]["id"] == posted["id"]
            assert "audit" not in event["data"]
        async with live_client(server.ws_url) as late:
            state = assert_frame(await late.subscribe("water"), "snapshot")["state"]
            assert [a["id"] for a in state["announcements"]] == [posted["id"]]
        dismissed = await ok(
            await api.http.delete(
                f"/api/v1/spaces/water/announcements/{posted['id']}", headers=moderator.headers
            )
        )
        for live in (anonymous, wall):
            events = await live.events_through(dismissed["event_seq"])
            assert events[-1]["type"] == "announcement.dismissed"
    async with live_client(server.ws_url) as later:
        assert assert_frame(await later.subscribe("water"), "snapshot")["state"]["announcements"] == []
    assert (await ok(await api.http.get("/api/v1/spaces/water/announcements")))["items"] == []
    again = await api.http.delete(
        f"/api/v1/spaces/water/announcements/{posted['id']}", headers=moderator.headers
    )
    assert (await ok(again))["event_seq"] is None
    assert_error(
        await api.http.post(
            "/api/v1/spaces/water/announcements",
            json={"body": "Hallo", "lang": "de"},
            headers=moderator.headers,
        ),
        422,
        "unsupported_language",
    )
    assert_error(
        await api.http.delete("/api/v1/spaces/water/announcements/999999", headers=moderator.headers),
        404,
        "announcement_not_found",
    )


async def test_slow_mode_makes_a_participant_wait_and_says_until_when(api: Api, database_url: str) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water")
    other = await api.question("water", "Another?")
    sarah = await api.register("Sarah")
    slowed = await ok(
        await api.http.put(
            "/api/v1/spaces/water/slow-mode",
            json={"seconds": 60, "reason": "volume", "note": "Keynote"},
            headers=moderator.headers,
        )
    )
    assert slowed["slow_mode_secs"] == 60
    first = await ok(await post_comment(api, sarah, question["id"], "First."), 201)
    before = await counts(database_url)
    for qid in (question["id"], other["id"]):
        error = assert_error(await post_comment(api, sarah, qid, "Second."), 429, "slow_mode")
        retry_at = datetime.fromisoformat(error["details"]["retry_at"])
        assert retry_at == datetime.fromisoformat(first["created_at"]) + timedelta(seconds=60)
    assert await counts(database_url) == before
    # Moderators are exempt.
    for n in range(2):
        assert (await post_comment(api, moderator, question["id"], f"Chair {n}.")).status_code == 201
    [audit] = await fetch_rows(
        database_url, "SELECT actor_id, reason, note, details FROM audit_log WHERE action = 'space.slow_mode'"
    )
    assert audit == {
        "actor_id": moderator.id,
        "reason": "volume",
        "note": "Keynote",
        "details": {"seconds": {"from": None, "to": 60}},
    }
    off = await ok(
        await api.http.put(
            "/api/v1/spaces/water/slow-mode",
            json={"seconds": 0, "reason": "other"},
            headers=moderator.headers,
        )
    )
    assert off["slow_mode_secs"] is None
    assert (await post_comment(api, sarah, question["id"], "Second.")).status_code == 201


async def test_a_questions_slow_mode_holds_only_on_that_question(api: Api, database_url: str) -> None:
    await api.space("water")
    question = await api.question("water")
    other = await api.question("water", "Another?")
    slowed = await ok(
        await as_admin(
            api, "PUT", f"/api/v1/questions/{question['id']}/slow-mode", {"seconds": 120, "reason": "volume"}
        )
    )
    assert slowed["slow_mode_secs"] == 120
    sarah = await api.register("Sarah")
    await ok(await post_comment(api, sarah, question["id"]), 201)
    error = assert_error(await post_comment(api, sarah, question["id"]), 429, "slow_mode")
    assert error["details"]["question_secs"] == 120 and error["details"]["space_secs"] is None
    assert (await post_comment(api, sarah, other["id"])).status_code == 201
    [event] = await fetch_rows(
        database_url, "SELECT type, public FROM events WHERE seq = $1", slowed["event_seq"]
    )
    assert event["type"] == "question.slow_mode_changed"
    assert event["public"]["question"]["slow_mode_secs"] == 120
