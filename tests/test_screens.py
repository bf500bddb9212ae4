"""Screen tokens: read-only live access to one space, counted as screens, revocable at once."""

import asyncio
import hashlib
from collections.abc import AsyncIterator

import httpx
import pytest

from server.running.settings import Settings
from tests.helpers import Api, RunningServer, assert_error, assert_frame, fetch_rows, start_server
from tests.live import LiveClient, live_client, sse_client
from tests.space_helpers import as_admin, close_code, ok, post_comment, screen_token

SCHEDULER_INTERVAL_SECS = 0.2


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        redis_url=None,
        scheduler_interval_secs=SCHEDULER_INTERVAL_SECS,
        presence_interval_secs=0.2,
    )


async def screens_present(live: LiveClient, expected: int) -> None:
    async with asyncio.timeout(5):
        while (await live.receive_type("presence"))["screens"] != expected:
            pass


async def test_a_screen_follows_its_space_publicly_and_counts_as_a_screen(
    api: Api, server: RunningServer, database_url: str
) -> None:
    await api.space("water", moderation="pre")
    await api.space("air")
    moderator = await api.moderator("water")
    question = await api.question("water")
    screen = await screen_token(api, "water", "Plenary, left wall")
    assert screen["name"] == "Plenary, left wall"
    [row] = await fetch_rows(database_url, "SELECT token_hash FROM screen_tokens")
    assert row["token_hash"] == hashlib.sha256(screen["token"].encode()).digest()
    listed = await ok(await api.http.get("/api/v1/spaces/water/screens", headers=moderator.headers))
    assert screen["token"] not in str(listed)
    sarah = await api.register("Sarah")
    async with (
        live_client(f"{server.ws_url}?screen_token={screen['token']}") as by_query,
        live_client(server.ws_url, Authorization=f"Screen {screen['token']}") as by_header,
    ):
        for wall in (by_query, by_header):
            snapshot = assert_frame(await wall.subscribe("water"), "snapshot")
            assert snapshot["role"] == "public"
        await screens_present(by_query, 2)
        held = await api.comment(sarah, question["id"], "Held for review.")
        published = await api.comment(moderator, question["id"], "On the wall.")
        for wall in (by_query, by_header):
            events = await wall.events_through(published["event_seq"])
            assert [e["data"]["comment"]["body"] for e in events] == ["On the wall."]
            assert held["event_seq"] not in [e["seq"] for e in events]
        await by_query.send({"type": "subscribe", "space": "air"})
        error = assert_frame(await by_query.receive(), "error")
        assert (error["code"], error["space"]) == ("space_not_found", "air")
        await by_query.send({"type": "typing", "space": "water", "question_id": question["id"]})
        assert assert_frame(await by_query.receive(), "error")["code"] == "not_authenticated"
    async with sse_client(api.http, "water", screen_token=screen["token"]) as stream:
        assert (await stream.receive())["role"] == "public"


async def test_a_screen_token_can_do_nothing_but_read(api: Api, database_url: str) -> None:
    await api.space("water")
    question = await api.question("water")
    screen = await screen_token(api, "water")
    token = screen["token"]
    qid = question["id"]
    path = f"/api/v1/questions/{qid}/comments"
    # Presented as a screen token, it is refused as one; passed off as a session
    # token or a query parameter, it is no credential at all.
    for headers, params, refused in (
        ({"Authorization": f"Screen {token}"}, {}, (403, "screen_read_only")),
        ({"Authorization": f"Bearer {token}"}, {}, (401, "not_authenticated")),
        ({}, {"screen_token": token}, (401, "not_authenticated")),
    ):
        response = await api.http.post(path, json={"body": "From the wall"}, headers=headers, params=params)
        assert_error(response, *refused)
        response = await api.http.post("/api/v1/spaces/water/lock", json={"reason": "spam"}, headers=headers)
        assert_error(response, *refused)
        assert_error(await api.http.get("/api/v1/me", headers=headers, params=params), *refused)
    as_screen = {"Authorization": f"Screen {token}"}
    assert (await api.http.get("/api/v1/spaces/water/spotlight", headers=as_screen)).status_code == 200
    assert (await fetch_rows(database_url, "SELECT count(*) AS n FROM comments"))[0]["n"] == 0


async def test_revoking_a_screen_token_closes_its_connections_and_refuses_new_ones(
    api: Api, server: RunningServer
) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    screen = await screen_token(api, "water")
    url = f"{server.ws_url}?screen_token={screen['token']}"
    async with (
        live_client(url) as wall,
        live_client(server.ws_url) as anonymous,
        live_client(server.ws_url, moderator.token) as steward,
        sse_client(api.http, "water", screen_token=screen["token"]) as stream,
    ):
        for live in (wall, anonymous, steward):
            await live.subscribe("water")
        assert (await stream.receive())["type"] == "snapshot"
        revoked = await ok(
            await api.http.delete(f"/api/v1/spaces/water/screens/{screen['id']}", headers=moderator.headers)
        )
        assert revoked["revoked_at"] is not None
        async with asyncio.timeout(1):
            error = await wall.receive_type("error")
            assert error["code"] == "unauthorized"
            assert await close_code(wall) == 4001
        async with asyncio.timeout(1):
            while (await stream.receive())["type"] != "error":
                pass
            with pytest.raises(EOFError):
                await stream.receive()
        [to_steward] = await steward.events_through(revoked["event_seq"])
        assert (to_steward["type"], to_steward["data"]["audit"]["action"]) == (
            "screen.revoked",
            "screen.revoke",
        )
        marker = await api.comment(moderator, (await api.question("water"))["id"], "Marker.")
        assert "screen.revoked" not in [
            e["type"] for e in await anonymous.events_through(marker["event_seq"])
        ]
    async with live_client(url) as again:
        assert assert_frame(await again.receive(), "error")["code"] == "unauthorized"
        assert await close_code(again) == 4001
    response = await api.http.get("/api/v1/spaces/water/events", params={"screen_token": screen["token"]})
    assert_error(response, 401, "invalid_screen_token")
    again_revoke = await ok(
        await api.http.delete(f"/api/v1/spaces/water/screens/{screen['id']}", headers=moderator.headers)
    )
    assert again_revoke["event_seq"] is None


@pytest.fixture
async def second_server(settings: Settings) -> AsyncIterator[RunningServer]:
    async with start_server(settings) as running:
        yield running


async def test_a_revoke_on_one_process_closes_the_screen_on_another_within_a_second(
    api: Api, second_server: RunningServer
) -> None:
    await api.space("water")
    screen = await screen_token(api, "water")
    async with live_client(f"{second_server.ws_url}?screen_token={screen['token']}") as wall:
        await wall.subscribe("water")
        await ok(await as_admin(api, "DELETE", f"/api/v1/spaces/water/screens/{screen['id']}"))
        async with asyncio.timeout(1):
            assert await close_code(wall) == 4001


async def test_screen_tokens_of_another_space_are_not_found(api: Api) -> None:
    await api.space("water")
    await api.space("air")
    screen = await screen_token(api, "air")
    assert_error(
        await as_admin(api, "DELETE", f"/api/v1/spaces/water/screens/{screen['id']}"), 404, "screen_not_found"
    )
    async with httpx.AsyncClient(base_url=api.http.base_url) as http:
        response = await http.get(
            "/api/v1/spaces/water/events", params={"screen_token": screen["token"], "since": 0}
        )
        assert_error(response, 404, "space_not_found")
    sarah = await api.register("Sarah")
    assert (await post_comment(api, sarah, (await api.question("air"))["id"])).status_code == 201
