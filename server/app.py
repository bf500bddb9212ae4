"""The application factory: routes, the static client, error handlers, lifespan."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
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
    flags,
    insight,
    moderation,
    participants,
    question_moderation,
    questions,
    render,
    screens,
    space_controls,
    spaces,
    spotlight,
    synthesis,
    themes,
)
from server.api.openapi import openapi_document
from server.api.routing import Api, json_response, services
from server.api.security_headers import SecurityHeaders
from server.insight.keeper import themes_kept
from server.insight.worker import InsightWorker
from server.live import sse
from server.live.bus import Bus, LocalBus, RedisBus
from server.live.hub import Hub
from server.live.messages import CLOSE_GOING_AWAY
from server.live.presence import LocalPresence, PresenceStore, RedisPresence
from server.live.ws import LIVE_PATH, serve_live_socket
from server.running.database import (
    DATABASE_DOWN_ERRORS,
    DatabaseUnavailable,
    apply_schema,
    close_pool,
    create_pool,
    resolve_database_url,
)
from server.running.metrics import LiveTally, Metrics, gauges_refreshed
from server.running.observe import RequestObserver
from server.running.proxies import TrustedProxies
from server.running.readiness import readyz
from server.running.scheduler import Scheduler
from server.running.services import Services
from server.running.settings import Settings
from server.running.writes import WriteLimit
from server.schemas.common import Health

log = logging.getLogger(__name__)
CLIENT_DIR = Path(__file__).resolve().parent.parent / "client"
API_PREFIX = "/api/v1"


class RoundtableApp(Starlette):
    """Starlette, with the live endpoint `/ws` served ahead of every middleware layer
    (why: server/live/ws.py, `serve_live_socket`), and trusted proxies' forwarded
    headers applied to every scope first (server/running/proxies.py)."""

    proxies = TrustedProxies(())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            self.proxies.rewrite(scope)
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
        flags,
        spotlight,
        sse,
        space_controls,
        participants,
        screens,
        audit,
        insight,
        question_moderation,
        synthesis,
        themes,
    ):
        module.register_routes(api)
    return api


def create_bus(settings: Settings) -> tuple[Bus, PresenceStore]:
    if settings.redis_url:
        bus = RedisBus(settings.redis_url, settings.bus_channel_prefix, cluster=settings.redis_cluster)
        return bus, RedisPresence(bus.redis, settings.bus_channel_prefix)
    return LocalBus(), LocalPresence()


def create_app(settings: Settings | None = None, insight_worker: InsightWorker | None = None) -> Starlette:
    """The app; `insight_worker`, when given, is borrowed (tests share one per session) rather
    than started and shut down with the app."""
    settings = settings or Settings()
    api = build_api()
    # Built on first request: generating every model's JSON schema takes most of a second,
    # which every process start (and every test's server) would otherwise pay.
    document: dict[str, Any] | None = None
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        url = await resolve_database_url(settings)
        schema_version = await apply_schema(url)
        pool = await create_pool(url, settings, metrics)
        bus, presence = create_bus(settings)
        tally = LiveTally(metrics)
        hub = Hub(pool, settings, presence, tally)
        bus.add_handler(hub.accept)
        bus.add_reconnect_handler(hub.repair)
        bus.add_reconnect_handler(tally.bus_reconnected)
        await hub.start()
        await bus.start()
        counters: CounterStore = (
            RedisCounters(bus.redis, settings.bus_channel_prefix)
            if isinstance(bus, RedisBus)
            else LocalCounters()
        )
        app.state.services = services = Services(settings, pool, bus, schema_version, hub, counters, metrics)
        services.database_url = url
        scheduler = Scheduler(services)
        scheduler.start()
        try:
            async with themes_kept(services, insight_worker), gauges_refreshed(metrics, pool, hub):
                yield
        finally:
            await scheduler.stop()
            for connection in hub.connections():
                connection.outbox.close(CLOSE_GOING_AWAY, "server shutting down")
            await bus.stop()
            await hub.stop()
            await close_pool(pool, settings.db_acquire_timeout_secs)

    async def openapi(request: Request) -> Response:
        nonlocal document
        if document is None:
            document = openapi_document(api, version("roundtable"))
        return json_response(document)

    async def healthz(request: Request) -> Response:
        return json_response(Health(status="ok"))

    async def metrics_endpoint(request: Request) -> Response:
        svc = services(request)
        metrics.observe_pool(svc.pool)
        if svc.hub is not None:
            metrics.observe_hub(svc.hub)
        content, media_type = metrics.exposition()
        return Response(content, media_type=media_type)

    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint),
        # The API has a router of its own, so a wrong method on an API path is a
        # 405 and an unknown API path a 404, never the static client's answer.
        Mount(API_PREFIX, routes=[Route("/openapi.json", openapi), *api.routes()]),
        Mount("/", StaticFiles(directory=CLIENT_DIR, html=True), name="client"),
    ]
    app = RoundtableApp(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(RequestObserver, metrics=metrics),
            Middleware(SecurityHeaders),
            Middleware(WriteLimit, settings=settings, metrics=metrics),
        ],
        exception_handlers={
            **errors.EXCEPTION_HANDLERS,
            errors.RateLimited: rate_limited,
            **dict.fromkeys(DATABASE_DOWN_ERRORS, database_down),
        },
    )
    app.proxies = TrustedProxies(settings.trusted_proxies)
    app.state.settings = settings
    app.state.api = api
    app.state.metrics = metrics
    return app


async def rate_limited(request: Request, exc: Exception) -> Response:
    """A rate limit's refusal, counted by the limit's action in the metrics."""
    assert isinstance(exc, errors.RateLimited)
    details = exc.details if isinstance(exc.details, dict) else {}
    request.app.state.metrics.rate_limit_refusals.labels(str(details.get("action", exc.code))).inc()
    return await errors.app_error(request, exc)


async def database_down(request: Request, exc: Exception) -> Response:
    """PostgreSQL went away during the request: its transaction was rolled back."""
    log.warning("database unavailable: %s", type(exc).__name__)
    request.app.state.metrics.database_unavailable.inc()
    return await errors.app_error(request, DatabaseUnavailable())
