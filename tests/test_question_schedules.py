"""Questions stewarded: schedules and the scheduler, closing remarks, audit entries,
and no posting in a closed space."""

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import httpx
import pytest

from server.running.settings import Settings
from tests.helpers import Api, RunningServer, assert_error, assert_frame, fetch_rows, start_server
from tests.live import live_client
from tests.space_helpers import as_admin, counts, ok, post_comment, soon

# The scheduler runs this often in these tests, so a transition due in a
# second or two happens well within the wait.
SCHEDULER_INTERVAL_SECS = 0.2


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        redis_url=None,
        scheduler_interval_secs=SCHEDULER_INTERVAL_SECS,
        repair_interval_secs=0.2,
    )


async def audit_actions(api: Api, slug: str, **params: str) -> list[str]:
    page = await ok(
        await as_admin(api, "GET", f"/api/v1/spaces/{slug}/audit?" + httpx.QueryParams(params).__str__())
    )
    return [e["action"] for e in reversed(page["items"])]


async def test_a_scheduled_question_shows_its_times_and_refuses_comments_until_it_opens(
    api: Api, database_url: str
) -> None:
    await api.space("water")
    opens_at, closes_at = soon(3600), soon(7200)
    question = await api.question("water", "Later?", opens_at=opens_at, closes_at=closes_at)
    assert (question["status"], question["accepting_comments"]) == ("scheduled", False)
    public = await ok(await api.http.get(f"/api/v1/questions/{question['id']}"))
    assert datetime.fromisoformat(public["opens_at"]) == datetime.fromisoformat(opens_at)
    assert datetime.fromisoformat(public["closes_at"]) == datetime.fromisoformat(closes_at)
    sarah = await api.register("Sarah")
    before = await counts(database_url)
    error = assert_error(await post_comment(api, sarah, question["id"]), 409, "question_not_open")
    assert datetime.fromisoformat(error["details"]["opens_at"]) == datetime.fromisoformat(opens_at)
    assert datetime.fromisoformat(error["details"]["closes_at"]) == datetime.fromisoformat(closes_at)
    assert await counts(database_url) == before


async def test_opening_a_scheduled_question_now_clears_its_opening_time(api: Api, database_url: str) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water", "Later?", opens_at=soon(3600))
    response = await api.http.patch(
        f"/api/v1/questions/{question['id']}", json={"status": "open"}, headers=moderator.headers
    )
    opened = await ok(response)
    assert (opened["status"], opened["opens_at"], opened["accepting_comments"]) == ("open", None, True)
    [event] = await fetch_rows(
        database_url, "SELECT type, moderators FROM events WHERE seq = $1", opened["event_seq"]
    )
    assert event["type"] == "question.opened"
    assert event["moderators"]["audit"]["action"] == "question.open"
    assert event["moderators"]["audit"]["actor_id"] == moderator.id
    rescheduled = await ok(
        await api.http.patch(
            f"/api/v1/questions/{question['id']}", json={"opens_at": soon(600)}, headers=moderator.headers
        )
    )
    assert rescheduled["status"] == "scheduled"


async def test_bad_schedules_are_refused_and_change_nothing(api: Api, database_url: str) -> None:
    await api.space("water", allow_participant_questions=True)
    moderator = await api.moderator("water")
    question = await api.question("water")
    sarah = await api.register("Sarah")
    path = f"/api/v1/questions/{question['id']}"
    before = await counts(database_url)
    cases = [
        ({"opens_at": soon(-60)}, 422, "invalid_body"),
        ({"closes_at": soon(-1)}, 422, "invalid_body"),
        ({"opens_at": soon(600), "closes_at": soon(300)}, 422, "invalid_body"),
        ({"opens_at": soon(600), "status": "open"}, 422, "invalid_body"),
        ({"opens_at": "2030-01-01T10:00:00"}, 422, "invalid_body"),  # no zone
        ({"status": "scheduled"}, 422, "invalid_body"),
    ]
    for body, status, code in cases:
        assert_error(await api.http.patch(path, json=body, headers=moderator.headers), status, code)
    assert_error(
        await api.http.post(
            "/api/v1/spaces/water/questions",
            json={"title": "Mine", "opens_at": soon(60)},
            headers=sarah.headers,
        ),
        403,
        "forbidden",
    )
    assert await counts(database_url) == before


