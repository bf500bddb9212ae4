"""Fan-out benchmark: N live subscribers on one space, a publisher posting comments.

    python -m bench.fanout [--subscribers 5000] [--processes 2] [--rate 10]
                           [--seconds 10] [--workers 2] [--publishers 8]
                           [--baseline none|socketio|all]

It starts everything itself, in a temporary folder removed at exit: an
embedded PostgreSQL, an embedded Valkey (Redis), P `roundtable serve`
processes sharing both, an admin, a space, a question and a few participants
to post with. K worker processes hold the subscribers, spread over the app
processes; they subscribe with `since` = the space's current seq (no
snapshot). Then the three phases of bench/loadgen.py: idle memory, a fixed
rate, saturation. Then it measures the same way, on the same Redis, a
python-socketio broadcast server (bench/baseline_socketio.py; --baseline
socketio or all) and Node's socket.io (bench/node/, installed by
`make bench-node`; --baseline all, the default, skipped with a message when
Node or its packages are missing).

Latency is from just before the POST (so the commit is included) to the read
that brought the event to the subscriber. The figures are only as good as the
machine is quiet: the load generator shares its cores with the servers.
Exit status 1 when Roundtable lost, duplicated or reordered an event, closed
a subscriber, or failed a post.
"""

import argparse
import asyncio
import atexit
import math
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Awaitable
from pathlib import Path

import psutil

from bench import report
from bench.httpclient import HttpConnection, HttpError
from bench.loadgen import (
    HOST,
    Options,
    Target,
    TargetResult,
    measure_target,
    start_server_process,
    stop_processes,
    wait_ready,
)

