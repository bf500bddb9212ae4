"""The database pool and the schema: schema.sql is applied whole, idempotently."""

import json
from pathlib import Path

import asyncpg
import orjson

from server.running.settings import Settings

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema.sql"
# Any constant works: it only has to be the same in every process so that two
# processes starting together apply the schema one after the other.
SCHEMA_LOCK_KEY = 7_264_110

Pool = asyncpg.Pool


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda value: orjson.dumps(value).decode(),
        decoder=json.loads,
        schema="pg_catalog",
    )


async def create_pool(url: str, settings: Settings) -> Pool:
    pool = await asyncpg.create_pool(
        url,
        min_size=settings.db_pool_min_size,
        max_size=max(settings.db_pool_min_size, settings.db_pool_max_size),
        init=_init_connection,
        reset=_keep_session,
    )
    assert pool is not None
    return pool


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Nothing to reset when a connection goes back to the pool.

    asyncpg's default reset query (close cursors, unlisten, unlock advisory
    locks, reset settings) costs a round trip on every release, a fifth of a
    comment's round trips. Roundtable's pooled connections never change
    session state: no SET, LISTEN or session advisory lock (the schema's lock
    is taken on a connection of its own), and transactions end with their
    `async with`.
    """


def schema_sql() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


async def apply_schema(url: str) -> int:
    """Apply schema.sql (safe to repeat) and return the schema version it records."""
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", SCHEMA_LOCK_KEY)
            await conn.execute(schema_sql())
            version: int = await conn.fetchval("SELECT max(version) FROM schema_version")
        return version
    finally:
        await conn.close()


async def resolve_database_url(settings: Settings) -> str:
    """DATABASE_URL when set; otherwise start the embedded server and use its `roundtable` db."""
    if settings.database_url:
        return settings.database_url
    from server.running.embedded import ensure_database, start_postgres

    server_url = start_postgres(settings.data_dir)
    return await ensure_database(server_url, "roundtable")
