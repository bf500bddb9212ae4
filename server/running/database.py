"""The database pool and the schema: schema.sql is applied whole, idempotently."""

import asyncio
import hashlib
import json
import logging
import time
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from asyncpg.exceptions import OperatorInterventionError, PostgresConnectionError

from server import errors
from server.running.metrics import Metrics
from server.running.settings import Settings

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema.sql"
# Any constant works: it only has to be the same in every process so that two
# processes starting together apply the schema one after the other.
SCHEMA_LOCK_KEY = 7_264_110

log = logging.getLogger(__name__)

Pool = asyncpg.Pool
# What a request meets while PostgreSQL is down, restarting or too slow: the
# connection is gone (08xxx), the server refuses or ends sessions or cancelled a
# statement past its timeout (57xxx), or the socket cannot be reached at all.
DATABASE_DOWN_ERRORS: tuple[type[Exception], ...] = (
    PostgresConnectionError,
    OperatorInterventionError,
    OSError,
)


class DatabaseUnavailable(errors.ServiceUnavailable):
    """PostgreSQL is down, restarting or too slow: nothing was written; try again shortly."""

    message = "The database is unavailable; nothing was changed. Try again shortly."


class MeteredPool(asyncpg.Pool):
    """asyncpg's pool with a bounded wait for a connection, measured.

    A wait past `acquire_timeout_secs`, or a connection that cannot be made
    because PostgreSQL is down, raises `DatabaseUnavailable` at once instead of
    holding the request.
    """

    def __init__(self, *args: Any, acquire_timeout_secs: float, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._acquire_timeout_secs = acquire_timeout_secs
        self._metrics = metrics

    async def _acquire(self, timeout: float | None) -> Any:  # noqa: ASYNC109 (asyncpg's signature)
        started = time.perf_counter()
        try:
            return await super()._acquire(timeout or self._acquire_timeout_secs)  # type: ignore[misc]
        except TimeoutError:
            self._metrics.pool_acquire_timeouts.inc()
            raise DatabaseUnavailable("The database is busy; nothing was changed. Try again.") from None
        except DATABASE_DOWN_ERRORS as exc:
            raise DatabaseUnavailable() from exc
        finally:
            self._metrics.pool_acquire_wait.observe(time.perf_counter() - started)


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda value: orjson.dumps(value).decode(),
        decoder=json.loads,
        schema="pg_catalog",
    )


async def create_pool(url: str, settings: Settings, metrics: Metrics | None = None) -> Pool:
    pool = MeteredPool(
        url,
        min_size=settings.db_pool_min_size,
        max_size=max(settings.db_pool_min_size, settings.db_pool_max_size),
        max_queries=50_000,
        max_inactive_connection_lifetime=300.0,
        init=_init_connection,
        reset=_keep_session,
        connect=None,
        setup=None,
        loop=None,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        server_settings={"statement_timeout": str(int(settings.db_statement_timeout_secs * 1000))},
        acquire_timeout_secs=settings.db_acquire_timeout_secs,
        metrics=metrics or Metrics(),
    )
    await pool
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


async def close_pool(pool: Pool, within_secs: float) -> None:
    """Close the pool once its connections come back, but never wait past `within_secs`.

    A shutdown must end in bounded time even if a connection is stuck on an unanswering
    server: whatever is still out then is cut.
    """
    try:
        async with asyncio.timeout(within_secs):
            await pool.close()
    except TimeoutError:
        log.warning("database pool still busy after %.0f s at shutdown; closing it by force", within_secs)
        pool.terminate()


def schema_sql() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


async def apply_schema(url: str) -> int:
    """Apply schema.sql (safe to repeat) and return the schema version it records.

    A database that was last given this very text is left alone: every process start
    (and every test's server) would otherwise run the whole file again to no effect.
    """
    sql = schema_sql()
    digest = hashlib.sha256(sql.encode()).hexdigest()
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", SCHEMA_LOCK_KEY)
            if await _applied_digest(conn) != digest:
                await conn.execute(sql)
                await conn.execute(
                    "INSERT INTO schema_applied (digest) VALUES ($1)"
                    " ON CONFLICT (only_row) DO UPDATE SET digest = EXCLUDED.digest, applied_at = now()",
                    digest,
                )
            version: int = await conn.fetchval("SELECT max(version) FROM schema_version")
        return version
    finally:
        await conn.close()


async def _applied_digest(conn: asyncpg.Connection) -> str | None:
    if await conn.fetchval("SELECT to_regclass('schema_applied')") is None:
        return None
    digest: str | None = await conn.fetchval("SELECT digest FROM schema_applied")
    return digest


async def resolve_database_url(settings: Settings) -> str:
    """DATABASE_URL when set; otherwise start the embedded server and use its `roundtable` db."""
    if settings.database_url:
        return settings.database_url
    from server.running.embedded import ensure_database, start_postgres

    server_url = start_postgres(settings.data_dir)
    return await ensure_database(server_url, "roundtable")
