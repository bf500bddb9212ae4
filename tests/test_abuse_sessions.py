"""A live connection lasts no longer than the session it was opened with:
logout, logout everywhere, a password change, expiry and suspension close it,
at once on the process that ended the session and within the scheduler's
interval on every other."""

from typing import Any

from server.access.identity import token_hash
from tests.helpers import PASSWORD, Api, RunningServer, User, assert_error, fetch_rows
from tests.live import LiveClient, live_client
from tests.moderation import SLUG, Scene, make_scene
from tests.space_helpers import close_code

NEW_PASSWORD = "a much longer passphrase"


async def second_session(api: Api, user: User, password: str = PASSWORD) -> User:
    """The same account logged in again: another session with its own token."""
    response = await api.http.post("/api/v1/auth/login", json={"email": user.email, "password": password})
    assert response.status_code == 200, response.text
    api.http.cookies.clear()
    return User(user.id, user.email, response.json()["token"], user.handle, user.display_name)


async def pending_text_reaches(scene: Scene, live: LiveClient, text: str) -> None:
    """A held author's comment, seen only by moderators, arrives on this socket with its text."""
    comment = await scene.pending(text)
    while True:
        message = await live.receive_type("events")
        created = [e for e in message["events"] if e["type"] == "comment.created"]
        if any(e["data"]["comment"]["id"] == comment["id"] for e in created):
            [event] = [e for e in created if e["data"]["comment"]["id"] == comment["id"]]
            assert text in event["data"]["comment"]["body"], event
            return


async def test_a_moderators_socket_stops_receiving_moderators_only_text_after_that_session_logs_out(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    desk = await second_session(api, scene.moderator)
    async with (
        live_client(server.ws_url, scene.moderator.token) as laptop_live,
        live_client(server.ws_url, desk.token) as desk_live,
    ):
        await laptop_live.subscribe(SLUG)
        await desk_live.subscribe(SLUG)
        await pending_text_reaches(scene, laptop_live, "Before the laptop logs out.")
        await pending_text_reaches(scene, desk_live, "Before the laptop logs out.")

        logout = await api.http.post("/api/v1/auth/logout", headers=scene.moderator.headers)
        assert logout.status_code == 200, logout.text

        assert await close_code(laptop_live) == 4001
        # The other session of the same moderator keeps its connection and its text.
        await pending_text_reaches(scene, desk_live, "After the laptop logged out.")
    assert_error(await api.http.get("/api/v1/me", headers=scene.moderator.headers), 401, "not_authenticated")


async def test_a_session_ended_by_another_process_or_expired_closes_its_connections_within_the_interval(
    api: Api, server: RunningServer, database_url: str
) -> None:
    scene = await make_scene(api)
    desk = await second_session(api, scene.moderator)
    async with (
        live_client(server.ws_url, scene.moderator.token) as ended_live,
        live_client(server.ws_url, desk.token) as expired_live,
    ):
        await ended_live.subscribe(SLUG)
        await expired_live.subscribe(SLUG)
        # What another process's logout does to the database; this process hears nothing of it.
        await fetch_rows(
            database_url, "DELETE FROM sessions WHERE token_hash = $1", token_hash(scene.moderator.token)
        )
        assert await close_code(ended_live) == 4001
        await pending_text_reaches(scene, expired_live, "The desk's session is still valid.")
        await fetch_rows(
            database_url,
            "UPDATE sessions SET expires_at = now() WHERE token_hash = $1",
            token_hash(desk.token),
        )
        assert await close_code(expired_live) == 4001


async def test_logging_out_everywhere_ends_every_session_of_the_account_and_its_connections(
    api: Api, server: RunningServer, database_url: str
) -> None:
    scene = await make_scene(api)
    phone = await second_session(api, scene.moderator)
    bystander = scene.participant
    async with (
        live_client(server.ws_url, scene.moderator.token) as laptop_live,
        live_client(server.ws_url, phone.token) as phone_live,
        live_client(server.ws_url, bystander.token) as bystander_live,
    ):
        for live in (laptop_live, phone_live, bystander_live):
            await live.subscribe(SLUG)
        response = await api.http.post("/api/v1/auth/logout-all", headers=phone.headers)
        assert response.status_code == 200, response.text
        assert response.json() == {"sessions_ended": 2}
        assert await close_code(laptop_live) == 4001
        assert await close_code(phone_live) == 4001
        # Someone else's connection is untouched.
        await scene.published("Still flowing for the others.")
        message = await bystander_live.receive_type("events")
        assert message["events"][0]["type"] == "comment.created"
    for token in (scene.moderator, phone):
        assert_error(await api.http.get("/api/v1/me", headers=token.headers), 401, "not_authenticated")
    rows = await fetch_rows(
        database_url, "SELECT count(*) AS n FROM sessions WHERE user_id = $1", scene.moderator.id
    )
    assert rows[0]["n"] == 0
    assert_error(await api.http.post("/api/v1/auth/logout-all"), 401, "not_authenticated")


async def test_a_password_change_ends_the_other_sessions_and_keeps_the_one_that_changed_it(
    api: Api, server: RunningServer
) -> None:
    scene = await make_scene(api)
    moderator = scene.moderator
    stolen = await second_session(api, moderator)
    change: dict[str, Any] = {"new_password": NEW_PASSWORD}
    async with (
        live_client(server.ws_url, moderator.token) as own_live,
        live_client(server.ws_url, stolen.token) as stolen_live,
    ):
        await own_live.subscribe(SLUG)
        await stolen_live.subscribe(SLUG)
        for wrong in (change, change | {"current_password": "not the password"}):
            assert_error(
                await api.http.patch("/api/v1/me", json=wrong, headers=moderator.headers),
                403,
                "wrong_password",
            )
        # Refused: nothing changed, both sessions still work.
        assert (await api.http.get("/api/v1/me", headers=stolen.headers)).status_code == 200

        changed = await api.http.patch(
            "/api/v1/me", json=change | {"current_password": PASSWORD}, headers=moderator.headers
        )
        assert changed.status_code == 200, changed.text
        assert await close_code(stolen_live) == 4001
        await pending_text_reaches(scene, own_live, "The changer keeps reading.")
    assert_error(await api.http.get("/api/v1/me", headers=stolen.headers), 401, "not_authenticated")
    assert (await api.http.get("/api/v1/me", headers=moderator.headers)).status_code == 200
    old = await api.http.post("/api/v1/auth/login", json={"email": moderator.email, "password": PASSWORD})
    assert_error(old, 401, "invalid_credentials")
    await second_session(api, moderator, NEW_PASSWORD)
