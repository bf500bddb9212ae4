"""Subscriber worker processes: each holds a share of the N live connections.

Why processes: one Python process cannot read thousands of sockets at tens of
thousands of messages a second, and the load generator must not be what is
measured. Each worker runs its own event loop (uvloop, as the servers do) and
takes commands from the orchestrator over a pipe: connect, begin a phase,
wait for delivery to drain, report, close.

Per event a subscriber records the seq and the time its read arrived
(time.monotonic: CLOCK_MONOTONIC, the same clock in every process of the
machine, so it compares with the publisher's send times). The report checks
per subscriber that the seqs are exactly the posted ones, in order, once.
"""

import asyncio
import contextlib
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Literal

import orjson

from bench.wsclient import WebSocketClient, connect_websocket

Protocol = Literal["roundtable", "socketio"]

# Handshakes in flight per worker: enough to connect thousands in seconds,
# few enough to stay far below the servers' listen backlog.
CONNECT_CONCURRENCY = 64
CONNECT_ATTEMPTS = 3
SUBSCRIBE_TIMEOUT_SECS = 60.0
# How often a draining worker checks whether every subscriber is complete.
DRAIN_POLL_SECS = 0.05
# Problems kept verbatim per worker for the report (the rest are counted).
SAMPLE_PROBLEMS = 5


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int
    path: str


@dataclass(frozen=True)
class WorkerPlan:
    protocol: Protocol
    # One endpoint per subscriber of this worker (the subscribers are spread over the app processes).
    endpoints: list[Endpoint]
    space: str = ""
    since: int = 0


@dataclass
class ConnectReport:
    connected: int
    failed: int
    seconds: float
    problems: list[str]


@dataclass
class DrainReport:
    complete: int
    incomplete: int
    closed: int


@dataclass
class PhaseReport:
    subscribers: int
    deliveries: int  # events received (duplicates included)
    frames: int
    frame_bytes: int
    lost: int
    duplicated: int
    out_of_order: int
    unexpected: int
    incomplete_subscribers: int
    closed: Counter[int]  # close code -> subscribers closed so far (since they connected)
    first_receive: float | None
    last_receive: float | None
    latencies: bytes  # array('d') of seconds, one per first receipt of a posted event
    problems: list[str] = field(default_factory=list)


class Subscriber:
    """One live connection and what it received since the phase began."""

    __slots__ = (
        "client",
        "close_code",
        "frame_bytes",
        "frames",
        "problems",
        "ready",
        "seqs",
        "times",
    )

    def __init__(self) -> None:
        self.client: WebSocketClient | None = None
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        # A failure after the connect attempt gave up is still "retrieved", not logged as lost.
        self.ready.add_done_callback(lambda f: None if f.cancelled() else f.exception())
        self.seqs = array("q")
        self.times = array("d")
        self.frames = 0
        self.frame_bytes = 0
        self.close_code: int | None = None
        self.problems: list[str] = []

    def reset(self) -> None:
        self.seqs = array("q")
        self.times = array("d")
        self.frames = 0
        self.frame_bytes = 0

    def bind(self, client: WebSocketClient) -> None:
        self.client = client

    def on_close(self, code: int) -> None:
        self.close_code = code
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(f"closed with {code} before subscribing"))

    def fail(self, problem: str) -> None:
        self.problems.append(problem)
        if not self.ready.done():
            self.ready.set_exception(RuntimeError(problem))

    def on_message(self, payload: bytes, now: float) -> None:
        raise NotImplementedError

    def start(self, plan: WorkerPlan) -> None:
        """Called once the WebSocket is open."""


class RoundtableSubscriber(Subscriber):
    __slots__ = ()

    def start(self, plan: WorkerPlan) -> None:
        # `since` = the space's current seq: no snapshot, just what follows.
        assert self.client is not None
        self.client.send_text(orjson.dumps({"type": "subscribe", "space": plan.space, "since": plan.since}))

    def on_message(self, payload: bytes, now: float) -> None:
        # The server encodes with orjson, keys in insertion order: the type comes first.
        if payload.startswith(b'{"type":"events"'):
            events = orjson.loads(payload)["events"]
            seqs, times = self.seqs, self.times
            for event in events:
                seqs.append(event["seq"])
                times.append(now)
            self.frames += 1
            self.frame_bytes += len(payload)
        elif payload.startswith((b'{"type":"presence"', b'{"type":"heartbeat"')):
            return
        else:
            message = orjson.loads(payload)
            kind = message.get("type")
            if kind == "subscribed":
                if not self.ready.done():
                    self.ready.set_result(None)
            else:
                self.fail(f"unexpected {kind}: {payload[:200].decode(errors='replace')}")


class SocketIoSubscriber(Subscriber):
    """Engine.IO 4 / Socket.IO 5 over a WebSocket, the wire protocol of both baselines.

    A hand-written client rather than python-socketio's AsyncClient (aiohttp,
    a task per connection, a queue per message), for the same reason as the
    raw WebSocket client: measure the servers, not the load generator.
    """

    __slots__ = ()

    def on_message(self, payload: bytes, now: float) -> None:
        if payload.startswith(b"42"):  # Engine.IO message + Socket.IO EVENT: ["comment", {...}]
            data = orjson.loads(payload[2:])[1]
            self.seqs.append(data["seq"])
            self.times.append(now)
            self.frames += 1
            self.frame_bytes += len(payload)
        elif payload == b"2":  # Engine.IO ping: answer or be dropped after pingTimeout
            assert self.client is not None
            self.client.send_text(b"3")
        elif payload.startswith(b"0"):  # Engine.IO open: join the default namespace
            assert self.client is not None
            self.client.send_text(b"40")
        elif payload.startswith(b"40"):  # namespace joined (the server put us in the room first)
            if not self.ready.done():
                self.ready.set_result(None)
        else:
            self.fail(f"unexpected packet: {payload[:200].decode(errors='replace')}")


