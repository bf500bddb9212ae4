"""Accounts: registering, logging in and out, profiles, finding users, and the
admin-creating CLI, through the running server."""

import asyncio
import os
import sys
from http.cookies import SimpleCookie
from typing import Any

import httpx
import pytest

from server.running.settings import Settings
from tests.helpers import PASSWORD, Api, User, assert_error, fetch_rows

# Small limits so a test reaches them in a few requests.
MAX_FAILURES_PER_ACCOUNT = 3
MAX_FAILURES_PER_ADDRESS = 6
# Starting Python, applying the schema and hashing a password: a few seconds at most.
CLI_TIMEOUT_SECS = 60


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        redis_url=None,
        # The test client connects from 127.0.0.1: trusted as a proxy, its
        # X-Forwarded-For gives the address a login comes from.
        trusted_proxies=["127.0.0.1"],
        login_max_failures_per_account_address=MAX_FAILURES_PER_ACCOUNT,
        login_max_failures_per_address=MAX_FAILURES_PER_ADDRESS,
    )


def registration(**fields: Any) -> dict[str, Any]:
    return {
        "email": "sarah@example.org",
        "password": PASSWORD,
        "display_name": "Sarah Doyel",
        "affiliation": "IOM",
        "language": "fr",
    } | fields


def session_cookie(response: httpx.Response) -> Any:
    cookies = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        cookies.load(header)
    return cookies["roundtable_session"]


def cookie_header(token: str) -> dict[str, str]:
    """The session cookie as a browser sends it (httpx's per-request cookies are deprecated)."""
    return {"Cookie": f"roundtable_session={token}"}


async def login(
    api: Api, email: str, password: str = PASSWORD, *, address: str | None = None
) -> httpx.Response:
    """Log in; `address` is the client address the server sees (from
    X-Forwarded-For, since the settings trust the test client's 127.0.0.1)."""
    headers = {"X-Forwarded-For": address} if address else {}
    response = await api.http.post(
        "/api/v1/auth/login", json={"email": email, "password": password}, headers=headers
    )
    api.http.cookies.clear()
    return response


async def count_users(database_url: str) -> int:
    rows = await fetch_rows(database_url, "SELECT count(*) AS n FROM users")
    return int(rows[0]["n"])


# ---- Registering -------------------------------------------------------------------------------


async def test_register_creates_the_account_and_sets_an_httponly_samesite_lax_cookie(api: Api) -> None:
    response = await api.http.post("/api/v1/auth/register", json=registration())
    assert response.status_code == 201, response.text
    body = response.json()
    user = body["user"]
    assert user["email"] == "sarah@example.org"
    assert user["display_name"] == "Sarah Doyel"
    assert user["affiliation"] == "IOM"
    assert user["language"] == "fr"
    assert user["handle"] == "sarah_doyel"
    assert user["is_admin"] is False
    assert user["moderator_of"] == []
    assert "password" not in response.text and "argon2" not in response.text

    cookie = session_cookie(response)
    assert cookie.value == body["token"]
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/"
    assert int(cookie["max-age"]) > 0


async def test_the_token_from_registering_works_as_a_bearer_token_and_as_the_cookie(api: Api) -> None:
    response = await api.http.post("/api/v1/auth/register", json=registration())
    token = response.json()["token"]
    api.http.cookies.clear()

    by_bearer = await api.http.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert by_bearer.status_code == 200
    assert by_bearer.json()["email"] == "sarah@example.org"

    by_cookie = await api.http.get("/api/v1/me", headers=cookie_header(token))
    assert by_cookie.status_code == 200
    assert by_cookie.json()["id"] == by_bearer.json()["id"]


async def test_handles_come_from_display_names_and_stay_unique(api: Api) -> None:
    first = await api.register("José Pérez")
    second = await api.register("José Pérez")
    assert first.handle == "jose_perez"
    assert second.handle == "jose_perez2"