async def test_closing_with_a_remark_shows_it_rendered_and_audits_the_close(
    api: Api, server: RunningServer, database_url: str
) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water")
    async with live_client(server.ws_url) as public, live_client(server.ws_url, moderator.token) as steward:
        await public.subscribe("water")
        await steward.subscribe("water")
        closed = await ok(
            await api.http.patch(
                f"/api/v1/questions/{question['id']}",
                json={"status": "closed", "closing_remark": "Thanks: see **the summary**.<script>x</script>"},
                headers=moderator.headers,
            )
        )
        html = closed["closing_remark_html"]
        assert html.startswith("<p>Thanks: see <strong>the summary</strong>.") and "<script>" not in html
        assert (closed["status"], closed["accepting_comments"]) == ("closed", False)
        [seen_public] = [
            e for e in await public.events_through(closed["event_seq"]) if e["type"] == "question.closed"
        ]
        [seen_steward] = [
            e for e in await steward.events_through(closed["event_seq"]) if e["type"] == "question.closed"
        ]
    assert seen_public["data"]["question"]["closing_remark"].startswith("Thanks")
    assert "audit" not in seen_public["data"]
    audit = seen_steward["data"]["audit"]
    assert (audit["action"], audit["actor_id"], audit["target_type"], audit["target_id"]) == (
        "question.close",
        moderator.id,
        "question",
        question["id"],
    )
    assert audit["details"]["status"] == {"from": "open", "to": "closed"}
    sarah = await api.register("Sarah")
    before = await counts(database_url)
    assert_error(await post_comment(api, sarah, question["id"]), 409, "question_closed")
    assert await counts(database_url) == before


async def test_every_moderator_question_action_records_one_audit_entry_and_participants_none(
    api: Api, database_url: str
) -> None:
    await api.space("water", allow_participant_questions=True)
    moderator = await api.moderator("water")
    h = moderator.headers
    one = await ok(
        await api.http.post("/api/v1/spaces/water/questions", json={"title": "One"}, headers=h), 201
    )
    two = await ok(
        await api.http.post("/api/v1/spaces/water/questions", json={"title": "Two"}, headers=h), 201
    )
    for body in ({"title": "One, again"}, {"position": 2}, {"status": "closed"}, {"status": "open"}):
        await ok(await api.http.patch(f"/api/v1/questions/{one['id']}", json=body, headers=h))
    await ok(await api.http.patch(f"/api/v1/questions/{two['id']}", json={"opens_at": soon(600)}, headers=h))
    await ok(await api.http.patch(f"/api/v1/questions/{two['id']}", json={"opens_at": None}, headers=h))
    sarah = await api.register("Sarah")
    own = await ok(
        await api.http.post("/api/v1/spaces/water/questions", json={"title": "Mine"}, headers=sarah.headers),
        201,
    )
    await ok(
        await api.http.patch(f"/api/v1/questions/{own['id']}", json={"title": "Mine!"}, headers=sarah.headers)
    )
    assert await audit_actions(api, "water") == [
        "question.post",
        "question.post",
        "question.edit",
        "question.move",
        "question.close",
        "question.reopen",
        "question.schedule",
        "question.open",
    ]
    rows = await fetch_rows(database_url, "SELECT count(*) AS n FROM audit_log WHERE actor_id = $1", sarah.id)
    assert rows[0]["n"] == 0


