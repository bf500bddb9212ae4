"""`/readyz`: whether this process can serve, and if not, which dependency is down.

A load balancer takes a process out of rotation on 503 and back on 200; the
body says which of PostgreSQL and the bus to look at.
"""

from typing import Literal

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from server.api.routing import json_response, services
from server.running.database import DATABASE_DOWN_ERRORS, DatabaseUnavailable

State = Literal["ok", "down"]
DATABASE_UNREACHABLE: tuple[type[Exception], ...] = (DatabaseUnavailable, *DATABASE_DOWN_ERRORS)


class Readiness(BaseModel):
    status: Literal["ok", "unavailable"]
    database: State
    bus: State
    schema_version: int


async def readyz(request: Request) -> Response:
    """200 when the database and the bus answer; 503 naming what is down otherwise."""
    svc = services(request)
    database: State = "ok"
    try:
        await svc.pool.fetchval("SELECT 1")
    except DATABASE_UNREACHABLE:
        database = "down"
    bus: State = "ok" if await svc.bus.ping() else "down"
    ready = database == "ok" and bus == "ok"
    body = Readiness(
        status="ok" if ready else "unavailable", database=database, bus=bus, schema_version=svc.schema_version
    )
    return json_response(body, 200 if ready else 503)
