"""Watching each HTTP request: a request id, one log line, and its metrics.

The id comes from the caller's (or proxy's) `X-Request-Id` when it looks like
one, else a new one; it is echoed in the response and is on every log line
written while the request is served. Requests are counted by route template
(`/api/v1/spaces/{slug}`), never by raw path, so the metrics stay bounded.
"""

import logging
import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.running.logs import request_id
from server.running.metrics import Metrics

log = logging.getLogger("roundtable.requests")
REQUEST_ID_HEADER = "x-request-id"
# Long enough for a UUID or a proxy's trace id; short and plain enough to be
# safe in a log line and a header.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_CONVERTOR = re.compile(r"\{(\w+):\w+\}")


class RequestObserver:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        rid = offered if _REQUEST_ID.match(offered) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(scope)
            self.metrics.http_requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.http_latency.labels(scope["method"], route).observe(elapsed)
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )
            request_id.reset(token)


def route_template(scope: Scope) -> str:
    """The matched route's path template, `static` for the client's files, `unmatched` otherwise."""
    route = scope.get("route")
    if isinstance(route, Route):
        # Inside a Mount, root_path holds the mount's prefix.
        prefix = str(scope.get("root_path", "")).removeprefix(str(scope.get("app_root_path", "")))
        return prefix + _CONVERTOR.sub(r"{\1}", route.path)
    if isinstance(route, Mount):
        return "static"
    return "unmatched"
