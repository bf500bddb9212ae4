"""The `roundtable` command: serve, migrate, create-admin."""

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn

from server.live.bus import LocalBus
from server.running.database import apply_schema, create_pool, resolve_database_url
from server.running.services import Services
from server.running.settings import Settings


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
    from server.models import RegisterBody

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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="roundtable", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="Serve the app")
    serve.add_argument("--host", help="Address to listen on (default: HOST setting)")
    serve.add_argument("--port", type=int, help="Port (default: PORT, else 8000)")
    serve.add_argument("--demo", action="store_true", help="Load the demo consultation first")
    commands.add_parser("migrate", help="Apply schema.sql")
    admin = commands.add_parser("create-admin", help="Create an admin account")
    admin.add_argument("email")
    admin.add_argument("--password", required=True)
    admin.add_argument("--name", required=True)
    args = parser.parse_args(argv)

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
        if args.demo:
            asyncio.run(_load_demo(settings))
        host = args.host or settings.host
        port = args.port if args.port is not None else settings.port
        print(f"Roundtable is serving on http://{host}:{port}")
        uvicorn.run(
            "server.app:create_app",
            factory=True,
            host=host,
            port=port,
            # The fan-out writes whole frames to this protocol's transport (server/live/direct.py).
            ws="websockets-sansio",
            ws_per_message_deflate=False,
            # A larger frame is refused by the protocol before it is buffered (close 1009).
            ws_max_size=settings.live_max_frame_bytes,
            # On SIGTERM live clients are told to come back elsewhere first
            # (server/live/restart.py); then uvicorn waits this long for
            # in-flight requests before the application's own shutdown.
            timeout_graceful_shutdown=settings.shutdown_grace_secs,
            log_level="info",
        )


if __name__ == "__main__":
    main()
