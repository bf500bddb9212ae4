"""The baseline: a minimal broadcast server on python-socketio, the usual choice
for real-time Python apps, measured with the same load generator.

Server (one process; `start_socketio` runs P of them on one Redis):
AsyncServer + AsyncRedisManager, served by uvicorn with the same options as
`roundtable serve`. Every client joins one room on connect; POST /publish
takes a seq from a Redis counter (standing in for Roundtable's commit) and
broadcasts `{"seq", "type", "at", "data"}` to the room, padded by the
publisher to the size of a Roundtable event. The Redis manager carries the
broadcast to the other processes; each sends it to its own clients.

What it does not do, by design of the baseline: no ordering across
publishers, no repair of anything Redis drops, no resume, no bounded
outbox. Its lost / out-of-order counts are measured all the same.

Run one server by hand: BENCH_REDIS_URL=redis://… python -m bench.baseline_socketio --port 9000
"""

import argparse
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from bench.httpclient import HttpConnection, HttpError
from bench.loadgen import PostFn, ServerProcess, Target, start_server_process, wait_ready
from bench.subscribers import Protocol

ROOM = "bench"
SOCKETIO_PATH = "/socket.io/?EIO=4&transport=websocket"


def message_data(size: int) -> dict[str, Any]:
    """`data` for /publish such that the broadcast packet is about `size` bytes long."""
    sample = {
        "seq": 12345,
        "type": "comment.created",
        "at": datetime.now(UTC).isoformat(),
        "data": {"body": ""},
    }
    overhead = len(b'42["comment",' + orjson.dumps(sample) + b"]")
    return {"body": "x" * max(0, size - overhead)}


def create_app() -> Any:
    """The ASGI app (uvicorn factory); BENCH_REDIS_URL and BENCH_PREFIX come from the environment."""
    import redis.asyncio as redis
    import socketio
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    redis_url = os.environ["BENCH_REDIS_URL"]
    prefix = os.environ.get("BENCH_PREFIX", "bench-socketio")
    manager = socketio.AsyncRedisManager(redis_url, channel=f"{prefix}:broadcast")
    sio = socketio.AsyncServer(async_mode="asgi", client_manager=manager, transports=["websocket"])
    counter = redis.Redis.from_url(redis_url)

    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        await sio.enter_room(sid, ROOM)

    sio.on("connect", connect)

    async def publish(request: Request) -> Response:
        body = orjson.loads(await request.body())
        seq = int(await counter.incr(f"{prefix}:seq"))
        message = {
            "seq": seq,
            "type": "comment.created",
            "at": datetime.now(UTC).isoformat(),
            "data": body["data"],
        }
        await sio.emit("comment", message, room=ROOM)
        return JSONResponse({"event_seq": seq}, status_code=201)

    async def readyz(request: Request) -> Response:
        await counter.ping()
        return JSONResponse({"status": "ok"})

    app = Starlette(routes=[Route("/publish", publish, methods=["POST"]), Route("/readyz", readyz)])
    return socketio.ASGIApp(sio, other_asgi_app=app)


def serve(port: int) -> None:
    import uvicorn

    # The same uvicorn options as `roundtable serve` (server/running/cli.py).
    uvicorn.run(
        "bench.baseline_socketio:create_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        ws_per_message_deflate=False,
        log_level="info",
    )


def publisher_for(size: int) -> PostFn:
    data = message_data(size)

    async def post(conn: HttpConnection, n: int) -> int:
        status, body = await conn.request("POST", "/publish", {"data": data})
        if status != 201:
            raise HttpError(f"POST /publish: {status} {body}")
        return int(body["event_seq"])

    return post


async def _no_seq() -> int:
    return 0


def broadcast_target(
    name: str,
    protocol: Protocol,
    servers: list[ServerProcess],
    size: int,
    redis_pids: Callable[[], list[int]],
) -> Target:
    return Target(
        name=name,
        protocol=protocol,
        servers=servers,
        ws_path=SOCKETIO_PATH,
        post=publisher_for(size),
        current_seq=_no_seq,
        services={"redis": redis_pids},
    )


async def start_socketio(
    processes: int,
    redis_url: str,
    ports: list[int],
    log_dir: Path,
    size: int,
    redis_pids: Callable[[], list[int]],
) -> Target:
    servers = [
        start_server_process(
            f"socketio-{i}",
            [sys.executable, "-m", "bench.baseline_socketio", "--port", str(port)],
            {"BENCH_REDIS_URL": redis_url, "BENCH_PREFIX": f"bench-socketio-{os.getpid()}"},
            port,
            log_dir,
        )
        for i, port in enumerate(ports[:processes])
    ]
    await wait_ready(servers, "/readyz")
    return broadcast_target("python-socketio", "socketio", servers, size, redis_pids)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="One python-socketio broadcast server (baseline)")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    serve(args.port)


if __name__ == "__main__":
    main()
