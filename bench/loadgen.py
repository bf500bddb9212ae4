"""The measurement itself, the same for Roundtable and for the baselines.

A `Target` is a set of running server processes, how to open a live
connection to them and how to publish one message. `measure_target` runs
the three phases against it:

(a) idle: app RSS before and after N subscribers connect, and the CPU those
    idle connections cost;
(b) fixed rate: one message every 1/rate s (open loop: a slow answer does not
    delay the next send) for the given seconds;
(c) saturation: several publishers posting back to back for the given seconds.

Each phase ends when every open subscriber has every posted event (or the
drain timeout passes); lost / duplicated / out-of-order counts come from the
workers' per-subscriber check.
"""

import asyncio
import contextlib
import math
import multiprocessing
import os
import subprocess
import time
from array import array
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import psutil

from bench.httpclient import HttpConnection
from bench.subscribers import (
    ConnectReport,
    DrainReport,
    Endpoint,
    PhaseReport,
    Protocol,
    Worker,
    WorkerPlan,
    worker_main,
)

HOST = "127.0.0.1"
# Long enough for a server to import, connect to PostgreSQL and Redis on a busy machine.
SERVER_START_TIMEOUT_SECS = 60.0
# After connecting or publishing: let presence pushes, GC and allocator settle
# before reading RSS, and measure the idle cost over this window.
SETTLE_SECS = 3.0
# Problems kept verbatim (the rest are counted).
SAMPLE_PROBLEMS = 5

# Publish one message (the n-th of the run) on this connection; return its seq.
PostFn = Callable[[HttpConnection, int], Awaitable[int]]


@dataclass
class ServerProcess:
    name: str
    port: int
    process: "subprocess.Popen[bytes]"
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def start_server_process(
    name: str, argv: list[str], env: dict[str, str], port: int, log_dir: Path
) -> ServerProcess:
    log_path = log_dir / f"{name}.log"
    # A file, not a pipe: nobody reads the log while the benchmark runs, and a
    # full pipe would stall the server.
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    return ServerProcess(name, port, process, log_path)


async def wait_ready(servers: list[ServerProcess], path: str) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_SECS
    for server in servers:
        http = HttpConnection(HOST, server.port)
        try:
            while True:
                if server.process.poll() is not None:
                    tail = server.log_path.read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"{server.name} exited during start-up:\n{tail}")
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{server.name} was not ready within {SERVER_START_TIMEOUT_SECS:.0f} s"
                    )
                try:
                    status, _ = await http.request("GET", path)
                    if status == 200:
                        break
                except OSError:
                    pass
                await asyncio.sleep(0.1)
        finally:
            http.close()


def stop_processes(servers: list[ServerProcess]) -> None:
    for server in servers:
        if server.process.poll() is None:
            server.process.terminate()
    for server in servers:
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def log_problems(servers: list[ServerProcess]) -> tuple[int, list[str]]:
    """Lines of the servers' logs that are not routine INFO lines (access log, connection open/closed)."""
    count = 0
    samples: list[str] = []
    for server in servers:
        for line in server.log_path.read_text(errors="replace").splitlines():
            stripped = line.strip()
            if not stripped or stripped.startswith("INFO:") or stripped.startswith("Roundtable is serving"):
                continue
            count += 1
            if len(samples) < SAMPLE_PROBLEMS:
                samples.append(f"{server.name}: {stripped[:300]}")
    return count, samples


@dataclass
class Target:
    name: str
    protocol: Protocol
    servers: list[ServerProcess]
    ws_path: str
    post: PostFn
    # The live-protocol `since` for subscribers (Roundtable: the space's seq right now).
    current_seq: Callable[[], Awaitable[int]]
    space: str = ""
    # Other processes whose CPU is reported: name -> a function listing their pids now.
    services: dict[str, Callable[[], list[int]]] = field(default_factory=dict)
    # Called before each RSS reading (Node: a full GC, so V8's heap sizing does not blur the difference).
    before_rss: Callable[[], Awaitable[None]] | None = None


@dataclass
class Options:
    subscribers: int
    rate: float
    seconds: float
    workers: int
    publishers: int
    drain_timeout: float


