"""The Node baseline: socket.io with @socket.io/redis-adapter (bench/node/server.js),
P processes on the same Redis, measured like the others.

Optional: it needs Node (not part of a newcomer's setup) and `make bench-node`
(npm ci of the exact versions in bench/node/package-lock.json).
"""

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from bench.baseline_socketio import broadcast_target
from bench.httpclient import HttpConnection
from bench.loadgen import HOST, Target, start_server_process, wait_ready

NODE_DIR = Path(__file__).resolve().parent / "node"


def node_unavailable() -> str | None:
    """Why the Node baseline cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "`node` is not on PATH (install Node 18+ to include it)"
    if not (NODE_DIR / "node_modules" / "socket.io").is_dir():
        return "its packages are not installed (run `make bench-node`)"
    return None


async def start_node(
    processes: int,
    redis_url: str,
    ports: list[int],
    log_dir: Path,
    size: int,
    redis_pids: Callable[[], list[int]],
) -> Target:
    node = shutil.which("node")
    assert node is not None
    servers = [
        start_server_process(
            f"node-{i}",
            [node, "--expose-gc", str(NODE_DIR / "server.js")],
            {"PORT": str(port), "REDIS_URL": redis_url, "BENCH_PREFIX": f"bench-node-{os.getpid()}"},
            port,
            log_dir,
        )
        for i, port in enumerate(ports[:processes])
    ]
    await wait_ready(servers, "/readyz")
    target = broadcast_target("Node socket.io", "socketio", servers, size, redis_pids)

    async def collect_garbage() -> None:
        for server in servers:
            http = HttpConnection(HOST, server.port)
            try:
                await http.request("POST", "/gc")
            finally:
                http.close()

    target.before_rss = collect_garbage
    return target
