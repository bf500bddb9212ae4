"""Bad input on the live endpoints, heartbeats and audiences.

Each bad input gets the error or close code docs/protocol.md documents; where
the connection stays open it still answers `ping`, and another client on the
same space keeps receiving events throughout.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from server.live import messages
from server.live.ws import MAX_MESSAGE_CHARS, MAX_SUBSCRIPTIONS
from server.running.settings import Settings
from tests.helpers import (
    SERVER_START_TIMEOUT_SECS,
    Api,
    RunningServer,
    User,
    assert_error,
    assert_frame,
    start_server,
)
from tests.live import RECEIVE_TIMEOUT_SECS, LiveClient, live_client, sse_client

SLUG = "water"
# Only the heartbeat test waits for one; a third of a second keeps it quick
# while the other tests simply skip them.
HEARTBEAT_INTERVAL_SECS = 0.3
# How long a test watches a socket to be sure something does not arrive:
# several heartbeats, and far longer than a delivery takes on this machine.
QUIET_SECS = 1.0


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url, redis_url=None, heartbeat_interval_secs=HEARTBEAT_INTERVAL_SECS
    )


@dataclass
class Scene:
    """An open space with one question and a participant who comments on it."""

    api: Api
    server: RunningServer
    question_id: int
    author: User

    async def post(self, body: str = "Still flowing.") -> int:
        """Post a comment; return the seq of its event."""
        comment = await self.api.comment(self.author, self.question_id, body)
        seq: int = comment["event_seq"]
        return seq


@pytest.fixture
async def scene(api: Api, server: RunningServer) -> Scene:
    await api.space(SLUG)
    question = await api.question(SLUG)
    return Scene(api, server, question["id"], await api.register("Alice"))


@pytest.fixture
async def bystander(scene: Scene) -> AsyncIterator[LiveClient]:
    """Another client on the same space, which must not notice anyone else's bad input."""
    async with live_client(scene.server.ws_url) as live:
        assert_frame(await live.subscribe(SLUG), "snapshot")
        yield live


def assert_live_error(message: dict[str, Any], code: str, *, space: str | None = None) -> dict[str, Any]:
    """An `error` message with this code and its documented message."""
    assert_frame(message, "error")
    assert message["code"] == code, message
    assert message["message"] == messages.ERROR_CODES[code], message
    assert message.get("space") == space, message
    assert set(message) <= {"type", "code", "message", "space", "details"}, message
    return message


async def assert_still_open(live: LiveClient) -> None:
    await live.send({"type": "ping"})
    assert await live.receive() == {"type": "pong"}


async def assert_still_delivered(scene: Scene, bystander: LiveClient) -> None:
    seq = await scene.post()
    events = await bystander.events_through(seq)
    assert events[-1]["seq"] == seq and events[-1]["type"] == "comment.created"


async def assert_closed_with(live: LiveClient, code: int) -> None:
    with pytest.raises(ConnectionClosed) as closed:
        await live.receive()
    assert closed.value.rcvd is not None, "the server closed without a close frame"
    assert closed.value.rcvd.code == code
    assert closed.value.rcvd.reason == messages.CLOSE_CODES[code]


async def assert_sends_nothing_new(live: LiveClient, *, after: int) -> None:
    """No event past seq `after` arrives within QUIET_SECS."""
    with pytest.raises(TimeoutError):
        await live.events_through(after + 1, timeout=QUIET_SECS)


# ---- bad frames: an error, and the connection stays open -----------------------


@pytest.mark.parametrize(
    ("sent", "code"),
    [
        pytest.param("{not json", "invalid_json", id="malformed-json"),
        pytest.param(b"\x00\x01", "binary_not_supported", id="binary"),
        pytest.param("x" * (MAX_MESSAGE_CHARS + 1), "message_too_large", id="too-long"),
    ],
)
async def test_unreadable_frame_gets_its_error_and_the_socket_stays_open(
    scene: Scene, bystander: LiveClient, sent: str | bytes, code: str
) -> None:
    async with live_client(scene.server.ws_url) as live:
        await live.send(sent)
        assert_live_error(await live.receive(), code)
        await assert_still_open(live)
        await assert_still_delivered(scene, bystander)


async def test_message_too_large_says_the_limit(scene: Scene) -> None:
    async with live_client(scene.server.ws_url) as live:
        await live.send('{"type": "ping", "pad": "' + "x" * MAX_MESSAGE_CHARS + '"}')
        error = assert_live_error(await live.receive(), "message_too_large")
        assert error["details"] == {"max_chars": MAX_MESSAGE_CHARS}