class Worker:
    def __init__(self) -> None:
        self.subscribers: list[Subscriber] = []

    async def connect(self, plan: WorkerPlan) -> ConnectReport:
        started = time.monotonic()
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        problems: list[str] = []
        kind = RoundtableSubscriber if plan.protocol == "roundtable" else SocketIoSubscriber

        async def one(endpoint: Endpoint) -> Subscriber | None:
            async with gate:
                for attempt in range(1, CONNECT_ATTEMPTS + 1):
                    sub = kind()
                    try:
                        await connect_websocket(
                            endpoint.host,
                            endpoint.port,
                            endpoint.path,
                            sub.on_message,
                            sub.on_close,
                            sub.bind,
                        )
                        sub.start(plan)
                        await asyncio.wait_for(asyncio.shield(sub.ready), SUBSCRIBE_TIMEOUT_SECS)
                        return sub
                    except (OSError, RuntimeError, TimeoutError, ConnectionError) as exc:
                        if sub.client is not None:
                            sub.client.abort()
                        if attempt == CONNECT_ATTEMPTS:
                            problems.append(f"{endpoint.port}: {type(exc).__name__}: {exc}"[:300])
                            return None
                        await asyncio.sleep(0.2 * attempt)
                return None

        results = await asyncio.gather(*(one(e) for e in plan.endpoints))
        self.subscribers = [s for s in results if s is not None]
        for sub in self.subscribers:
            sub.reset()
        return ConnectReport(
            connected=len(self.subscribers),
            failed=len(results) - len(self.subscribers),
            seconds=time.monotonic() - started,
            problems=problems[:SAMPLE_PROBLEMS],
        )

    def begin(self) -> None:
        for sub in self.subscribers:
            sub.reset()

    async def drain(self, expected: int, wait_secs: float) -> DrainReport:
        """Wait until every open subscriber has `expected` events (or `wait_secs` pass)."""
        deadline = time.monotonic() + wait_secs
        while True:
            pending = [s for s in self.subscribers if s.close_code is None and len(s.seqs) < expected]
            if not pending or time.monotonic() >= deadline:
                break
            await asyncio.sleep(DRAIN_POLL_SECS)
        closed = sum(1 for s in self.subscribers if s.close_code is not None)
        return DrainReport(len(self.subscribers) - len(pending) - closed, len(pending), closed)

    def report(self, send_times: dict[int, float]) -> PhaseReport:
        expected = sorted(send_times)
        expected_set = set(expected)
        latencies = array("d")
        lost = duplicated = out_of_order = unexpected = incomplete = 0
        deliveries = frames = frame_bytes = 0
        first: float | None = None
        last: float | None = None
        closes: Counter[int] = Counter()
        problems: list[str] = []
        for sub in self.subscribers:
            seqs, times = sub.seqs, sub.times
            deliveries += len(seqs)
            frames += sub.frames
            frame_bytes += sub.frame_bytes
            problems += sub.problems
            sub.problems = []
            if sub.close_code is not None:
                closes[sub.close_code] += 1
            if times:
                first = times[0] if first is None else min(first, times[0])
                last = times[-1] if last is None else max(last, times[-1])
            if seqs.tolist() == expected:  # the normal case, checked in one comparison
                latencies.extend([t - send_times[s] for s, t in zip(seqs, times, strict=True)])
                continue
            seen: set[int] = set()
            previous = -1
            for s, t in zip(seqs, times, strict=True):
                if s in seen:
                    duplicated += 1
                    continue
                seen.add(s)
                if s < previous:
                    out_of_order += 1
                previous = max(previous, s)
                if s in expected_set:
                    latencies.append(t - send_times[s])
                else:
                    unexpected += 1
            missing = len(expected_set - seen)
            lost += missing
            incomplete += 1 if missing else 0
        return PhaseReport(
            subscribers=len(self.subscribers),
            deliveries=deliveries,
            frames=frames,
            frame_bytes=frame_bytes,
            lost=lost,
            duplicated=duplicated,
            out_of_order=out_of_order,
            unexpected=unexpected,
            incomplete_subscribers=incomplete,
            closed=closes,
            first_receive=first,
            last_receive=last,
            latencies=latencies.tobytes(),
            problems=problems[:SAMPLE_PROBLEMS],
        )

    def close(self) -> None:
        for sub in self.subscribers:
            if sub.client is not None:
                sub.client.close()


async def _serve(conn: Connection) -> None:
    worker = Worker()
    while True:
        command: tuple[Any, ...] = await asyncio.to_thread(conn.recv)
        name = command[0]
        reply: Any
        if name == "connect":
            reply = await worker.connect(command[1])
        elif name == "begin":
            worker.begin()
            reply = None
        elif name == "drain":
            reply = await worker.drain(command[1], command[2])
        elif name == "report":
            reply = worker.report(command[1])
        elif name == "close":
            worker.close()
            await asyncio.sleep(0.5)  # let the close frames go out
            conn.send(None)
            return
        else:
            raise ValueError(f"unknown command {name!r}")
        conn.send(reply)


def worker_main(conn: Connection) -> None:
    """Entry point of a worker process (multiprocessing, spawn)."""
    import uvloop

    # EOFError: the orchestrator went away, nothing left to report to.
    with contextlib.suppress(EOFError, KeyboardInterrupt):
        uvloop.run(_serve(conn))