async def test_registering_an_email_twice_is_refused_whatever_its_case(api: Api, database_url: str) -> None:
    first = await api.http.post("/api/v1/auth/register", json=registration())
    assert first.status_code == 201
    again = await api.http.post(
        "/api/v1/auth/register", json=registration(email="Sarah@Example.org", display_name="Other")
    )
    assert_error(again, 409, "email_taken")
    assert await count_users(database_url) == 1


async def test_each_bad_registration_gets_its_own_error_and_writes_nothing(
    api: Api, database_url: str
) -> None:
    cases: list[tuple[str, dict[str, Any], int, str]] = [
        ("malformed JSON", {"content": b'{"email": "a@example.org",'}, 400, "malformed_json"),
        ("empty body", {"content": b""}, 400, "malformed_json"),
        ("an array", {"json": [registration()]}, 422, "invalid_body"),
        ("a number for display_name", {"json": registration(display_name=5)}, 422, "invalid_body"),
        ("a string for a number", {"json": registration(language=7)}, 422, "invalid_body"),
        ("null password", {"json": registration(password=None)}, 422, "invalid_body"),
        ("an unknown field", {"json": registration(is_admin=True)}, 422, "invalid_body"),
        ("a missing field", {"json": {"email": "a@example.org", "password": PASSWORD}}, 422, "invalid_body"),
        ("a short password", {"json": registration(password="short")}, 422, "invalid_body"),
        ("a bad email", {"json": registration(email="not-an-email")}, 422, "invalid_body"),
        ("a blank display name", {"json": registration(display_name="   ")}, 422, "invalid_body"),
        ("a bad language code", {"json": registration(language="French")}, 422, "invalid_body"),
        ("a NUL in the name", {"json": registration(display_name="Sa\u0000rah")}, 422, "invalid_body"),
        ("an over-long display name", {"json": registration(display_name="x" * 81)}, 422, "text_too_long"),
        ("an over-long affiliation", {"json": registration(affiliation="x" * 121)}, 422, "text_too_long"),
        (
            "plain text",
            {"content": b"email=a", "headers": {"Content-Type": "text/plain"}},
            415,
            "unsupported_media_type",
        ),
    ]
    for label, request, status, code in cases:
        response = await api.http.post("/api/v1/auth/register", **request)
        assert response.status_code == status, (label, response.text)
        assert_error(response, status, code)
        assert "set-cookie" not in response.headers, label
    assert await count_users(database_url) == 0


async def test_field_errors_name_the_field(api: Api) -> None:
    response = await api.http.post("/api/v1/auth/register", json=registration(display_name=5))
    error = assert_error(response, 422, "invalid_body")
    assert [d["loc"] for d in error["details"]] == [["display_name"]]


# ---- Logging in and out ------------------------------------------------------------------------


async def test_login_returns_a_new_token_and_sets_the_cookie(api: Api) -> None:
    user = await api.register("Sarah Doyel")
    response = await login(api, user.email.upper())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"]["id"] == user.id
    assert body["token"] != user.token
    cookie = session_cookie(response)
    assert cookie.value == body["token"] and cookie["httponly"] is True
    me = await api.http.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["id"] == user.id


async def test_a_wrong_password_and_an_unknown_email_get_the_same_refusal(api: Api) -> None:
    user = await api.register()
    wrong = await login(api, user.email, "not the password")
    unknown = await login(api, "nobody@example.org")
    assert "set-cookie" not in wrong.headers
    assert assert_error(wrong, 401, "invalid_credentials") == assert_error(
        unknown, 401, "invalid_credentials"
    )


async def test_bad_login_bodies_are_refused(api: Api) -> None:
    assert_error(await api.http.post("/api/v1/auth/login", content=b"{"), 400, "malformed_json")
    assert_error(
        await api.http.post("/api/v1/auth/login", json={"email": "a@example.org"}), 422, "invalid_body"
    )
    assert_error(
        await api.http.post("/api/v1/auth/login", json={"email": 1, "password": PASSWORD}),
        422,
        "invalid_body",
    )
    assert_error(
        await api.http.post("/api/v1/auth/login", json={"email": "a@b.org", "password": "x", "remember": 1}),
        422,
        "invalid_body",
    )