@dataclass
class PhaseResult:
    title: str
    posts: int
    post_errors: int
    post_problems: list[str]
    publish_seconds: float  # the phase's configured length: posts/s is what was sent in it
    post_ms: tuple[float, float] | None  # p50, p99 of the POSTs' response times
    deliveries: int
    delivery_seconds: float
    frames: int
    frame_bytes: int
    latencies_ms: tuple[float, float, float] | None  # p50, p99, max
    lost: int
    duplicated: int
    out_of_order: int
    unexpected: int
    incomplete_subscribers: int
    closes: Counter[int]
    cpu_percent: dict[str, float]  # process group -> % of one core over the phase
    client_problems: list[str]

    @property
    def posts_per_sec(self) -> float:
        return self.posts / self.publish_seconds if self.publish_seconds else 0.0

    @property
    def deliveries_per_sec(self) -> float:
        return self.deliveries / self.delivery_seconds if self.delivery_seconds else 0.0

    @property
    def events_per_frame(self) -> float:
        return self.deliveries / self.frames if self.frames else 0.0

    @property
    def bytes_per_event(self) -> float:
        return self.frame_bytes / self.deliveries if self.deliveries else 0.0


@dataclass
class TargetResult:
    name: str
    subscribers: int
    connected: int
    connect_seconds: float
    connect_problems: list[str]
    rss_before_mb: float
    rss_after_mb: float
    idle_cpu_percent: float
    phases: list[PhaseResult]
    server_log_problems: int = 0
    server_log_samples: list[str] = field(default_factory=list)

    @property
    def rss_per_connection_kb(self) -> float:
        if not self.connected:
            return 0.0
        return (self.rss_after_mb - self.rss_before_mb) * 1024 / self.connected


# ---- process measurements ----------------------------------------------------


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    found: dict[int, float] = {}
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.Error:
            continue
        found[pid] = times.user + times.system
    return found


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += psutil.Process(pid).memory_info().rss
        except psutil.Error:
            continue
    return total / 2**20


def machine_busy_seconds() -> float:
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


class CpuMeter:
    """CPU used by groups of processes between `start` and `stop`, as % of one core."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]]) -> None:
        self._groups = groups
        self._before: dict[str, dict[int, float]] = {}
        self._machine = 0.0
        self._at = 0.0

    def start(self) -> None:
        self._before = {name: cpu_seconds(pids()) for name, pids in self._groups.items()}
        self._machine = machine_busy_seconds()
        self._at = time.monotonic()

    def stop(self) -> dict[str, float]:
        wall = time.monotonic() - self._at
        result: dict[str, float] = {}
        for name, pids in self._groups.items():
            before = self._before.get(name, {})
            after = cpu_seconds(pids())
            # A process that started during the window (a new PostgreSQL backend) counts from zero.
            used = sum(t - before.get(pid, 0.0) for pid, t in after.items())
            result[name] = 100 * used / wall if wall else 0.0
        result["machine"] = 100 * (machine_busy_seconds() - self._machine) / wall if wall else 0.0
        return result


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    index = max(0, math.ceil(q * len(sorted_values)) - 1)
    return sorted_values[min(index, len(sorted_values) - 1)]


# ---- subscriber workers --------------------------------------------------------


class WorkerHandle:
    """A subscriber worker process and the pipe that drives it."""

    def __init__(self, index: int) -> None:
        # spawn, not fork: the orchestrator has threads and an event loop a fork would copy.
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self.process = context.Process(
            target=worker_main, args=(child,), name=f"bench-worker-{index}", daemon=True
        )
        self.process.start()
        child.close()

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid

    async def call(self, *command: Any) -> Any:
        self._conn.send(command)
        return await asyncio.to_thread(_receive, self._conn)

    async def stop(self) -> None:
        if self.process.is_alive():
            with contextlib.suppress(TimeoutError, EOFError, OSError):
                await asyncio.wait_for(self.call("close"), 30)
        await asyncio.to_thread(self.process.join, 10)
        if self.process.is_alive():
            self.process.kill()


def _receive(conn: Connection) -> Any:
    return conn.recv()


# ---- publishing --------------------------------------------------------------


class Publisher:
    """Posts through keep-alive connections, spread round robin over the target's processes."""

    def __init__(self, target: Target) -> None:
        self._target = target
        self._free: list[list[HttpConnection]] = [[] for _ in target.servers]
        self.send_times: dict[int, float] = {}
        self.errors = 0
        self.response_times: list[float] = []
        self.problems: list[str] = []
        self._count = 0

    async def post_one(self) -> None:
        n = self._count
        self._count += 1
        index = n % len(self._target.servers)
        free = self._free[index]
        conn = free.pop() if free else HttpConnection(HOST, self._target.servers[index].port)
        sent = time.monotonic()
        try:
            seq = await self._target.post(conn, n)
        except Exception as exc:
            conn.close()
            self.errors += 1
            if len(self.problems) < SAMPLE_PROBLEMS:
                self.problems.append(f"{type(exc).__name__}: {exc}"[:300])
            return
        self.send_times[seq] = sent
        self.response_times.append(time.monotonic() - sent)
        free.append(conn)

    def close(self) -> None:
        for conns in self._free:
            for conn in conns:
                conn.close()

    async def at_rate(self, rate: float, seconds: float) -> None:
        """Open loop: the k-th message leaves at start + k/rate whatever the answers take."""
        start = time.monotonic()
        tasks: list[asyncio.Task[None]] = []
        for k in range(max(1, round(rate * seconds))):
            delay = start + k / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.post_one()))
        await asyncio.gather(*tasks)

    async def flat_out(self, publishers: int, seconds: float) -> None:
        """Closed loop: each publisher posts again as soon as its previous post is answered."""
        end = time.monotonic() + seconds

        async def loop() -> None:
            while time.monotonic() < end:
                await self.post_one()

        await asyncio.gather(*(loop() for _ in range(publishers)))


