"""The `roundtable` command: serve, migrate, create-admin."""

import argparse
import asyncio
import os
import signal
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager, suppress
from types import FrameType

import uvicorn

from server.live.bus import LocalBus
from server.running.database import apply_schema, create_pool, resolve_database_url
from server.running.embedded import ensure_database, running_postgres
from server.running.logs import log_config
from server.running.metrics import MULTIPROCESS_DIR_ENV
from server.running.services import Services
from server.running.settings import Settings
from server.running.websocket import WebSocketProtocol
from server.running.workers import Workers


@asynccontextmanager
async def standalone_services(settings: Settings) -> AsyncIterator[Services]:
    """Services for a one-off command, outside the web app."""
    url = await resolve_database_url(settings)
    version = await apply_schema(url)
    pool = await create_pool(url, settings.model_copy(update={"db_pool_min_size": 1}))
    try:
        yield Services(settings, pool, LocalBus(), version)
    finally:
        await pool.close()


async def _migrate(settings: Settings) -> None:
    async with standalone_services(settings) as services:
        print(f"Schema is at version {services.schema_version}.")


async def _create_admin(settings: Settings, email: str, password: str, name: str) -> None:
    from server.actions.accounts import create_admin
    from server.schemas.accounts import RegisterBody

    # Validate like registration does, for the same clear messages.
    RegisterBody(email=email, password=password, display_name=name)
    async with standalone_services(settings) as services:
        user = await create_admin(services, email, password, name)
        print(f"Admin {user.email} (id {user.id}) is ready.")


async def _load_demo(settings: Settings) -> None:
    from server.running.demo import demo_logins, load_demo

    async with standalone_services(settings) as services:
        created = await load_demo(services)
    print("Demo consultation " + ("created." if created else "already present."))
    print("Demo accounts (email / password):")
    for role, email, password in demo_logins():
        print(f"  {role:<12} {email:<40} {password}")


# argparse's own exit code for a usage error.
USAGE_ERROR = 2


class Terminated(Exception):
    """SIGTERM arrived: unwind, so that what this process started is stopped."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


def _serve(args: argparse.Namespace, settings: Settings) -> None:
    """Serve with `workers` processes on one port; stop what was started, however it ends.

    uvicorn turns SIGINT and SIGTERM into a graceful shutdown, then raises the
    signal again once the app has stopped. SIGTERM's default action would end
    the process there, skipping atexit and so leaving the embedded PostgreSQL
    running: the handler below makes it an exception that unwinds the stack.
    """
    workers = args.workers if args.workers is not None else settings.workers
    if workers > 1 and not settings.redis_url:
        sys.stderr.write(
            "roundtable serve: --workers above 1 needs REDIS_URL: the workers deliver each "
            "other's events through Redis.\n"
        )
        sys.exit(USAGE_ERROR)
    host = args.host or settings.host
    port = args.port if args.port is not None else settings.port
    signal.signal(signal.SIGTERM, _raise_terminated)
    with ExitStack() as stack:
        if not settings.database_url:
            # Started once, here, and shared by every worker through DATABASE_URL.
            server_url = stack.enter_context(running_postgres(settings.data_dir))
            os.environ["DATABASE_URL"] = asyncio.run(ensure_database(server_url, "roundtable"))
            settings = Settings()
        if args.demo:
            asyncio.run(_load_demo(settings))
        if workers > 1:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="roundtable-metrics-"))
            os.environ[MULTIPROCESS_DIR_ENV] = folder
        print(f"Roundtable is serving on http://{host}:{port} with {workers} worker(s)", flush=True)
        config = uvicorn.Config(
            "server.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            # The fan-out writes whole frames to this (sans-I/O) protocol's transport (server/live/direct.py).
            ws=WebSocketProtocol,
            ws_per_message_deflate=False,
            # A larger frame is refused by the protocol before it is buffered (close 1009).
            ws_max_size=settings.live_max_frame_bytes,
            # On SIGTERM live clients are told to come back elsewhere first
            # (server/live/restart.py); then uvicorn waits this long for
            # in-flight requests before the application's own shutdown.
            timeout_graceful_shutdown=settings.shutdown_grace_secs,
            # Forwarded headers are believed only from ROUNDTABLE_TRUSTED_PROXIES
            # (server/running/proxies.py), never by uvicorn's own rule.
            proxy_headers=False,
            server_header=False,
            access_log=False,
            log_config=log_config(settings.log_level),
        )
        with suppress(Terminated, KeyboardInterrupt):
            if workers > 1:
                # uvicorn.run's own path for workers, with a supervisor that also forgets
                # a gone worker's gauges (server/running/workers.py).
                Workers(config, sockets=[config.bind_socket()]).run()
            else:
                uvicorn.Server(config).run()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="roundtable", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="Serve the app")
    serve.add_argument("--host", help="Address to listen on (default: HOST setting)")
    serve.add_argument("--port", type=int, help="Port (default: PORT, else 8000)")
    serve.add_argument("--workers", type=int, help="App processes on the port (default: WORKERS setting)")
    serve.add_argument("--demo", action="store_true", help="Load the demo consultation first")
    commands.add_parser("migrate", help="Apply schema.sql")
    admin = commands.add_parser("create-admin", help="Create an admin account")
    admin.add_argument("email")
    admin.add_argument("--password", required=True)
    admin.add_argument("--name", required=True)
    args = parser.parse_args(argv)
    if args.command == "serve" and args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")

    settings = Settings()
    if args.command == "migrate":
        asyncio.run(_migrate(settings))
    elif args.command == "create-admin":
        from pydantic import ValidationError

        try:
            asyncio.run(_create_admin(settings, args.email, args.password, args.name))
        except ValidationError as exc:
            sys.exit(f"roundtable: {exc}")
    else:
        _serve(args, settings)


if __name__ == "__main__":
    main()
