"""Rate limits: one account or one address cannot flood a space or mint
accounts, each refusal says when to retry, and app processes share one limit."""

from typing import Any

import httpx
import pytest

from server.running.settings import Settings
from tests.helpers import PASSWORD, Api, app_env, assert_error, fetch_rows, two_processes
from tests.moderation import SLUG, make_scene


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Small limits, so that a test reaches each in a few requests.
    return Settings(
        database_url=database_url,
        redis_url=None,
        trusted_proxies=["127.0.0.1"],
        rate_register_per_address="20/3600",
        rate_post_per_account="2/60",
        rate_post_per_address="5/60",
        rate_edit_per_account="1/60",
        rate_support_per_account="1/60",
        rate_flag_per_account="1/60",
        rate_question_per_account="1/600",
        rate_invitation_per_account="1/3600",
    )


def from_address(address: str) -> dict[str, str]:
    # The test client connects from 127.0.0.1, which the settings trust as a
    # proxy, so the server takes the client's address from X-Forwarded-For.
    return {"X-Forwarded-For": address}


def assert_rate_limited(response: httpx.Response, action: str, scope: str) -> dict[str, Any]:
    error = assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) >= 1
    details: dict[str, Any] = error["details"]
    assert details["retry_at"] and (details["action"], details["scope"]) == (action, scope)
    return details


async def test_an_account_posting_past_its_limit_is_refused_with_when_to_retry(
    api: Api, database_url: str
) -> None:
    scene = await make_scene(api)
    path = f"/api/v1/questions/{scene.question_id}/comments"
    for n in range(2):
        await scene.published(f"Point {n}.", author=scene.participant)
    response = await api.http.post(path, json={"body": "One too many."}, headers=scene.participant.headers)
    details = assert_rate_limited(response, "post", "account")
    assert (details["limit"], details["window_secs"]) == (2, 60)
    rows = await fetch_rows(database_url, "SELECT 1 FROM comments WHERE body = 'One too many.'")
    assert rows == []
    # Someone else keeps posting.
    assert (await scene.published("Still heard.", author=scene.author))["status"] == "published"


async def test_many_accounts_from_one_address_share_its_limit_and_other_addresses_do_not(
    api: Api,
) -> None:
    scene = await make_scene(api)
    path = f"/api/v1/questions/{scene.question_id}/comments"
    sockpuppets = [await api.register(f"Puppet {n}") for n in range(6)]
    for puppet in sockpuppets[:5]:
        headers = puppet.headers | from_address("203.0.113.4")
        assert (await api.http.post(path, json={"body": "Agreed."}, headers=headers)).status_code == 201
    headers = sockpuppets[5].headers | from_address("203.0.113.4")
    assert_rate_limited(
        await api.http.post(path, json={"body": "Agreed."}, headers=headers), "post", "address"
    )
    headers = sockpuppets[5].headers | from_address("198.51.100.8")
    assert (await api.http.post(path, json={"body": "From home."}, headers=headers)).status_code == 201


async def test_each_write_a_flood_is_made_of_is_limited(api: Api) -> None:
    scene = await make_scene(api)
    first, second = await scene.published("One."), await scene.published("Two.")
    pat = scene.participant
    mine = await scene.published("Mine.", author=pat)
    writes: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]] = [
        ("support", "POST", "/comments/{}/support", first, None),
        ("support", "POST", "/comments/{}/support", second, None),
        ("flag", "POST", "/comments/{}/flags", first, {"reason": "spam"}),
        ("flag", "POST", "/comments/{}/flags", second, {"reason": "spam"}),
        ("edit", "PATCH", "/comments/{}", mine, {"body": "Mine, edited."}),
        ("edit", "PATCH", "/comments/{}", mine, {"body": "Mine, edited again."}),
    ]
    for n, (action, method, path, comment, body) in enumerate(writes):
        assert comment is not None
        response = await scene.request(pat, method, path.format(comment["id"]), body)
        if n % 2 == 0:
            assert response.status_code in (200, 201), response.text
        else:
            assert_rate_limited(response, action, "account")


