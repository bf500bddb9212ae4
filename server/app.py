"""The application factory: routes, the static client, error handling, lifespan."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from server import errors
from server.access.rate_limits import CounterStore, LocalCounters, RedisCounters
from server.api import (
    accounts,
    audit,
    comments,
    insight,
    moderation,
    participants,
    questions,
    render,
    screens,
    space_controls,
    spaces,
    spotlight,
)
from server.api.openapi import openapi_document
from server.api.routing import Api, json_response, services
from server.api.security_headers import SecurityHeaders
from server.live import sse
from server.live.bus import Bus, LocalBus, RedisBus
from server.live.hub import Hub
from server.live.messages import CLOSE_GOING_AWAY
from server.live.presence import LocalPresence, PresenceStore, RedisPresence
from server.live.ws import LIVE_PATH, serve_live_socket
from server.models import Health, Readiness
from server.running.database import apply_schema, create_pool, resolve_database_url
from server.running.scheduler import Scheduler
from server.running.services import Services
from server.running.settings import Settings

log = logging.getLogger(__name__)
CLIENT_DIR = Path(__file__).resolve().parent.parent / "client"
API_PREFIX = "/api/v1"


class RoundtableApp(Starlette):
    """Starlette, with the live endpoint `/ws` served ahead of every middleware layer
    (why: server/live/ws.py, `serve_live_socket`)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == LIVE_PATH:
            scope["app"] = self
            await serve_live_socket(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def build_api() -> Api:
    api = Api(prefix=API_PREFIX)
    for module in (
        accounts,
        spaces,
        questions,
        comments,
        render,
        moderation,
        spotlight,
        sse,
        space_controls,
        participants,
        screens,
        audit,
        insight,
    ):
        module.register_routes(api)
    return api


def create_bus(settings: Settings) -> tuple[Bus, PresenceStore]:
    if settings.redis_url:
        bus = RedisBus(settings.redis_url, settings.bus_channel_prefix)
        return bus, RedisPresence(bus.redis, settings.bus_channel_prefix)
    return LocalBus(), LocalPresence()


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    api = build_api()
    document = openapi_document(api, version("roundtable"))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        url = await resolve_database_url(settings)
        schema_version = await apply_schema(url)
        pool = await create_pool(url, settings)
        bus, presence = create_bus(settings)
        hub = Hub(pool, settings, presence)
        bus.add_handler(hub.accept)
        bus.add_reconnect_handler(hub.repair)
        await hub.start()
        await bus.start()
        counters: CounterStore = (
            RedisCounters(bus.redis, settings.bus_channel_prefix)
            if isinstance(bus, RedisBus)
            else LocalCounters()
        )
        app.state.services = services = Services(settings, pool, bus, schema_version, hub, counters)
        scheduler = Scheduler(services)
        scheduler.start()
        try:
            yield
        finally:
            await scheduler.stop()
            for connection in hub.connections():
                connection.outbox.close(CLOSE_GOING_AWAY, "server shutting down")
            await bus.stop()
            await hub.stop()
            await pool.close()

    async def openapi(request: Request) -> Response:
        return json_response(document)

    async def healthz(request: Request) -> Response:
        return json_response(Health(status="ok"))

    async def readyz(request: Request) -> Response:
        svc = services(request)
        try:
            await svc.pool.fetchval("SELECT 1")
        except Exception as exc:
            raise errors.ServiceUnavailable("The database is unreachable.") from exc
        if not await svc.bus.ping():
            raise errors.ServiceUnavailable("The bus is unreachable.")
        return json_response(
            Readiness(status="ok", database="ok", bus="ok", schema_version=svc.schema_version)
        )

    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        # The API has a router of its own, so a wrong method on an API path is a
        # 405 and an unknown API path a 404, never the static client's answer.
        Mount(API_PREFIX, routes=[Route("/openapi.json", openapi), *api.routes()]),
        Mount("/", StaticFiles(directory=CLIENT_DIR, html=True), name="client"),
    ]
    app = RoundtableApp(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={
            errors.AppError: app_error,
            HTTPException: http_error,
            Exception: unexpected_error,
        },
    )
    app.state.settings = settings
    app.state.api = api
    return app


async def app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.AppError)
    response = json_response(exc.body(), exc.status)
    response.headers.update(exc.headers())
    return response


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    error: errors.AppError
    if exc.status_code == 404:
        error = errors.RouteNotFound()
    elif exc.status_code == 405:
        error = errors.MethodNotAllowed()
    else:
        error = errors.AppError(exc.detail)
        return json_response(
            {"error": {"code": "http_error", "message": exc.detail, "details": None}},
            exc.status_code,
        )
    return json_response(error.body(), error.status)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error", exc_info=exc)
    return json_response(
        {
            "error": {
                "code": "internal_error",
                "message": "Something went wrong on our side.",
                "details": None,
            }
        },
        500,
    )