async def test_failed_logins_for_one_account_stop_that_address_even_with_the_right_password(
    api: Api,
) -> None:
    sarah = await api.register("Sarah")
    tom = await api.register("Tom")
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert_error(await login(api, sarah.email, "guess"), 401, "invalid_credentials")
    # The email's case does not open a second count.
    response = await login(api, sarah.email.upper())
    error = assert_error(response, 429, "too_many_login_attempts")
    assert error["details"]["retry_at"] and error["details"]["scope"] == "account_address"
    assert int(response.headers["Retry-After"]) > 0
    # Another account from the same address is not locked.
    assert (await login(api, tom.email)).status_code == 200


async def test_a_guesser_elsewhere_cannot_lock_the_owner_out_of_their_account(api: Api) -> None:
    moderator = await api.register("Maya Moderator")
    for _ in range(MAX_FAILURES_PER_ACCOUNT + 2):
        await login(api, moderator.email, "guess", address="203.0.113.7")
    assert_error(await login(api, moderator.email, address="203.0.113.7"), 429, "too_many_login_attempts")
    # The owner, on their own address, logs in with their password as ever.
    assert (await login(api, moderator.email, address="198.51.100.2")).status_code == 200
    assert (await login(api, moderator.email)).status_code == 200


async def test_parallel_guesses_are_each_counted_before_the_password_is_checked(api: Api) -> None:
    sarah = await api.register("Sarah")
    guesses = await asyncio.gather(
        *(login(api, sarah.email, f"guess{n}", address="203.0.113.9") for n in range(10))
    )
    checked = [r for r in guesses if r.status_code == 401]
    refused = [r for r in guesses if r.status_code == 429]
    assert len(checked) == MAX_FAILURES_PER_ACCOUNT and len(refused) == 10 - MAX_FAILURES_PER_ACCOUNT


async def test_a_right_password_does_not_count_against_the_address(api: Api) -> None:
    sarah = await api.register("Sarah")
    for _ in range(MAX_FAILURES_PER_ADDRESS + 2):
        assert (await login(api, sarah.email)).status_code == 200


async def test_failed_logins_from_one_address_lock_every_account_from_it(api: Api) -> None:
    sarah = await api.register("Sarah")
    for n in range(MAX_FAILURES_PER_ADDRESS):
        assert_error(await login(api, f"guess{n}@example.org", "guess"), 401, "invalid_credentials")
    assert_error(await login(api, sarah.email), 429, "too_many_login_attempts")


async def test_a_locked_address_can_still_register(api: Api, database_url: str) -> None:
    for n in range(MAX_FAILURES_PER_ADDRESS):
        await login(api, f"guess{n}@example.org", "guess")
    response = await api.http.post("/api/v1/auth/register", json=registration())
    assert response.status_code == 201, response.text
    assert await count_users(database_url) == 1


async def test_a_successful_login_clears_the_accounts_failures(api: Api) -> None:
    sarah = await api.register("Sarah")
    for _ in range(MAX_FAILURES_PER_ACCOUNT - 1):
        await login(api, sarah.email, "guess")
    assert (await login(api, sarah.email)).status_code == 200
    for _ in range(MAX_FAILURES_PER_ACCOUNT - 1):
        await login(api, sarah.email, "guess")
    assert (await login(api, sarah.email)).status_code == 200


async def test_logout_ends_that_session_only_and_clears_the_cookie(api: Api) -> None:
    user = await api.register()
    other = (await login(api, user.email)).json()["token"]
    response = await api.http.post("/api/v1/auth/logout", headers=user.headers)
    assert response.status_code == 200
    assert response.json() == {"logged_out": True}
    cookie = session_cookie(response)
    assert cookie.value == "" and int(cookie["max-age"]) == 0
    assert_error(await api.http.get("/api/v1/me", headers=user.headers), 401, "not_authenticated")
    still = await api.http.get("/api/v1/me", headers={"Authorization": f"Bearer {other}"})
    assert still.status_code == 200