async def test_registering_past_the_address_limit_is_refused_before_the_password_is_hashed(
    api: Api, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    hashed: list[str] = []
    passwords = api.server.services.passwords
    real_hash = passwords.hash

    async def counting_hash(password: str) -> str:
        hashed.append(password)
        return await real_hash(password)

    monkeypatch.setattr(passwords, "hash", counting_hash)
    limit = 20
    for n in range(limit):
        body = {"email": f"bot{n}@example.org", "password": PASSWORD, "display_name": f"Bot {n}"}
        response = await api.http.post(
            "/api/v1/auth/register", json=body, headers=from_address("203.0.113.66")
        )
        assert response.status_code == 201, response.text
    body = {"email": "bot-last@example.org", "password": PASSWORD, "display_name": "Bot"}
    response = await api.http.post("/api/v1/auth/register", json=body, headers=from_address("203.0.113.66"))
    assert_rate_limited(response, "register", "address")
    assert len(hashed) == limit
    assert await fetch_rows(database_url, "SELECT 1 FROM users WHERE email = 'bot-last@example.org'") == []


async def test_the_api_document_declares_the_refusal_of_each_limited_operation(api: Api) -> None:
    document = (await api.http.get("/api/v1/openapi.json")).json()
    limited = [
        ("/api/v1/auth/register", "post"),
        ("/api/v1/questions/{id}/comments", "post"),
        ("/api/v1/comments/{id}", "patch"),
        ("/api/v1/comments/{id}/support", "post"),
        ("/api/v1/comments/{id}/support", "delete"),
        ("/api/v1/comments/{id}/flags", "post"),
        ("/api/v1/spaces/{slug}/questions", "post"),
        ("/api/v1/spaces/{slug}/invitations", "post"),
        ("/api/v1/invitations/accept", "post"),
    ]
    for path, method in limited:
        assert "429" in document["paths"][path][method]["responses"], (path, method)


async def test_questions_and_invitations_are_limited_per_account(api: Api) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    body = {"title": "What about rivers?"}
    assert (
        await scene.request(scene.participant, "POST", f"/spaces/{SLUG}/questions", body)
    ).status_code == 201
    response = await scene.request(scene.participant, "POST", f"/spaces/{SLUG}/questions", body)
    assert_rate_limited(response, "question", "account")
    assert (await scene.request("moderator", "POST", f"/spaces/{SLUG}/invitations", {})).status_code == 201
    response = await scene.request("moderator", "POST", f"/spaces/{SLUG}/invitations", {})
    assert_rate_limited(response, "invitation", "account")


async def test_two_app_processes_share_one_registration_limit_through_redis(
    database_url: str, redis_url: str, bus_prefix: str
) -> None:
    env = app_env(database_url, redis_url, bus_prefix) | {"ROUNDTABLE_RATE_REGISTER_PER_ADDRESS": "2/3600"}
    async with two_processes(env) as (a, b), httpx.AsyncClient(timeout=10) as http:
        for n, process in enumerate((a, b)):
            body = {"email": f"p{n}@example.org", "password": PASSWORD, "display_name": f"P {n}"}
            response = await http.post(f"{process.url}/api/v1/auth/register", json=body)
            assert response.status_code == 201, response.text
        body = {"email": "p-last@example.org", "password": PASSWORD, "display_name": "P"}
        assert_rate_limited(
            await http.post(f"{a.url}/api/v1/auth/register", json=body), "register", "address"
        )


async def test_a_spaces_moderators_post_there_unlimited_and_are_limited_elsewhere(api: Api) -> None:
    scene = await make_scene(api)
    comments = f"/questions/{scene.question_id}/comments"
    for n in range(3):
        body = {"title": f"Numbered question {n}?"}
        posed = await scene.request("moderator", "POST", f"/spaces/{SLUG}/questions", body)
        assert posed.status_code == 201, posed.text
        answer = await scene.request("moderator", "POST", comments, {"body": f"Steering {n}."})
        assert answer.status_code == 201, answer.text
    # A moderator of another space posts here as a participant does.
    for n in range(2):
        response = await scene.request("other_moderator", "POST", comments, {"body": f"Visiting {n}."})
        assert response.status_code == 201, response.text
    response = await scene.request("other_moderator", "POST", comments, {"body": "Once too often."})
    assert_rate_limited(response, "post", "account")
