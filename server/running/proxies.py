"""The public client address, scheme and host behind trusted reverse proxies.

Only a connection from an address in ROUNDTABLE_TRUSTED_PROXIES may say, through
`Forwarded` (RFC 7239) or `X-Forwarded-For`/`-Proto`/`-Host`, who the client is
and which URL it used; anyone else's such headers are ignored, since a client
can send them too. The scope is rewritten in place for HTTP and WebSocket alike,
so everything downstream (Origin checks, login throttling by address, URLs)
sees the public origin without knowing about proxies.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from starlette.types import Scope

Network = IPv4Network | IPv6Network
Address = IPv4Address | IPv6Address

# A host header value: a name or an address, with an optional port; nothing that
# could smuggle a path, credentials or a second header into a URL.
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$")
_PROTOS = frozenset({"http", "https"})


@dataclass(frozen=True)
class Forwarded:
    """What one proxy recorded about the hop before it."""

    client: str
    proto: str | None = None
    host: str | None = None


class TrustedProxies:
    def __init__(self, entries: Sequence[str]) -> None:
        self._networks: tuple[Network, ...] = tuple(ip_network(e, strict=False) for e in entries)

    def __bool__(self) -> bool:
        return bool(self._networks)

    def trusts(self, address: str) -> bool:
        parsed = _address(address)
        return parsed is not None and any(parsed in network for network in self._networks)

    def rewrite(self, scope: Scope) -> None:
        """Put the public client, scheme and host in `scope` when the peer is a trusted proxy."""
        peer = scope.get("client")
        if not self._networks or peer is None or not self.trusts(peer[0]):
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        hops = _forwarded_hops(headers) or _x_forwarded_hops(headers)
        if not hops:
            return
        # Walk back from the nearest proxy: the first hop recorded by a trusted
        # proxy about an untrusted address is the client; what a client wrote
        # itself, further left, is never believed.
        chosen = hops[0]
        for hop in reversed(hops):
            chosen = hop
            if not self.trusts(hop.client):
                break
        if _address(chosen.client) is not None:
            scope["client"] = (str(_address(chosen.client)), 0)
        if chosen.proto in _PROTOS:
            secure = chosen.proto == "https"
            if scope["type"] == "websocket":
                scope["scheme"] = "wss" if secure else "ws"
            else:
                scope["scheme"] = chosen.proto
        if chosen.host is not None and _HOST.match(chosen.host):
            scope["headers"] = [(k, v) for k, v in headers if k != b"host"]
            scope["headers"].append((b"host", chosen.host.encode("latin-1")))


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    values = [v.decode("latin-1") for k, v in headers if k == name]
    return ",".join(values) if values else None


def _forwarded_hops(headers: list[tuple[bytes, bytes]]) -> list[Forwarded]:
    raw = _header(headers, b"forwarded")
    if raw is None:
        return []
    hops = []
    for element in raw.split(","):
        pairs: dict[str, str] = {}
        for pair in element.split(";"):
            key, _, value = pair.strip().partition("=")
            pairs[key.strip().lower()] = value.strip().strip('"')
        if "for" in pairs:
            hops.append(Forwarded(pairs["for"], pairs.get("proto", "").lower() or None, pairs.get("host")))
    return hops


def _x_forwarded_hops(headers: list[tuple[bytes, bytes]]) -> list[Forwarded]:
    raw = _header(headers, b"x-forwarded-for")
    if raw is None:
        return []
    clients = [c.strip() for c in raw.split(",") if c.strip()]
    protos = _list((_header(headers, b"x-forwarded-proto") or "").lower())
    hosts = _list(_header(headers, b"x-forwarded-host"))
    # Proxies that append to X-Forwarded-For usually set -Proto and -Host once:
    # a single value belongs to every hop, a list lines up with the clients from the right.
    return [
        Forwarded(client, _aligned(protos, len(clients) - i), _aligned(hosts, len(clients) - i))
        for i, client in enumerate(clients)
    ]


def _list(raw: str | None) -> list[str]:
    return [v.strip() for v in raw.split(",") if v.strip()] if raw else []


def _aligned(values: list[str], from_right: int) -> str | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return values[-from_right] if from_right <= len(values) else None


def _address(text: str) -> Address | None:
    """An address from `1.2.3.4`, `1.2.3.4:5678`, `[::1]:5678` or `::1`; None for `unknown` or `_hidden`."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        return ip_address(text)
    except ValueError:
        return None