@pytest.mark.parametrize("status", ["closed", "archived"])
async def test_moderators_cannot_post_questions_or_comments_once_the_space_is_closed(
    api: Api, database_url: str, status: str
) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water")
    await ok(await as_admin(api, "PATCH", "/api/v1/spaces/water", {"status": status}))
    before = await counts(database_url)
    for who in (moderator, await api.admin()):
        error = assert_error(
            await api.http.post(
                "/api/v1/spaces/water/questions", json={"title": "Late"}, headers=who.headers
            ),
            409,
            "space_closed",
        )
        assert error["details"]["status"] == status
        assert_error(await post_comment(api, who, question["id"]), 409, "space_closed")
    assert await counts(database_url) == before


async def test_moderators_still_prepare_a_draft_space(api: Api) -> None:
    await api.space("water", status="draft")
    moderator = await api.moderator("water")
    response = await api.http.post(
        "/api/v1/spaces/water/questions", json={"title": "Q"}, headers=moderator.headers
    )
    assert response.status_code == 201, response.text


@pytest.fixture
async def second_server(settings: Settings) -> AsyncIterator[RunningServer]:
    """Another app process on the same database, with its own scheduler."""
    async with start_server(settings) as running:
        yield running


async def test_the_scheduler_opens_and_closes_a_question_once_even_with_two_processes(
    api: Api, server: RunningServer, second_server: RunningServer, database_url: str
) -> None:
    await api.space("water")
    sarah = await api.register("Sarah")
    opens_in, closes_in = 1.5, 3.5
    question = await api.question("water", "Soon?", opens_at=soon(opens_in), closes_at=soon(closes_in))
    assert question["status"] == "scheduled"
    async with live_client(second_server.ws_url) as watcher:
        assert_frame(await watcher.subscribe("water"), "snapshot")
        async with asyncio.timeout(opens_in + 5):
            while not any(e["type"] == "question.opened" for e in watcher.seen):
                await watcher.receive()
        [opened] = [e for e in watcher.seen if e["type"] == "question.opened"]
        assert opened["data"]["question"]["status"] == "open"
        assert datetime.fromisoformat(opened["at"]) >= datetime.fromisoformat(question["opens_at"])
        accepted = await post_comment(api, sarah, question["id"], "Just in time.")
        assert accepted.status_code == 201, accepted.text
        async with asyncio.timeout(closes_in + 5):
            while not any(e["type"] == "question.closed" for e in watcher.seen):
                await watcher.receive()
        [closed] = [e for e in watcher.seen if e["type"] == "question.closed"]
        assert datetime.fromisoformat(closed["at"]) >= datetime.fromisoformat(question["closes_at"])
    # Both schedulers kept running past the times: still one event per transition.
    await asyncio.sleep(SCHEDULER_INTERVAL_SECS * 3)
    logged = await fetch_rows(
        database_url,
        """SELECT type FROM events WHERE type IN ('question.opened', 'question.closed')
           AND (public -> 'question' ->> 'id')::bigint = $1 ORDER BY seq""",
        question["id"],
    )
    assert [e["type"] for e in logged] == ["question.opened", "question.closed"]
    audit = await fetch_rows(
        database_url,
        """SELECT action, actor_id FROM audit_log
           WHERE target_type = 'question' AND target_id = $1 ORDER BY id""",
        question["id"],
    )
    assert audit == [
        {"action": "question.post", "actor_id": (await api.admin()).id},
        {"action": "question.open", "actor_id": None},
        {"action": "question.close", "actor_id": None},
    ]
    before = await counts(database_url)
    error = assert_error(await post_comment(api, sarah, question["id"], "Too late."), 409, "question_closed")
    assert datetime.fromisoformat(error["details"]["closes_at"]) <= datetime.fromisoformat(
        closed["at"]
    ) + timedelta(seconds=1)
    assert await counts(database_url) == before


async def test_a_question_past_its_closing_time_refuses_comments_before_the_scheduler_runs(
    api: Api, database_url: str
) -> None:
    await api.space("water")
    question = await api.question("water", closes_at=soon(3600))
    await fetch_rows(
        database_url,
        "UPDATE questions SET closes_at = now() - interval '1 second' WHERE id = $1",
        question["id"],
    )
    sarah = await api.register("Sarah")
    assert_error(await post_comment(api, sarah, question["id"]), 409, "question_closed")