# ---- the phases ----------------------------------------------------------------


async def run_phase(
    title: str,
    target: Target,
    workers: list[WorkerHandle],
    meter: CpuMeter,
    options: Options,
    publish: Callable[[Publisher], Awaitable[None]],
) -> PhaseResult:
    await asyncio.gather(*(w.call("begin") for w in workers))
    publisher = Publisher(target)
    meter.start()
    started = time.monotonic()
    try:
        await publish(publisher)
    finally:
        publisher.close()
    expected = len(publisher.send_times)
    drains: list[DrainReport] = await asyncio.gather(
        *(w.call("drain", expected, options.drain_timeout) for w in workers)
    )
    cpu = meter.stop()
    reports: list[PhaseReport] = await asyncio.gather(
        *(w.call("report", publisher.send_times) for w in workers)
    )

    latencies = array("d")
    for report in reports:
        latencies.frombytes(report.latencies)
    values = sorted(latencies)
    lat = (
        (1000 * percentile(values, 0.5), 1000 * percentile(values, 0.99), 1000 * values[-1])
        if values
        else None
    )
    answers = sorted(publisher.response_times)
    lasts = [r.last_receive for r in reports if r.last_receive is not None]
    closes: Counter[int] = Counter()
    problems: list[str] = []
    for report in reports:
        closes.update(report.closed)
        problems += report.problems
    incomplete_after_drain = sum(d.incomplete for d in drains)
    if incomplete_after_drain:
        problems.insert(
            0,
            f"{incomplete_after_drain} open subscribers still incomplete "
            f"after the {options.drain_timeout:.0f} s drain",
        )
    return PhaseResult(
        title=title,
        posts=expected,
        post_errors=publisher.errors,
        post_problems=publisher.problems,
        publish_seconds=options.seconds,
        post_ms=(1000 * percentile(answers, 0.5), 1000 * percentile(answers, 0.99)) if answers else None,
        deliveries=sum(r.deliveries for r in reports),
        delivery_seconds=(max(lasts) - started) if lasts else 0.0,
        frames=sum(r.frames for r in reports),
        frame_bytes=sum(r.frame_bytes for r in reports),
        latencies_ms=lat,
        lost=sum(r.lost for r in reports),
        duplicated=sum(r.duplicated for r in reports),
        out_of_order=sum(r.out_of_order for r in reports),
        unexpected=sum(r.unexpected for r in reports),
        incomplete_subscribers=sum(r.incomplete_subscribers for r in reports),
        closes=closes,
        cpu_percent=cpu,
        client_problems=problems[:SAMPLE_PROBLEMS],
    )