@pytest.mark.parametrize(
    ("sent", "error_type", "loc"),
    [
        pytest.param({"type": "dance"}, "union_tag_invalid", [], id="unknown-type"),
        pytest.param({"space": SLUG}, "union_tag_not_found", [], id="no-type"),
        pytest.param({"type": "subscribe"}, "missing", ["subscribe", "space"], id="missing-space"),
        pytest.param(
            {"type": "typing", "space": SLUG}, "missing", ["typing", "question_id"], id="missing-question"
        ),
        pytest.param(
            {"type": "subscribe", "space": SLUG, "since": "3"}, "int_type", ["subscribe", "since"],
            id="since-as-string",
        ),
        pytest.param({"type": "ping", "extra": 1}, "extra_forbidden", ["ping", "extra"], id="unknown-field"),
        pytest.param(
            {"type": "subscribe", "space": "Not A Slug"}, "string_pattern_mismatch", ["subscribe", "space"],
            id="bad-slug",
        ),
        pytest.param('[{"type": "ping"}]', "model_attributes_type", [], id="not-an-object"),
    ],
)
async def test_message_that_fits_no_type_gets_invalid_message_with_pydantic_details(
    scene: Scene, bystander: LiveClient, sent: dict[str, Any] | str, error_type: str, loc: list[str]
) -> None:
    async with live_client(scene.server.ws_url) as live:
        await live.send(sent)
        error = assert_live_error(await live.receive(), "invalid_message")
        assert [(d["type"], d["loc"]) for d in error["details"]] == [(error_type, loc)]
        await assert_still_open(live)
        await assert_still_delivered(scene, bystander)


async def test_frame_over_the_transport_limit_closes_with_1009(scene: Scene, bystander: LiveClient) -> None:
    # The transport's limit is the live_max_frame_bytes setting (server/running/cli.py).
    async with live_client(scene.server.ws_url) as live:
        with pytest.raises(ConnectionClosed) as closed:
            # The server may close while the frame is still being sent.
            await live.send("x" * (scene.server.settings.live_max_frame_bytes + 1))
            await live.receive()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == messages.CLOSE_MESSAGE_TOO_BIG
    await assert_still_delivered(scene, bystander)


# ---- subscriptions ------------------------------------------------------------


async def test_subscribing_to_a_space_that_does_not_exist_gets_space_not_found(
    scene: Scene, bystander: LiveClient
) -> None:
    async with live_client(scene.server.ws_url) as live:
        await live.send({"type": "subscribe", "space": "no-such-space", "since": None})
        assert_live_error(await live.receive(), "space_not_found", space="no-such-space")
        await assert_still_open(live)
        await assert_still_delivered(scene, bystander)


async def test_draft_space_is_not_found_for_a_participant_but_open_to_its_moderator(
    scene: Scene, bystander: LiveClient
) -> None:
    await scene.api.space("draft-plan", status="draft")
    moderator = await scene.api.moderator("draft-plan")
    async with (
        live_client(scene.server.ws_url, scene.author.token) as participant,
        live_client(scene.server.ws_url) as anonymous,
        live_client(scene.server.ws_url, moderator.token) as steward,
    ):
        for live in (participant, anonymous):
            await live.send({"type": "subscribe", "space": "draft-plan"})
            assert_live_error(await live.receive(), "space_not_found", space="draft-plan")
            await assert_still_open(live)
        snapshot = assert_frame(await steward.subscribe("draft-plan"), "snapshot")
        assert snapshot["role"] == "moderators"
        assert snapshot["state"]["space"]["status"] == "draft"
    await assert_still_delivered(scene, bystander)


async def test_subscribing_twice_gets_already_subscribed_and_keeps_the_first_subscription(
    scene: Scene, bystander: LiveClient
) -> None:
    async with live_client(scene.server.ws_url) as live:
        snapshot = assert_frame(await live.subscribe(SLUG), "snapshot")
        await live.send({"type": "subscribe", "space": SLUG, "since": None})
        assert_live_error(await live.receive(), "already_subscribed", space=SLUG)
        await assert_still_open(live)
        seq = await scene.post()
        assert [e["seq"] for e in await live.events_through(seq)] == [snapshot["seq"] + 1]
    await assert_still_delivered(scene, bystander)