SPACE = "bench"
PASSWORD = "correct horse battery staple"
ADMIN_EMAIL = "bench-admin@example.org"
# File descriptors a process needs besides its sockets (imports, pipes, pools, logs).
SPARE_FILES = 256
# Used to size the baselines' messages when Roundtable's own size is unknown.
DEFAULT_MESSAGE_BYTES = 800
# A comment of ordinary length, with a number so that every one differs.
COMMENT = (
    "Comment {n}: we support the proposal for the riverside, provided the footpath stays open "
    "during the works and the cycle lane is separated from the road. Could the council publish "
    "the timetable and the expected noise levels before the next meeting?"
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=5000, help="live connections (default 5000)")
    parser.add_argument("--processes", type=int, default=2, help="app processes (default 2)")
    parser.add_argument(
        "--rate", type=float, default=10, help="comments per second in phase (b) (default 10)"
    )
    parser.add_argument("--seconds", type=float, default=10, help="length of phases (b) and (c) (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="subscriber worker processes (default 2)")
    parser.add_argument(
        "--publishers", type=int, default=8, help="concurrent posting tasks in phase (c) (default 8)"
    )
    parser.add_argument(
        "--baseline",
        choices=("none", "socketio", "all"),
        default="all",
        help="also measure python-socketio (socketio) and Node's socket.io (all; skipped with a "
        "message when Node or `make bench-node` is missing) (default all)",
    )
    parser.add_argument(
        "--drain-timeout",
        type=float,
        default=60,
        help="seconds to wait after publishing for every subscriber to have every event (default 60)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server logs)")
    args = parser.parse_args(argv)
    for name in ("subscribers", "processes", "workers", "publishers"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.rate <= 0 or args.seconds <= 0:
        parser.error("--rate and --seconds must be positive")
    return args


def raise_open_files_limit(needed: int) -> int:
    """Raise this process's soft limit to the hard one (children inherit it); fail clearly if too low."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < needed:
        sys.exit(
            f"bench: the open-files limit is {hard} (hard), and this run needs about {needed} per "
            f"process. Raise it (e.g. `ulimit -Hn {needed}` as root, or LimitNOFILE in systemd), or "
            "spread the load with more --workers and --processes."
        )
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard if hard != resource.RLIM_INFINITY else soft


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind((HOST, 0))
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


def listener_pids(port: int) -> list[int]:
    """The process listening on a TCP port (Valkey daemonizes, so we never hold its pid)."""
    try:
        connections = psutil.net_connections(kind="tcp")
    except psutil.Error:
        return []
    return sorted(
        {
            c.pid
            for c in connections
            if c.pid and c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port
        }
    )


def postgres_pids(folder: Path) -> list[int]:
    """The postmaster (its pid is the first line of postmaster.pid) and its backends."""
    for pid_file in folder.rglob("postmaster.pid"):
        try:
            postmaster = psutil.Process(int(pid_file.read_text().split()[0]))
            return [postmaster.pid, *(c.pid for c in postmaster.children(recursive=True))]
        except (OSError, ValueError, IndexError, psutil.Error):
            return []
    return []


class Setup:
    """Admin, space, question and participants, through the real HTTP API."""

    def __init__(self, port: int) -> None:
        self.http = HttpConnection(HOST, port)

    async def call(
        self, method: str, path: str, body: object = None, token: str | None = None
    ) -> dict[str, object]:
        headers = {"Authorization": f"Bearer {token}"} if token else None
        status, answer = await self.http.request(method, path, body, headers)
        if status not in (200, 201) or not isinstance(answer, dict):
            raise HttpError(f"{method} {path}: {status} {answer}")
        return answer


async def start_roundtable(
    processes: int, publishers: int, redis_url: str, workdir: Path, log_dir: Path, redis_port: int
) -> Target:
    from server.actions.accounts import create_admin
    from server.running.cli import standalone_services
    from server.running.database import apply_schema
    from server.running.embedded import ensure_database, start_postgres
    from server.running.settings import Settings

    pg_folder = workdir / "postgres"
    server_url = await asyncio.to_thread(start_postgres, pg_folder)
    database_url = await ensure_database(server_url, "roundtable_bench")
    await apply_schema(database_url)
    async with standalone_services(Settings(database_url=database_url, redis_url=None)) as services:
        await create_admin(services, ADMIN_EMAIL, PASSWORD, "Bench Admin")

    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ROUNDTABLE_BUS_CHANNEL_PREFIX": f"rt-bench-{os.getpid()}",
        # The publishers post flat out from one address: fan-out is measured, not limits.
        "ROUNDTABLE_RATE_POST_PER_ACCOUNT": "100000000/60",
        "ROUNDTABLE_RATE_POST_PER_ADDRESS": "100000000/60",
        # Every subscriber connects from this machine's one address.
        "ROUNDTABLE_LIVE_MAX_CONNECTIONS_PER_ADDRESS": "1000000",
    }
    servers = [
        start_server_process(
            f"roundtable-{i}",
            [sys.executable, "-m", "server", "serve", "--host", HOST, "--port", str(port)],
            env,
            port,
            log_dir,
        )
        for i, port in enumerate(free_ports(processes))
    ]
    try:
        await wait_ready(servers, "/readyz")
        setup = Setup(servers[0].port)
        login = await setup.call("POST", "/api/v1/auth/login", {"email": ADMIN_EMAIL, "password": PASSWORD})
        admin = str(login["token"])
        await setup.call(
            "POST",
            "/api/v1/spaces",
            {"slug": SPACE, "title": "Benchmark consultation", "status": "open"},
            admin,
        )
        question = await setup.call(
            "POST", f"/api/v1/spaces/{SPACE}/questions", {"title": "What should the riverside become?"}, admin
        )
        question_id = int(str(question["id"]))
        tokens: list[str] = []
        for i in range(max(4, publishers)):
            user = await setup.call(
                "POST",
                "/api/v1/auth/register",
                {"email": f"p{i}@example.org", "password": PASSWORD, "display_name": f"Participant {i}"},
            )
            tokens.append(str(user["token"]))
        setup.http.close()
    except BaseException:
        stop_processes(servers)
        raise

    async def post(conn: HttpConnection, n: int) -> int:
        status, body = await conn.request(
            "POST",
            f"/api/v1/questions/{question_id}/comments",
            {"body": COMMENT.format(n=n)},
            {"Authorization": f"Bearer {tokens[n % len(tokens)]}"},
        )
        if status != 201:
            raise HttpError(f"POST comment: {status} {body}")
        return int(body["event_seq"])

    async def current_seq() -> int:
        reader = Setup(servers[0].port)
        try:
            space = await reader.call("GET", f"/api/v1/spaces/{SPACE}")
        finally:
            reader.http.close()
        return int(str(space["seq"]))

    return Target(
        name="Roundtable",
        protocol="roundtable",
        servers=servers,
        ws_path="/ws",
        post=post,
        current_seq=current_seq,
        space=SPACE,
        services={"redis": lambda: listener_pids(redis_port), "postgres": lambda: postgres_pids(pg_folder)},
    )


async def measure(starting: Awaitable[Target], options: Options) -> TargetResult:
    """Start a target, measure it, stop it (so it does not compete with the next one for CPU)."""
    target = await starting
    try:
        return await measure_target(target, options)
    finally:
        stop_processes(target.servers)


async def run(args: argparse.Namespace) -> int:
    options = Options(
        subscribers=args.subscribers,
        rate=args.rate,
        seconds=args.seconds,
        workers=args.workers,
        publishers=args.publishers,
        drain_timeout=args.drain_timeout,
    )
    # SIGTERM (a timeout, a CI job ending) cancels the run like Ctrl-C does, so the
    # finally blocks stop the servers and atexit stops PostgreSQL and removes the folder.
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    workdir = Path(tempfile.mkdtemp(prefix="roundtable-bench-"))
    if args.keep:
        print(f"Server logs and data: {workdir}")
    else:
        # Registered before PostgreSQL starts, so it runs after PostgreSQL's own
        # stop-at-exit handler (atexit runs last-registered first).
        atexit.register(shutil.rmtree, workdir, True)
    log_dir = workdir / "logs"
    log_dir.mkdir()

    from server.running.embedded import EmbeddedValkey

    valkey = EmbeddedValkey()
    redis_url = valkey.start()
    redis_port = valkey.port
    redis_pids = lambda: listener_pids(redis_port)  # noqa: E731 (a one-line provider)
    results: list[TargetResult] = []
    skipped: list[str] = []
    try:
        result = await measure(
            start_roundtable(args.processes, args.publishers, redis_url, workdir, log_dir, redis_port),
            options,
        )
        results.append(result)
        ours = result.phases[0] if result.phases else None
        size = round(ours.bytes_per_event) if ours and ours.deliveries else DEFAULT_MESSAGE_BYTES

        if args.baseline in ("socketio", "all"):
            from bench.baseline_socketio import start_socketio

            socketio = start_socketio(
                args.processes, redis_url, free_ports(args.processes), log_dir, size, redis_pids
            )
            results.append(await measure(socketio, options))
        if args.baseline == "all":
            from bench.baseline_node import node_unavailable, start_node

            reason = node_unavailable()
            if reason:
                skipped.append(f"Node socket.io baseline skipped: {reason}")
                print(f"\n{skipped[-1]}", flush=True)
            else:
                node = start_node(
                    args.processes, redis_url, free_ports(args.processes), log_dir, size, redis_pids
                )
                results.append(await measure(node, options))
    finally:
        valkey.stop()

    print_results(args, results, skipped)
    ours_result = results[0]
    failed = (
        any(
            p.lost or p.duplicated or p.out_of_order or p.unexpected or p.closes or p.post_errors
            for p in ours_result.phases
        )
        or ours_result.connected < ours_result.subscribers
    )
    return 1 if failed else 0


NOTES = (
    "Latency: from just before the POST (commit included) to the read that brought the event.",
    "Deliveries/s: events received by all subscribers / time from the phase's first post to the "
    "last receipt.",
    "CPU: % of one core over the phase (2 cores = 200%); 'machine busy' includes anything else "
    "running on the machine.",
    "Baselines: the seq comes from a Redis INCR before the broadcast, and socket.io does not order "
    "broadcasts across processes (each process sends locally first, then relays through Redis), so "
    "their out-of-order counts are the design of the baseline, not a fault of the load generator.",
)


def source_state() -> str:
    """The commit measured, and whether the working tree differed from it."""
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return described


def print_results(args: argparse.Namespace, results: list[TargetResult], skipped: list[str]) -> None:
    command = "python -m bench.fanout " + " ".join(sys.argv[1:])
    print("\n" + "=" * 80)
    print(f"Command: {command.strip()}")
    print(f"Source: {source_state()}")
    print(
        f"Machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; "
        f"Python {sys.version.split()[0]}; load generator on the same machine "
        f"({args.workers} worker processes)."
    )
    print(f"{args.subscribers} subscribers on one space, {args.processes} app processes, one Redis.\n")
    print(report.plain_table(results))
    print()
    for note in NOTES:
        print(f"- {note}")
    problems = report.problems(results)
    if problems:
        print("\nProblems observed:\n" + problems)
    for line in skipped:
        print(line)
    print("\nMarkdown:\n")
    print(report.markdown_table(results))


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    per_process = max(
        math.ceil(args.subscribers / args.workers), math.ceil(args.subscribers / args.processes)
    )
    limit = raise_open_files_limit(per_process + SPARE_FILES)
    print(f"Open-files limit: {limit} (need about {per_process + SPARE_FILES} per process).", flush=True)
    import uvloop

    sys.exit(uvloop.run(run(args)))


if __name__ == "__main__":
    main()