async def warm_up(target: Target) -> None:
    """One live connection per process and one message through each, so that lazy
    imports and first-use caches are not counted as per-connection memory."""
    worker = Worker()
    endpoints = [Endpoint(HOST, s.port, target.ws_path) for s in target.servers]
    since = await target.current_seq()
    report = await worker.connect(WorkerPlan(target.protocol, endpoints, target.space, since))
    if report.failed:
        raise RuntimeError(f"{target.name}: warm-up connections failed: {report.problems}")
    publisher = Publisher(target)
    for _ in target.servers:
        await publisher.post_one()
    publisher.close()
    if publisher.errors:
        raise RuntimeError(f"{target.name}: warm-up posts failed: {publisher.problems}")
    await worker.drain(len(publisher.send_times), 10)
    worker.close()
    await asyncio.sleep(0.5)


async def measure_target(target: Target, options: Options) -> TargetResult:
    print(
        f"\n== {target.name}: {len(target.servers)} processes, {options.subscribers} subscribers", flush=True
    )
    await warm_up(target)
    workers = [WorkerHandle(i) for i in range(options.workers)]
    app_pids = [s.pid for s in target.servers]
    groups: dict[str, Callable[[], list[int]]] = {"app": lambda: app_pids}
    groups.update(target.services)
    groups["load generator"] = lambda: [os.getpid(), *(w.pid for w in workers)]
    meter = CpuMeter(groups)
    try:
        await asyncio.sleep(SETTLE_SECS)
        if target.before_rss is not None:
            await target.before_rss()
        rss_before = rss_mb(app_pids)
        since = await target.current_seq()
        plans: list[list[Endpoint]] = [[] for _ in workers]
        for i in range(options.subscribers):
            server = target.servers[i % len(target.servers)]
            plans[i % len(workers)].append(Endpoint(HOST, server.port, target.ws_path))
        print(f"   (a) connecting {options.subscribers} subscribers …", flush=True)
        connects: list[ConnectReport] = await asyncio.gather(
            *(
                w.call("connect", WorkerPlan(target.protocol, plan, target.space, since))
                for w, plan in zip(workers, plans, strict=True)
            )
        )
        connected = sum(c.connected for c in connects)
        connect_seconds = max(c.seconds for c in connects)
        print(
            f"       {connected} connected in {connect_seconds:.1f} s; idle for {2 * SETTLE_SECS:.0f} s",
            flush=True,
        )
        await asyncio.sleep(SETTLE_SECS)  # the presence pushes of the crowd joining
        meter.start()
        await asyncio.sleep(SETTLE_SECS)
        idle_cpu = meter.stop()["app"]
        if target.before_rss is not None:
            await target.before_rss()
        rss_after = rss_mb(app_pids)

        phases: list[PhaseResult] = []
        title_b = f"(b) {options.rate:g}/s for {options.seconds:g} s"
        print(f"   {title_b} …", flush=True)
        phases.append(
            await run_phase(
                title_b, target, workers, meter, options, lambda p: p.at_rate(options.rate, options.seconds)
            )
        )
        await asyncio.sleep(1)
        title_c = f"(c) saturation, {options.publishers} publishers for {options.seconds:g} s"
        print(f"   {title_c} …", flush=True)
        phases.append(
            await run_phase(
                title_c,
                target,
                workers,
                meter,
                options,
                lambda p: p.flat_out(options.publishers, options.seconds),
            )
        )
        for phase in phases:
            print(
                f"       {phase.title}: {phase.posts} posts, {phase.deliveries_per_sec:,.0f} deliveries/s, "
                f"lost {phase.lost}, closed {sum(phase.closes.values())}",
                flush=True,
            )
    finally:
        await asyncio.gather(*(w.stop() for w in workers))
    log_count, log_samples = log_problems(target.servers)
    return TargetResult(
        name=target.name,
        subscribers=options.subscribers,
        connected=connected,
        connect_seconds=connect_seconds,
        connect_problems=[p for c in connects for p in c.problems][:SAMPLE_PROBLEMS],
        rss_before_mb=rss_before,
        rss_after_mb=rss_after,
        idle_cpu_percent=idle_cpu,
        phases=phases,
        server_log_problems=log_count,
        server_log_samples=log_samples,
    )
