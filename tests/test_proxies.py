"""Behind a reverse proxy: forwarded headers are believed from trusted proxies only.

The server runs on loopback, so the test client's address, 127.0.0.1, is the
"proxy": trusted when ROUNDTABLE_TRUSTED_PROXIES lists it, a stranger otherwise.
"""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from server.live import messages
from server.running.proxies import TrustedProxies
from server.running.settings import Settings
from tests.helpers import RunningServer, assert_error, assert_frame, start_server
from tests.live import live_client

PUBLIC = "consult.example.org"
# What a TLS-terminating proxy adds to a browser's request for https://consult.example.org.
BEHIND_TLS = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": PUBLIC}
BROWSER = {"Origin": f"https://{PUBLIC}"}


@pytest.fixture
async def behind_proxy(database_url: str) -> AsyncIterator[RunningServer]:
    async with start_server(Settings(database_url=database_url, trusted_proxies=["127.0.0.1/32"])) as running:
        yield running


@pytest.fixture
async def proxy_elsewhere(database_url: str) -> AsyncIterator[RunningServer]:
    async with start_server(Settings(database_url=database_url, trusted_proxies=["10.0.0.0/8"])) as running:
        yield running


async def login(server: RunningServer, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        return await http.post(
            "/api/v1/auth/login", json={"email": "nobody@example.org", "password": "wrong"}, headers=headers
        )


async def test_origin_check_passes_behind_a_tls_terminating_trusted_proxy(
    behind_proxy: RunningServer,
) -> None:
    response = await login(behind_proxy, BEHIND_TLS | BROWSER)
    # Past the Origin check: the credentials are what is wrong.
    assert_error(response, 401, "invalid_credentials")


async def test_spoofed_forwarded_headers_from_an_untrusted_address_are_ignored(
    proxy_elsewhere: RunningServer,
) -> None:
    response = await login(proxy_elsewhere, BEHIND_TLS | BROWSER)
    assert_error(response, 403, "origin_not_allowed")


async def test_forwarded_header_of_a_trusted_proxy_is_used(behind_proxy: RunningServer) -> None:
    headers = {"Forwarded": f'for="203.0.113.7:4711";proto=https;host={PUBLIC}'} | BROWSER
    assert_error(await login(behind_proxy, headers), 401, "invalid_credentials")


async def test_websocket_behind_a_tls_terminating_trusted_proxy_passes_the_origin_check(
    behind_proxy: RunningServer,
) -> None:
    async with live_client(behind_proxy.ws_url, **BEHIND_TLS, **BROWSER) as live:
        await live.send({"type": "subscribe", "space": "nowhere"})
        assert assert_frame(await live.receive(), "error")["code"] == "space_not_found"


async def test_websocket_with_spoofed_headers_from_an_untrusted_address_is_refused(
    proxy_elsewhere: RunningServer,
) -> None:
    async with live_client(proxy_elsewhere.ws_url, **BEHIND_TLS, **BROWSER) as live:
        assert assert_frame(await live.receive(), "error")["code"] == "origin_not_allowed"
        with pytest.raises(ConnectionClosed) as closed:
            await live.receive()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == messages.CLOSE_ORIGIN_NOT_ALLOWED


def scope(peer: str, headers: dict[str, str], type_: str = "http") -> dict[str, Any]:
    return {
        "type": type_,
        "scheme": "ws" if type_ == "websocket" else "http",
        "client": (peer, 50000),
        "headers": [(b"host", b"10.0.0.5:8000")]
        + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }


def host_of(rewritten: dict[str, Any]) -> str:
    host: bytes = dict(rewritten["headers"])[b"host"]
    return host.decode()


def test_the_client_is_the_nearest_address_no_trusted_proxy_vouches_for() -> None:
    proxies = TrustedProxies(["127.0.0.1", "10.0.0.0/8"])
    # The client wrote 6.6.6.6 itself; the edge proxy saw 203.0.113.9; an inner proxy 10.1.1.1.
    s = scope("127.0.0.1", {"X-Forwarded-For": "6.6.6.6, 203.0.113.9, 10.1.1.1"})
    proxies.rewrite(s)
    assert s["client"][0] == "203.0.113.9"


def test_headers_from_an_untrusted_peer_change_nothing() -> None:
    s = scope("198.51.100.1", BEHIND_TLS)
    TrustedProxies(["127.0.0.1"]).rewrite(s)
    assert s["client"][0] == "198.51.100.1" and s["scheme"] == "http" and host_of(s) == "10.0.0.5:8000"


def test_no_trusted_proxies_means_forwarded_headers_are_never_read() -> None:
    s = scope("127.0.0.1", BEHIND_TLS)
    TrustedProxies([]).rewrite(s)
    assert s["client"][0] == "127.0.0.1" and s["scheme"] == "http"


def test_websocket_scheme_becomes_wss_behind_tls() -> None:
    s = scope("10.2.3.4", BEHIND_TLS, "websocket")
    TrustedProxies(["10.0.0.0/8"]).rewrite(s)
    assert (s["scheme"], host_of(s), s["client"][0]) == ("wss", PUBLIC, "203.0.113.7")


def test_forwarded_with_ipv6_and_quoted_values_is_parsed() -> None:
    s = scope("10.2.3.4", {"Forwarded": 'for="[2001:db8::1]:4711";proto=HTTPS;host="consult.example.org"'})
    TrustedProxies(["10.0.0.0/8"]).rewrite(s)
    assert (s["client"][0], s["scheme"], host_of(s)) == ("2001:db8::1", "https", PUBLIC)


def test_a_forwarded_host_that_could_smuggle_a_url_is_ignored() -> None:
    s = scope("10.2.3.4", {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "evil.example/@x"})
    TrustedProxies(["10.0.0.0/8"]).rewrite(s)
    assert host_of(s) == "10.0.0.5:8000"


def test_a_trusted_proxies_entry_that_is_not_an_address_is_refused() -> None:
    with pytest.raises(ValueError, match="not-a-network"):
        Settings(trusted_proxies=["not-a-network"])
