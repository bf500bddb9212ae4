"""The live protocol property-tested with hypothesis: arbitrary JSON, stray text and
bytes, and near-valid messages sent to /ws. Each gets a documented message (an
error code listed in docs/protocol.md) and the connection stays open; another
client's connection never notices."""

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import hypothesis.strategies as st
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from server.running.settings import Settings
from tests.helpers import Api, RunningServer, User

PROTOCOL = (Path(__file__).parents[2] / "docs" / "protocol.md").read_text()
SERVER_MESSAGES = frozenset(
    re.findall(r"^### `(\w+)`", PROTOCOL.split("## Server to client")[1].split("\n## ")[0], re.M)
)
ERROR_CODES = frozenset(
    re.findall(r"^\| `(\w+)`", PROTOCOL.split("## Error codes")[1].split("\n## ")[0], re.M)
)
SLUG = "fuzzed"
EXAMPLES = 60
RECEIVE_TIMEOUT_SECS = 10
MAX_FRAME_CHARS = 4096

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def valid_messages(question_id: int) -> st.SearchStrategy[dict[str, Any]]:
    spaces = st.sampled_from([SLUG, "nope"])
    since = st.none() | st.integers(0, 10)
    questions = st.sampled_from([question_id, 0])
    return st.one_of(
        st.builds(lambda s, n: {"type": "subscribe", "space": s, "since": n}, spaces, since),
        st.builds(lambda s: {"type": "unsubscribe", "space": s}, spaces),
        st.just({"type": "ping"}),
        st.builds(lambda q: {"type": "typing", "space": SLUG, "question_id": q}, questions),
    )


@st.composite
def near_valid(draw: st.DrawFn, question_id: int) -> dict[str, Any]:
    """A valid message with one field dropped, added or replaced by any JSON value."""
    message = dict(draw(valid_messages(question_id)))
    key = draw(st.sampled_from(sorted(message)))
    change = draw(st.sampled_from(["drop", "add", "replace"]))
    if change == "drop":
        del message[key]
    elif change == "add":
        message[draw(st.text(min_size=1, max_size=10))] = draw(json_values)
    else:
        message[key] = draw(json_values)
    return message


def frames(question_id: int) -> st.SearchStrategy[str | bytes]:
    as_text = st.one_of(valid_messages(question_id), near_valid(question_id), json_values).map(json.dumps)
    return st.one_of(
        as_text,
        st.text(max_size=30),
        st.binary(max_size=30),
        st.builds(lambda n: json.dumps({"type": "ping", "pad": "x" * n}), st.integers(MAX_FRAME_CHARS, 9000)),
    )


def is_ping(frame: str | bytes) -> bool:
    if isinstance(frame, bytes) or len(frame) > MAX_FRAME_CHARS:
        return False
    try:
        return bool(json.loads(frame) == {"type": "ping"})
    except ValueError:
        return False


def answers_until_pongs(ws: ClientConnection, pongs: int) -> Iterator[dict[str, Any]]:
    """Everything the server sends until it has answered this many pings."""
    while pongs:
        message: dict[str, Any] = json.loads(ws.recv(timeout=RECEIVE_TIMEOUT_SECS))
        pongs -= message["type"] == "pong"
        yield message


def check_answers(ws_url: str, bystander: ClientConnection, question_id: int, token: str | None) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    @hypothesis.settings(
        max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(sent=st.lists(frames(question_id), min_size=1, max_size=4))
    def check(sent: list[str | bytes]) -> None:
        with connect(ws_url, additional_headers=headers, compression=None, max_size=None) as ws:
            for frame in sent:
                ws.send(frame)
            ws.send(json.dumps({"type": "ping"}))
            try:
                for answer in answers_until_pongs(ws, 1 + sum(map(is_ping, sent))):
                    assert answer["type"] in SERVER_MESSAGES, answer
                    if answer["type"] == "error":
                        assert answer["code"] in ERROR_CODES, answer
                        assert isinstance(answer["message"], str) and answer["message"], answer
            except ConnectionClosed as closed:
                raise AssertionError(f"closed {closed.rcvd} after {sent!r}") from closed
        # The other client's connection carries on as if nothing happened.
        bystander.send(json.dumps({"type": "ping"}))
        assert [m["type"] for m in answers_until_pongs(bystander, 1)][-1] == "pong"

    check()


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Rate limits have tests of their own; here each example's messages must be served.
    return Settings(
        database_url=database_url, redis_url=None, live_messages_per_sec=1000, live_messages_burst=1000,
        live_subscriptions_per_sec=1000, live_subscriptions_burst=1000,
    )


async def scene(api: Api) -> tuple[int, User]:
    await api.space(SLUG)
    question = await api.question(SLUG)
    return question["id"], await api.register("Fuzzed Participant")


def test_protocol_documents_the_messages_and_codes_this_suite_checks() -> None:
    assert {"snapshot", "events", "error", "pong"} <= SERVER_MESSAGES
    assert {"invalid_json", "invalid_message", "binary_not_supported"} <= ERROR_CODES


@pytest.mark.parametrize("caller", ["anonymous", "participant"])
async def test_any_message_gets_a_documented_answer_and_leaves_other_clients_alone(
    api: Api, server: RunningServer, caller: str
) -> None:
    question_id, participant = await scene(api)

    def run() -> None:
        with connect(server.ws_url, compression=None, max_size=None) as bystander:
            bystander.send(json.dumps({"type": "subscribe", "space": SLUG, "since": None}))
            check_answers(server.ws_url, bystander, question_id,
                          participant.token if caller == "participant" else None)

    async with asyncio.timeout(120):
        await asyncio.to_thread(run)
