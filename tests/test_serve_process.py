"""`roundtable serve` as an operator runs it: a real process, signals, restarts, workers.

Without DATABASE_URL the command starts the embedded PostgreSQL itself; these
tests check that it stops with the app and that nothing blocks the next start.
"""

import asyncio
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest

from tests.helpers import PASSWORD, free_port

# initdb and the first start of PostgreSQL on a loaded 2-core machine.
FIRST_START_TIMEOUT_SECS = 90
STOP_TIMEOUT_SECS = 30


@dataclass
class Served:
    url: str
    process: asyncio.subprocess.Process
    log: Path


@pytest.fixture
def data_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="roundtable-serve-"))
    yield folder
    postmaster = postgres_process(folder)
    if postmaster is not None:  # a failed test must not leave a server behind
        postmaster.terminate()
    shutil.rmtree(folder, ignore_errors=True)


def postgres_process(data_dir: Path) -> psutil.Process | None:
    """The postmaster serving `data_dir`, if one is running."""
    pid_file = data_dir / "postgres" / "postmaster.pid"
    if not pid_file.exists():
        return None
    pid = int(pid_file.read_text().split("\n", 1)[0])
    try:
        process = psutil.Process(pid)
        return process if process.is_running() and process.status() != psutil.STATUS_ZOMBIE else None
    except psutil.NoSuchProcess:
        return None


def serve_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return env | {"ROUNDTABLE_DATA_DIR": str(data_dir)} | extra


@asynccontextmanager
async def serve(data_dir: Path, *args: str, **env: str) -> AsyncIterator[Served]:
    port = free_port()
    log = data_dir / f"serve-{port}.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", str(port), *args,
            env=serve_env(data_dir, **env), stdout=out, stderr=out,
        )
    served = Served(f"http://127.0.0.1:{port}", process, log)
    try:
        async with asyncio.timeout(FIRST_START_TIMEOUT_SECS), httpx.AsyncClient() as http:
            while True:
                if await is_ready(http, served):
                    break
                await asyncio.sleep(0.1)
        yield served
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def is_ready(http: httpx.AsyncClient, served: Served) -> bool:
    if served.process.returncode is not None:
        raise RuntimeError(served.log.read_text()[-3000:])
    try:
        return (await http.get(served.url + "/readyz")).status_code == 200
    except httpx.TransportError:
        return False


async def stop(served: Served, sig: signal.Signals) -> int:
    served.process.send_signal(sig)
    async with asyncio.timeout(STOP_TIMEOUT_SECS):
        return await served.process.wait()


async def register(url: str, email: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        response = await http.post(
            "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "display_name": "Kept"}
        )
        assert response.status_code == 201, response.text


async def can_log_in(url: str, email: str) -> bool:
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        response = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        return response.status_code == 200


async def test_sigterm_stops_the_embedded_postgresql_and_the_next_start_finds_the_data(
    data_dir: Path,
) -> None:
    async with serve(data_dir) as first:
        postmaster = postgres_process(data_dir)
        assert postmaster is not None
        await register(first.url, "kept@example.org")
        await stop(first, signal.SIGTERM)
    assert not postmaster.is_running() or postmaster.status() == psutil.STATUS_ZOMBIE
    assert postgres_process(data_dir) is None

    async with serve(data_dir) as second:
        assert await can_log_in(second.url, "kept@example.org")
        await stop(second, signal.SIGINT)  # Ctrl+C
    assert postgres_process(data_dir) is None


async def test_after_the_app_is_killed_the_next_start_adopts_the_postgresql_it_left(data_dir: Path) -> None:
    async with serve(data_dir) as first:
        await register(first.url, "survivor@example.org")
        await stop(first, signal.SIGKILL)
    orphan = postgres_process(data_dir)
    assert orphan is not None, "a killed app cannot stop its PostgreSQL; the next start must cope"

    async with serve(data_dir) as second:
        assert postgres_process(data_dir) == orphan
        assert await can_log_in(second.url, "survivor@example.org")
        await stop(second, signal.SIGTERM)
    assert postgres_process(data_dir) is None


async def test_several_workers_without_redis_are_refused_with_exit_code_2(data_dir: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server", "serve", "--workers", "2",
        env=serve_env(data_dir), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(STOP_TIMEOUT_SECS):
        _, stderr = await process.communicate()
    assert process.returncode == 2
    assert b"REDIS_URL" in stderr
    assert postgres_process(data_dir) is None, "nothing is started before the refusal"


async def test_several_workers_share_one_embedded_postgresql_and_sum_the_live_workers_metrics(
    data_dir: Path, redis_url: str, bus_prefix: str
) -> None:
    async with serve(
        data_dir, "--workers", "2", REDIS_URL=redis_url, ROUNDTABLE_BUS_CHANNEL_PREFIX=bus_prefix
    ) as served:
        postmasters = [
            p for p in psutil.process_iter(["name", "cmdline"])
            if p.info["name"] == "postgres" and str(data_dir) in " ".join(p.info["cmdline"] or [])
            and p.ppid() == 1
        ]
        assert len(postmasters) == 1
        async with httpx.AsyncClient(base_url=served.url, timeout=10) as http:
            # New connections are spread over the workers by the kernel; enough
            # requests reach both, and each counts its own into the shared files.
            for _ in range(20):
                async with httpx.AsyncClient(base_url=served.url, timeout=10) as fresh:
                    assert (await fresh.get("/healthz")).status_code == 200
            metrics = (await http.get("/metrics")).text
        line = next(
            m for m in metrics.splitlines()
            if m.startswith('roundtable_http_requests_total{method="GET",route="/healthz",status="200"}')
        )
        assert float(line.rsplit(" ", 1)[1]) == 20
        both_pools = await pool_max_connections(served.url)

        # A worker that dies is replaced; the gauges it left are no longer summed.
        started = workers_of(served)
        dead = started[0]
        folder = Path(dead.environ()["PROMETHEUS_MULTIPROC_DIR"])
        dead.kill()
        async with asyncio.timeout(WORKER_RESTART_TIMEOUT_SECS):
            while True:
                replacements = [w for w in workers_of(served) if w not in started]
                if any((folder / f"gauge_livesum_{w.pid}.db").exists() for w in replacements):
                    break
                await asyncio.sleep(0.1)
        assert not (folder / f"gauge_livesum_{dead.pid}.db").exists()
        assert await pool_max_connections(served.url) == both_pools
        assert await stop(served, signal.SIGTERM) == 0
    assert postgres_process(data_dir) is None


# A replacement worker starts its app: a pool, the bus, the first gauge refresh.
WORKER_RESTART_TIMEOUT_SECS = 30


def workers_of(served: Served) -> list[psutil.Process]:
    """The app worker processes `serve --workers` supervises."""
    workers = []
    for child in psutil.Process(served.process.pid).children():
        with suppress(psutil.ZombieProcess, psutil.NoSuchProcess):  # a killed one not yet reaped
            if "spawn_main" in " ".join(child.cmdline()):
                workers.append(child)
    return workers


async def pool_max_connections(url: str) -> float:
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        metrics = (await http.get("/metrics")).text
    line = next(m for m in metrics.splitlines() if m.startswith("roundtable_db_pool_max_connections "))
    return float(line.rsplit(" ", 1)[1])