async def test_logout_by_cookie_ends_the_browser_session(api: Api) -> None:
    user = await api.register()
    response = await api.http.post("/api/v1/auth/logout", headers=cookie_header(user.token))
    assert response.status_code == 200
    assert_error(
        await api.http.get("/api/v1/me", headers=cookie_header(user.token)), 401, "not_authenticated"
    )


async def test_logging_out_without_a_session_is_harmless(api: Api) -> None:
    response = await api.http.post("/api/v1/auth/logout")
    assert response.status_code == 200
    assert response.json() == {"logged_out": True}


# ---- The current user --------------------------------------------------------------------------


async def test_the_session_names_the_caller_and_answers_an_anonymous_reader_with_null(api: Api) -> None:
    user = await api.register("Sarah Doyel")
    anonymous = await api.http.get("/api/v1/auth/session")
    assert anonymous.status_code == 200
    assert anonymous.json() == {"user": None}
    by_cookie = await api.http.get("/api/v1/auth/session", headers=cookie_header(user.token))
    assert by_cookie.status_code == 200
    assert by_cookie.json()["user"]["display_name"] == "Sarah Doyel"
    assert by_cookie.json()["user"] == (await api.http.get("/api/v1/me", headers=user.headers)).json()
    unknown = await api.http.get("/api/v1/auth/session", headers=cookie_header("not-a-session"))
    assert unknown.json() == {"user": None}


async def test_me_needs_a_valid_session(api: Api) -> None:
    assert_error(await api.http.get("/api/v1/me"), 401, "not_authenticated")
    for header in ("Bearer not-a-token", "Bearer " + "x" * 500, "Basic dXNlcjpwYXNz", "Bearer"):
        response = await api.http.get("/api/v1/me", headers={"Authorization": header})
        assert_error(response, 401, "not_authenticated")


async def test_me_lists_the_spaces_a_moderator_moderates(api: Api) -> None:
    await api.space("water")
    await api.space("air")
    moderator = await api.moderator("water")
    me = (await api.http.get("/api/v1/me", headers=moderator.headers)).json()
    assert me["moderator_of"] == ["water"]
    assert me["is_admin"] is False


async def test_a_user_edits_their_profile(api: Api) -> None:
    user = await api.register("Sarah", affiliation="IOM")
    response = await api.http.patch(
        "/api/v1/me", json={"display_name": "Sarah Doyel", "language": "es"}, headers=user.headers
    )
    assert response.status_code == 200, response.text
    me = response.json()
    assert (me["display_name"], me["affiliation"], me["language"]) == ("Sarah Doyel", "IOM", "es")
    assert me["handle"] == user.handle

    cleared = await api.http.patch("/api/v1/me", json={"affiliation": None}, headers=user.headers)
    assert cleared.json()["affiliation"] is None
    again = (await api.http.get("/api/v1/me", headers=user.headers)).json()
    assert (again["display_name"], again["affiliation"], again["language"]) == ("Sarah Doyel", None, "es")


async def test_bad_profile_edits_are_refused_and_change_nothing(api: Api) -> None:
    user = await api.register("Sarah", affiliation="IOM")
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"display_name": "x" * 81}, 422, "text_too_long"),
        ({"display_name": 5}, 422, "invalid_body"),
        ({"display_name": "  "}, 422, "invalid_body"),
        ({"language": "Spanish"}, 422, "invalid_body"),
        ({"email": "new@example.org"}, 422, "invalid_body"),
        ({"is_admin": True}, 422, "invalid_body"),
    ]
    for body, status, code in cases:
        assert_error(await api.http.patch("/api/v1/me", json=body, headers=user.headers), status, code)
    assert_error(
        await api.http.patch("/api/v1/me", content=b"{", headers=user.headers), 400, "malformed_json"
    )
    assert_error(await api.http.patch("/api/v1/me", json={"display_name": "X"}), 401, "not_authenticated")
    me = (await api.http.get("/api/v1/me", headers=user.headers)).json()
    assert (me["display_name"], me["affiliation"], me["is_admin"]) == ("Sarah", "IOM", False)