async def test_unsubscribe_and_typing_without_a_subscription_get_not_subscribed(
    scene: Scene, bystander: LiveClient
) -> None:
    async with live_client(scene.server.ws_url, scene.author.token) as live:
        await live.send({"type": "unsubscribe", "space": SLUG})
        assert_live_error(await live.receive(), "not_subscribed", space=SLUG)
        await live.send({"type": "typing", "space": SLUG, "question_id": scene.question_id})
        assert_live_error(await live.receive(), "not_subscribed", space=SLUG)
        await assert_still_open(live)
        await assert_still_delivered(scene, bystander)


async def test_unsubscribed_client_stops_receiving_that_space(scene: Scene, bystander: LiveClient) -> None:
    async with live_client(scene.server.ws_url) as live:
        snapshot = assert_frame(await live.subscribe(SLUG), "snapshot")
        await live.send({"type": "unsubscribe", "space": SLUG})
        assert await live.receive() == {"type": "unsubscribed", "space": SLUG}
        await assert_still_delivered(scene, bystander)
        await assert_sends_nothing_new(live, after=snapshot["seq"])
        await assert_still_open(live)


async def test_typing_while_anonymous_gets_not_authenticated(scene: Scene, bystander: LiveClient) -> None:
    async with live_client(scene.server.ws_url) as live:
        assert_frame(await live.subscribe(SLUG), "snapshot")
        await live.send({"type": "typing", "space": SLUG, "question_id": scene.question_id})
        assert_live_error(await live.receive(), "not_authenticated", space=SLUG)
        await assert_still_open(live)
        await assert_still_delivered(scene, bystander)


