"""Shared test helpers: a running server, API shortcuts, and the two checks every
test uses (a frame's type, the error shape)."""

import asyncio
import itertools
import os
import socket
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
import uvicorn

from server.actions.accounts import create_admin
from server.app import create_app
from server.insight.worker import InsightWorker
from server.running.embedded import database_url_for
from server.running.services import Services
from server.running.settings import Settings
from server.running.websocket import WebSocketProtocol

# Generous: a loaded CI machine with two cores starts a server in well under this.
SERVER_START_TIMEOUT_SECS = 20
PASSWORD = "correct horse battery"
TEMPLATE_DB = "roundtable_test_template"
_names = itertools.count(1)
_databases = itertools.count(1)


@dataclass
class RunningServer:
    url: str
    port: int
    settings: Settings
    app: Any

    @property
    def services(self) -> Services:
        found: Services = self.app.state.services
        return found

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/ws"


@asynccontextmanager
async def start_server(
    settings: Settings, insight_worker: InsightWorker | None = None
) -> AsyncIterator[RunningServer]:
    """A real uvicorn server on a free port, in this event loop (with a borrowed insight worker)."""
    app = create_app(settings, insight_worker)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="on",
        ws=WebSocketProtocol,
        ws_per_message_deflate=False,
        # As `roundtable serve`: only ROUNDTABLE_TRUSTED_PROXIES decides whom to believe.
        proxy_headers=False,
        ws_max_size=settings.live_max_frame_bytes,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(SERVER_START_TIMEOUT_SECS):
            while not server.started:
                if task.done():
                    task.result()
                    raise RuntimeError("server stopped during start-up")
                await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield RunningServer(f"http://127.0.0.1:{port}", port, settings, app)
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def fresh_database(postgres_server_url: str, template: str) -> AsyncIterator[str]:
    """A database cloned from the template (which has the schema), dropped afterwards."""
    name = f"roundtable_test_{os.getpid()}_{next(_databases)}"
    conn = await asyncpg.connect(postgres_server_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    finally:
        await conn.close()
    try:
        yield database_url_for(postgres_server_url, name)
    finally:
        conn = await asyncpg.connect(postgres_server_url)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The response is the one JSON error shape, with this status and code."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


def assert_frame(frame: dict[str, Any], type_: str) -> dict[str, Any]:
    assert frame.get("type") == type_, frame
    return frame


@dataclass
class User:
    id: int
    email: str
    token: str
    handle: str
    display_name: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Api:
    """Shortcuts for setting up scenarios through the real HTTP API."""

    http: httpx.AsyncClient
    server: RunningServer
    _admin: User | None = field(default=None)

    async def register(
        self, name: str | None = None, *, affiliation: str | None = "Test Org", language: str = "en"
    ) -> User:
        n = next(_names)
        name = name or f"Participant {n}"
        email = f"user{n}@example.org"
        response = await self.http.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": name,
                  "affiliation": affiliation, "language": language},
        )
        assert response.status_code == 201, response.text
        # Tests act through bearer tokens; keep the shared client anonymous.
        self.http.cookies.clear()
        body = response.json()
        return User(body["user"]["id"], email, body["token"], body["user"]["handle"], name)

    async def admin(self) -> User:
        if self._admin is None:
            n = next(_names)
            email = f"admin{n}@example.org"
            await create_admin(self.server.services, email, PASSWORD, f"Admin {n}")
            response = await self.http.post(
                "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            self.http.cookies.clear()
            body = response.json()
            self._admin = User(body["user"]["id"], email, body["token"], body["user"]["handle"],
                               f"Admin {n}")
        return self._admin

    async def space(self, slug: str = "consultation", **fields: Any) -> dict[str, Any]:
        admin = await self.admin()
        body = {"slug": slug, "title": f"Consultation {slug}", "status": "open"} | fields
        response = await self.http.post("/api/v1/spaces", json=body, headers=admin.headers)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def moderator(self, slug: str, name: str | None = None) -> User:
        user = await self.register(name or "Moderator")
        admin = await self.admin()
        response = await self.http.post(
            f"/api/v1/spaces/{slug}/moderators", json={"user_id": user.id}, headers=admin.headers
        )
        assert response.status_code == 201, response.text
        return user

    async def question(self, slug: str, title: str = "What works?", **fields: Any) -> dict[str, Any]:
        admin = await self.admin()
        response = await self.http.post(
            f"/api/v1/spaces/{slug}/questions", json={"title": title} | fields, headers=admin.headers
        )
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def comment(
        self, user: User, question_id: int, body: str = "A contribution.", **fields: Any
    ) -> dict[str, Any]:
        response = await self.http.post(
            f"/api/v1/questions/{question_id}/comments", json={"body": body} | fields,
            headers=user.headers,
        )
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result


async def fetch_rows(database_url: str, sql: str, *args: Any) -> list[dict[str, Any]]:
    """Rows straight from the test database, to check what a request wrote (or did not)."""
    import json

    import asyncpg

    conn = await asyncpg.connect(database_url)
    try:
        await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
        return [dict(r) for r in await conn.fetch(sql, *args)]
    finally:
        await conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class ServerProcess:
    """`roundtable serve` in a process of its own: the honest test of fan-out."""

    url: str
    process: "asyncio.subprocess.Process"

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/ws"


@asynccontextmanager
async def start_process(env: dict[str, str]) -> AsyncIterator[ServerProcess]:
    port = free_port()
    # A file, not a pipe: nobody reads the log while the test runs, and a full
    # pipe would block the server.
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", str(port),
        env={**os.environ, **env}, stdout=log, stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with asyncio.timeout(SERVER_START_TIMEOUT_SECS), httpx.AsyncClient() as http:
            while True:
                if process.returncode is not None:
                    log.seek(0)
                    raise RuntimeError(log.read().decode()[-2000:])
                try:
                    if (await http.get(url + "/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.05)
        yield ServerProcess(url, process)
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                async with asyncio.timeout(10):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()
        log.close()


def app_env(database_url: str, redis_url: str, bus_prefix: str) -> dict[str, str]:
    """The environment of app processes that share this test's database and Redis."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ROUNDTABLE_BUS_CHANNEL_PREFIX": bus_prefix,
        "ROUNDTABLE_REPAIR_INTERVAL_SECS": "0.5",
        "ROUNDTABLE_PRESENCE_INTERVAL_SECS": "0.2",
        # Delivery tests post fast from one account; the limits have tests of their own.
        "ROUNDTABLE_RATE_POST_PER_ACCOUNT": "100000/60",
        "ROUNDTABLE_RATE_POST_PER_ADDRESS": "100000/60",
    }


@asynccontextmanager
async def two_processes(env: dict[str, str]) -> AsyncIterator[tuple[ServerProcess, ServerProcess]]:
    async with start_process(env) as a, start_process(env) as b:
        yield a, b