# ---- Finding users -----------------------------------------------------------------------------


async def test_moderators_and_admins_search_users_and_others_may_not(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    moderator = await api.moderator("water", "Moderator Mo")
    sarah = await api.register("Sarah Doyel")
    await api.comment(sarah, question["id"])  # one of the moderator's participants
    admin = await api.admin()

    for who in (moderator, admin):
        response = await api.http.get("/api/v1/users", params={"q": "DOYEL"}, headers=who.headers)
        assert response.status_code == 200, response.text
        assert [u["id"] for u in response.json()["items"]] == [sarah.id]
        assert "email" not in response.json()["items"][0]
    by_email = await api.http.get("/api/v1/users", params={"q": sarah.email}, headers=admin.headers)
    assert [u["id"] for u in by_email.json()["items"]] == [sarah.id]

    assert_error(
        await api.http.get("/api/v1/users", params={"q": "a"}, headers=sarah.headers), 403, "forbidden"
    )
    assert_error(await api.http.get("/api/v1/users", params={"q": "a"}), 401, "not_authenticated")
    assert_error(await api.http.get("/api/v1/users", headers=admin.headers), 422, "invalid_query")
    assert_error(
        await api.http.get("/api/v1/users", params={"q": ""}, headers=admin.headers), 422, "invalid_query"
    )


async def test_anyone_reads_a_users_public_profile_by_handle(api: Api) -> None:
    sarah = await api.register("Sarah Doyel", affiliation="IOM")
    for headers in ({}, sarah.headers):
        response = await api.http.get("/api/v1/users/Sarah_Doyel", headers=headers)
        assert response.status_code == 200
        assert response.json() == {
            "id": sarah.id,
            "display_name": "Sarah Doyel",
            "handle": "sarah_doyel",
            "affiliation": "IOM",
        }
    assert_error(await api.http.get("/api/v1/users/nobody"), 404, "user_not_found")


# ---- The CLI -----------------------------------------------------------------------------------


async def run_cli(database_url: str, *args: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUNDTABLE_")}
    env["DATABASE_URL"] = database_url
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "server",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    async with asyncio.timeout(CLI_TIMEOUT_SECS):
        output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_create_admin_cli_makes_an_admin_who_can_log_in_and_create_spaces(
    api: Api, database_url: str
) -> None:
    code, output = await run_cli(
        database_url, "create-admin", "boss@example.org", "--password", PASSWORD, "--name", "The Boss"
    )
    assert code == 0, output
    assert "boss@example.org" in output

    response = await login(api, "boss@example.org")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"]["is_admin"] is True
    assert body["user"]["display_name"] == "The Boss"
    boss = User(body["user"]["id"], "boss@example.org", body["token"], body["user"]["handle"], "The Boss")
    created = await api.http.post(
        "/api/v1/spaces", json={"slug": "water", "title": "Water"}, headers=boss.headers
    )
    assert created.status_code == 201, created.text


async def test_create_admin_cli_refuses_a_short_password_and_creates_nobody(database_url: str) -> None:
    code, output = await run_cli(
        database_url, "create-admin", "boss@example.org", "--password", "short", "--name", "The Boss"
    )
    assert code != 0
    assert "password" in output
    assert await count_users(database_url) == 0


async def test_migrate_cli_reports_the_schema_version(database_url: str) -> None:
    code, output = await run_cli(database_url, "migrate")
    assert code == 0, output
    assert "Schema is at version 1" in output