async def test_typing_on_a_question_that_is_not_open_in_the_space_gets_question_not_found(
    scene: Scene, bystander: LiveClient
) -> None:
    closed = await scene.api.question(SLUG, "Closed already?")
    admin = await scene.api.admin()
    response = await scene.api.http.patch(
        f"/api/v1/questions/{closed['id']}", json={"status": "closed"}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    async with live_client(scene.server.ws_url, scene.author.token) as live:
        assert_frame(await live.subscribe(SLUG), "snapshot")
        for question_id in (closed["id"], 999_999):
            await live.send({"type": "typing", "space": SLUG, "question_id": question_id})
            assert_live_error(await live.receive(), "question_not_found", space=SLUG)
        await assert_still_open(live)
        await assert_still_delivered(scene, bystander)


@pytest.mark.parametrize(
    ("since", "epoch", "reason"),
    [
        pytest.param(1_000_000, None, "unknown_seq", id="seq-from-the-future"),
        pytest.param(0, "not-the-epoch", "epoch_changed", id="wrong-epoch"),
    ],
)
async def test_resume_refused_with_resync_leaves_no_subscription_so_a_fresh_one_works(
    scene: Scene, bystander: LiveClient, since: int, epoch: str | None, reason: str
) -> None:
    async with live_client(scene.server.ws_url) as live:
        resync = await live.subscribe(SLUG, since=since, epoch=epoch)
        assert resync == {"type": "resync", "space": SLUG, "reason": reason}
        snapshot = assert_frame(await live.subscribe(SLUG), "snapshot")
        seq = await scene.post()
        assert [e["seq"] for e in await live.events_through(seq)] == [snapshot["seq"] + 1]
        await assert_still_delivered(scene, bystander)


async def test_subscribing_past_the_limit_gets_too_many_subscriptions(scene: Scene) -> None:
    slugs = [f"space-{n}" for n in range(MAX_SUBSCRIPTIONS)]
    for slug in slugs:
        await scene.api.space(slug)
    async with live_client(scene.server.ws_url) as live:
        for slug in slugs:
            assert_frame(await live.subscribe(slug), "snapshot")
        await live.send({"type": "subscribe", "space": SLUG})
        error = assert_live_error(await live.receive(), "too_many_subscriptions")
        assert error["details"] == {"max": MAX_SUBSCRIPTIONS}
        await assert_still_open(live)


# ---- refused handshakes: an error, then a 4xxx close ---------------------------


async def test_foreign_origin_gets_origin_not_allowed_then_close_4003(
    scene: Scene, bystander: LiveClient
) -> None:
    async with live_client(scene.server.ws_url, Origin="https://elsewhere.example") as live:
        assert_live_error(await live.receive(), "origin_not_allowed")
        await assert_closed_with(live, messages.CLOSE_ORIGIN_NOT_ALLOWED)
    await assert_still_delivered(scene, bystander)


async def test_servers_own_origin_is_accepted(scene: Scene) -> None:
    async with live_client(scene.server.ws_url, Origin=scene.server.url) as live:
        assert_frame(await live.subscribe(SLUG), "snapshot")


async def test_unknown_bearer_token_gets_unauthorized_then_close_4001(
    scene: Scene, bystander: LiveClient
) -> None:
    async with live_client(scene.server.ws_url, "not-a-token") as live:
        assert_live_error(await live.receive(), "unauthorized")
        await assert_closed_with(live, messages.CLOSE_UNAUTHORIZED)
    await assert_still_delivered(scene, bystander)


async def test_session_cookie_authenticates_and_a_stale_one_reads_anonymously(scene: Scene) -> None:
    moderator = await scene.api.moderator(SLUG)
    cookie = f"roundtable_session={moderator.token}"
    async with live_client(scene.server.ws_url, Cookie=cookie) as live:
        assert assert_frame(await live.subscribe(SLUG), "snapshot")["role"] == "moderators"
    async with live_client(scene.server.ws_url, Cookie="roundtable_session=expired") as live:
        assert assert_frame(await live.subscribe(SLUG), "snapshot")["role"] == "public"


async def test_socket_open_when_the_server_stops_is_closed_for_a_reconnect(database_url: str) -> None:
    settings = Settings(database_url=database_url, redis_url=None)
    async with contextlib.AsyncExitStack() as outlives_server:
        async with asyncio.timeout(SERVER_START_TIMEOUT_SECS), start_server(settings) as running:
            live = await outlives_server.enter_async_context(live_client(running.ws_url))
            await assert_still_open(live)
        with pytest.raises(ConnectionClosed) as closed:
            await live.receive()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code in (messages.CLOSE_SERVICE_RESTART, messages.CLOSE_GOING_AWAY)


# ---- Server-Sent Events ---------------------------------------------------------


async def test_sse_for_unknown_or_draft_space_is_a_404_in_the_error_shape(scene: Scene) -> None:
    await scene.api.space("draft-plan", status="draft")
    for slug in ("no-such-space", "draft-plan"):
        response = await scene.api.http.get(f"/api/v1/spaces/{slug}/events", headers=scene.author.headers)
        assert_error(response, 404, "space_not_found")


@pytest.mark.parametrize(
    ("headers", "params"),
    [
        pytest.param({b"Last-Event-ID": b"seven"}, {}, id="last-event-id-not-a-number"),
        pytest.param({b"Last-Event-ID": b"-1"}, {}, id="last-event-id-negative"),
        pytest.param({b"Last-Event-ID": str(2**63).encode()}, {}, id="last-event-id-too-large"),
        # Latin-1 "²": str.isdigit() says yes, int() says no.
        pytest.param({b"Last-Event-ID": b"\xb2"}, {}, id="last-event-id-superscript-digit"),
        pytest.param({}, {"since": "seven"}, id="since-not-a-number"),
        pytest.param({}, {"since": "-1"}, id="since-negative"),
        pytest.param({}, {"sinse": "3"}, id="unknown-parameter"),
    ],
)
async def test_sse_with_a_bad_resume_point_is_a_422_invalid_query(
    scene: Scene, headers: dict[bytes, bytes], params: dict[str, str]
) -> None:
    response = await scene.api.http.get(f"/api/v1/spaces/{SLUG}/events", headers=headers, params=params)
    assert_error(response, 422, "invalid_query")


async def test_sse_resume_with_a_wrong_epoch_gets_resync_then_a_fresh_snapshot_in_the_same_stream(
    scene: Scene,
) -> None:
    await scene.post("Before the stream.")
    async with sse_client(
        scene.api.http, SLUG, headers={"Last-Event-ID": "1"}, epoch="not-the-epoch"
    ) as stream:
        assert stream.response.status_code == 200
        resync = await stream.receive()
        assert resync == {
            "type": "resync", "space": SLUG, "reason": "epoch_changed", "_id": None, "_event": "resync"
        }
        snapshot = await stream.receive()
        assert snapshot["_event"] == "snapshot" and snapshot["_id"] == str(snapshot["seq"])
        assert [c["body"] for c in snapshot["state"]["comments"]] == ["Before the stream."]
        seq = await scene.post("After the resync.")
        events = await stream.events_through(seq)
        assert [e["seq"] for e in events] == [snapshot["seq"] + 1]


async def test_sse_head_request_answers_at_once_without_holding_a_subscription(scene: Scene) -> None:
    hub = scene.server.services.hub
    assert hub is not None
    async with (
        httpx.AsyncClient(base_url=scene.server.url, limits=httpx.Limits(max_connections=1)) as http,
        asyncio.timeout(RECEIVE_TIMEOUT_SECS),
    ):
        head = await http.head(f"/api/v1/spaces/{SLUG}/events")
        assert head.status_code == 200
        assert head.headers["content-type"].startswith("text/event-stream")
        assert hub.connections() == []
        # The same HTTP connection is free for the next request.
        assert (await http.get("/healthz")).status_code == 200


async def test_sse_stream_starts_with_a_retry_hint(scene: Scene) -> None:
    async with sse_client(scene.api.http, SLUG) as stream, asyncio.timeout(RECEIVE_TIMEOUT_SECS):
        first = await anext(stream.response.aiter_lines())
        assert first == "retry: 2000"


# ---- heartbeat ----------------------------------------------------------------------


async def test_heartbeat_carries_the_seq_each_subscribed_space_has_reached(
    scene: Scene, bystander: LiveClient
) -> None:
    async with live_client(scene.server.ws_url) as live:
        snapshot = assert_frame(await live.subscribe(SLUG), "snapshot")
        heartbeat = await live.receive_type("heartbeat")
        assert heartbeat["spaces"] == {SLUG: snapshot["seq"]}
        assert set(heartbeat) == {"type", "at", "spaces"}
        seq = await scene.post()
        await live.events_through(seq)
        assert (await live.receive_type("heartbeat"))["spaces"] == {SLUG: seq}


async def test_heartbeat_reaches_unsubscribed_sockets_and_sse_streams(scene: Scene) -> None:
    async with live_client(scene.server.ws_url) as live:
        assert (await live.receive_type("heartbeat"))["spaces"] == {}
    async with sse_client(scene.api.http, SLUG) as stream:
        snapshot = await stream.receive()
        heartbeat = await stream.receive_type("heartbeat")
        assert heartbeat["_event"] == "heartbeat" and heartbeat["_id"] is None
        assert heartbeat["spaces"] == {SLUG: snapshot["seq"]}


# ---- audiences -------------------------------------------------------------------


async def test_pending_comment_reaches_moderators_only_and_the_others_skip_its_seq(scene: Scene) -> None:
    api = scene.api
    admin = await api.admin()
    moderator = await api.moderator(SLUG)
    response = await api.http.patch(
        f"/api/v1/spaces/{SLUG}", json={"moderation": "pre"}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    # Another participant: the author also sees their own comment waiting.
    reader = await api.register("Reader")
    async with (
        live_client(scene.server.ws_url, moderator.token) as steward,
        live_client(scene.server.ws_url, reader.token) as participant,
        live_client(scene.server.ws_url) as anonymous,
        sse_client(api.http, SLUG) as stream,
    ):
        assert assert_frame(await steward.subscribe(SLUG), "snapshot")["role"] == "moderators"
        for live in (participant, anonymous):
            assert assert_frame(await live.subscribe(SLUG), "snapshot")["role"] == "public"
        start = await stream.receive()
        assert start["role"] == "public"

        pending_seq = await scene.post("Waiting for approval.")
        held = await steward.events_through(pending_seq)
        assert held[-1]["type"] == "comment.created"
        assert held[-1]["data"]["comment"]["status"] == "pending"
        assert held[-1]["data"]["comment"]["body"] == "Waiting for approval."
        for live in (participant, anonymous):
            # Nothing is sent, yet the heartbeat says the client is level with the pending seq.
            async with asyncio.timeout(RECEIVE_TIMEOUT_SECS):
                while (await live.receive_type("heartbeat"))["spaces"][SLUG] != pending_seq:
                    pass
            assert live.seen == []

        # A moderator's own comments are published at once, so everyone sees this one.
        public = await api.comment(moderator, scene.question_id, "Welcome, everyone.")
        public_seq = public["event_seq"]
        assert public_seq == pending_seq + 1
        for live in (participant, anonymous):
            message = await live.receive_type("events")
            assert message["seq"] == public_seq
            assert [e["seq"] for e in message["events"]] == [public_seq]
            assert message["events"][0]["data"]["comment"]["body"] == "Welcome, everyone."
        sse_events = await stream.events_through(public_seq)
        assert [e["seq"] for e in sse_events] == [public_seq]
        assert [e["seq"] for e in await steward.events_through(public_seq)] == [pending_seq, public_seq]
