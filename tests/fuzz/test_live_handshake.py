"""The live endpoint's handshake property-tested with hypothesis: arbitrary paths,
query strings, `Origin`, subprotocols, cookies, tokens and oversize headers, from
anonymous people, participants and moderators. The server never answers 500 nor
stops serving; every refusal is an HTTP status or close code that docs/protocol.md
documents for the handshake."""

import asyncio
import json
import re
from pathlib import Path
from urllib.parse import urlencode

import httpx
import hypothesis
import hypothesis.strategies as st
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from tests.helpers import Api, RunningServer

PROTOCOL = (Path(__file__).parents[2] / "docs" / "protocol.md").read_text()
# The close codes of the table in "Close codes", and the statuses the handshake section names.
CLOSE_CODES = frozenset(
    int(code) for code in re.findall(r"^\| (\d{4}) \| `", PROTOCOL.split("## Close codes")[1], re.M)
)
HANDSHAKE_STATUSES = frozenset(
    int(status)
    for status in re.findall(r"\b(\d{3})\s+`\w+`", PROTOCOL.split("**Connection limits**")[1].split("```")[0])
)
SLUG = "handshaken"
EXAMPLES = 80
RECEIVE_TIMEOUT_SECS = 10

# Header values a client can send at all: visible ASCII and spaces.
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
tokens = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=',;"'), min_size=1,
                 max_size=20)
paths = st.one_of(
    st.just("/ws"),
    st.builds(lambda rest: "/ws/" + rest, st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E,
                                                                exclude_characters="?#%"), max_size=20)),
)
query_keys = st.sampled_from(["screen_token", "since", "space", "token", "epoch"]) | st.text(max_size=8)


def identity(known: dict[str, str]) -> st.SearchStrategy[dict[str, str]]:
    """Headers and query parameters that say who calls: real, stale, foreign or junk credentials."""
    real = st.sampled_from(sorted(known.values()))
    anything = real | tokens
    return st.fixed_dictionaries({}, optional={
        "Authorization": st.one_of(
            st.builds("Bearer {}".format, anything), st.builds("Screen {}".format, anything), header_text
        ),
        "Cookie": st.builds("roundtable_session={}".format, anything) | header_text,
        "screen_token": anything,
    })


@st.composite
def handshakes(draw: st.DrawFn, server: RunningServer, known: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The URL and the extra headers of one handshake."""
    who = draw(identity(known))
    query = draw(st.dictionaries(query_keys, st.text(max_size=20), max_size=3))
    if "screen_token" in who:
        query["screen_token"] = who.pop("screen_token")
    url = server.url.replace("http://", "ws://") + draw(paths)
    if query:
        url += "?" + urlencode(query)
    headers = dict(who)
    origin = draw(st.none() | st.sampled_from([server.url, "http://elsewhere.example", "null"]) | header_text)
    if origin is not None:
        headers["Origin"] = origin
    if draw(st.booleans()):
        # Far past what a proxy forwards (8 KiB): the server must refuse, not fall over.
        headers["X-Padding"] = "x" * draw(st.integers(1, 70_000))
    protocols = draw(st.none() | st.lists(tokens, min_size=1, max_size=3).map(", ".join) | header_text)
    if protocols is not None:
        # Sent as written: the client library would refuse to send what is not a token list.
        headers["Sec-WebSocket-Protocol"] = protocols
    return url, headers


def check_handshakes(server: RunningServer, known: dict[str, str]) -> None:
    @hypothesis.settings(
        max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(handshake=handshakes(server, known))
    def check(handshake: tuple[str, dict[str, str]]) -> None:
        url, headers = handshake
        try:
            with connect(url, additional_headers=headers, compression=None,
                         open_timeout=RECEIVE_TIMEOUT_SECS) as ws:
                ws.send(json.dumps({"type": "ping"}))
                while json.loads(ws.recv(timeout=RECEIVE_TIMEOUT_SECS))["type"] != "pong":
                    pass
        except InvalidStatus as refused:
            assert refused.response.status_code in HANDSHAKE_STATUSES, (refused.response.status_code, url)
        except ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code in CLOSE_CODES, (closed, url)
        # Whatever that was, the server still serves.
        assert httpx.get(server.url + "/healthz", timeout=RECEIVE_TIMEOUT_SECS).status_code == 200

    check()


def test_protocol_documents_the_codes_this_suite_allows() -> None:
    assert {4001, 4003, 1009} <= CLOSE_CODES
    assert {400, 403, 414, 429, 431, 503} <= HANDSHAKE_STATUSES


async def test_any_handshake_is_served_or_refused_as_documented(api: Api, server: RunningServer) -> None:
    await api.space(SLUG)
    participant = await api.register("Handshaking Participant")
    moderator = await api.moderator(SLUG)
    known = {"participant": participant.token, "moderator": moderator.token}

    async with asyncio.timeout(120):
        await asyncio.to_thread(check_handshakes, server, known)
