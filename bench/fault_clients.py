"""The fault suite's clients: followers of one space that reconnect and resume as
client/live.js does (WebSocket `since` + `epoch`, SSE `Last-Event-ID`), and posters
that record which comments the server acknowledged."""

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

# As client/live.js: come back quickly, then back off, up to a few seconds.
FIRST_BACKOFF_SECS = 0.2
MAX_BACKOFF_SECS = 3.0
CONNECT_TIMEOUT_SECS = 5
POST_TIMEOUT_SECS = 5
# Errors a dropped connection raises: refused, reset, ended mid-stream, timed out.
DROPS = (OSError, ConnectionClosed, InvalidHandshake, httpx.TransportError, TimeoutError, EOFError)


class Follower:
    """Holds the ids of the comments it received, in the order received."""

    def __init__(self, name: str, slug: str, urls: list[str]) -> None:
        self.name = name
        self.slug = slug
        self.urls = urls  # its own process first; the other when its own refuses
        self.held: list[int] = []
        self.seqs: list[int] = []
        self.seq: int | None = None
        self.epoch: str | None = None
        self.resyncs = 0
        self.drops = 0
        self.errors: list[str] = []
        self._restart_delay: float | None = None
        self._held_set: set[int] = set()

    def take(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "snapshot":
            self.seq, self.epoch = message["seq"], message["epoch"]
            # After a resync the snapshot holds what was missed: take what is new to us.
            for comment in message["state"]["comments"]:
                self._hold(comment["id"])
        elif kind == "subscribed":
            self.seq, self.epoch = message["seq"], message["epoch"]
        elif kind == "events":
            for event in message["events"]:
                if event["type"] == "comment.created":
                    self.seqs.append(event["seq"])
                    self._hold(event["data"]["comment"]["id"], duplicate_ok=False)
            self.seq = message["seq"]
        elif kind == "resync":
            self.resyncs += 1
            self.seq = self.epoch = None
        elif kind == "reconnect":
            self._restart_delay = message["retry_after_ms"] / 1000
        elif kind == "error":
            self.errors.append(message["code"])

    def _hold(self, comment_id: int, *, duplicate_ok: bool = True) -> None:
        if comment_id in self._held_set and duplicate_ok:
            return
        self.held.append(comment_id)
        self._held_set.add(comment_id)

    def holds(self, comment_ids: set[int]) -> bool:
        return comment_ids <= self._held_set

    async def follow(self) -> None:
        """Forever (until cancelled): connect, read, and after a drop come back and resume."""
        backoff = FIRST_BACKOFF_SECS
        attempt = 0
        while True:
            url = self.urls[attempt % len(self.urls)]
            got_anything = False
            try:
                async for message in self.messages(url):
                    got_anything = True
                    self.take(message)
            except DROPS:
                pass
            self.drops += 1
            if got_anything:
                backoff = FIRST_BACKOFF_SECS
            else:
                attempt += 1  # its own process refuses: try the other one
            delay = self._restart_delay if self._restart_delay is not None else backoff
            self._restart_delay = None
            await asyncio.sleep(delay)
            backoff = min(backoff * 2, MAX_BACKOFF_SECS)

    def messages(self, url: str) -> Any:
        raise NotImplementedError


class WebSocketFollower(Follower):
    async def messages(self, url: str) -> Any:
        ws_url = url.replace("http://", "ws://") + "/ws"
        async with connect(ws_url, compression=None, max_size=None, open_timeout=CONNECT_TIMEOUT_SECS) as ws:
            body: dict[str, Any] = {"type": "subscribe", "space": self.slug, "since": self.seq}
            if self.seq is not None:
                body["epoch"] = self.epoch
            await ws.send(orjson.dumps(body).decode())
            async for raw in ws:
                yield orjson.loads(raw)


class SseFollower(Follower):
    async def messages(self, url: str) -> Any:
        headers = {} if self.seq is None else {"Last-Event-ID": str(self.seq)}
        params = {} if self.epoch is None or self.seq is None else {"epoch": self.epoch}
        timeout = httpx.Timeout(CONNECT_TIMEOUT_SECS, read=None)
        async with (
            httpx.AsyncClient(timeout=timeout) as http,
            http.stream("GET", f"{url}/api/v1/spaces/{self.slug}/events", headers=headers,
                        params=params) as response,
        ):
            if response.status_code != 200:
                raise EOFError(f"stream refused: {response.status_code}")
            data: str | None = None
            async for line in response.aiter_lines():
                if line.startswith("data:"):
                    data = line.removeprefix("data:").removeprefix(" ")
                elif line == "" and data is not None:
                    yield orjson.loads(data)
                    data = None


@dataclass
class Acknowledged:
    comment_id: int
    seq: int
    sent_at: float  # when the request was sent (time.monotonic())


@dataclass
class Poster:
    """Posts through one process, one comment after another, and keeps what was acknowledged."""

    name: str
    url: str
    token: str
    question_id: int
    interval_secs: float
    attempts: int = 0
    acknowledged: list[Acknowledged] = field(default_factory=list)
    refusals: Counter[str] = field(default_factory=Counter)
    burst: bool = False
    paused: bool = False
    in_flight: bool = False

    async def post(self) -> None:
        """Forever (until cancelled)."""
        async with httpx.AsyncClient(timeout=POST_TIMEOUT_SECS) as http:
            while True:
                if self.paused:
                    await asyncio.sleep(0.05)
                    continue
                self.attempts += 1
                self.in_flight = True
                try:
                    reason = await self._post_one(http)
                finally:
                    self.in_flight = False
                if reason is not None:
                    self.refusals[reason] += 1
                    await asyncio.sleep(0.1)
                elif not self.burst:
                    await asyncio.sleep(self.interval_secs)

    async def _post_one(self, http: httpx.AsyncClient) -> str | None:
        sent_at = time.monotonic()
        try:
            response = await http.post(
                f"{self.url}/api/v1/questions/{self.question_id}/comments",
                json={"body": f"{self.name} comment {self.attempts}."},
                headers={"Authorization": f"Bearer {self.token}"},
            )
        except httpx.TransportError as error:
            # Not acknowledged: the comment may or may not have been written.
            return type(error).__name__
        if response.status_code != 201:
            return f"{response.status_code} {response.json().get('error', {}).get('code', '')}".strip()
        body = response.json()
        self.acknowledged.append(Acknowledged(body["id"], body["event_seq"], sent_at))
        return None
