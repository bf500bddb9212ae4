"""PostgreSQL in trouble: down, slow, or flooded with one space's writes.

Requests then fail at once with `503 service_unavailable` and write nothing;
reads recover by themselves; a flood of writers in one space leaves reads and
logins of others their share of the pool.
"""

import asyncio
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from server.running.database import apply_schema
from server.running.embedded import ensure_database, postgres_server, stop_postgres
from server.running.settings import Settings
from tests.helpers import PASSWORD, Api, RunningServer, assert_error, fetch_rows, start_server

# Far longer than any test here should wait for a connection: a request that
# does wait for it shows up as a test that runs out of REQUEST_BOUND_SECS.
PATIENT_ACQUIRE_SECS = 60.0
REQUEST_BOUND_SECS = 10
WRITERS = 12


async def comments_in(database_url: str, slug: str) -> int:
    rows = await fetch_rows(
        database_url,
        "SELECT count(*) AS n FROM comments c JOIN questions q ON q.id = c.question_id "
        "JOIN spaces s ON s.id = q.space_id WHERE s.slug = $1",
        slug,
    )
    n: int = rows[0]["n"]
    return n


@asynccontextmanager
async def started(settings: Settings) -> AsyncIterator[tuple[RunningServer, Api]]:
    async with start_server(settings) as server, httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield server, Api(http, server)


async def hold_space_lock(database_url: str, slug: str) -> asyncpg.Connection:
    """Take the space's row lock, as a writer in the middle of its transaction does."""
    conn = await asyncpg.connect(database_url)
    await conn.execute("BEGIN")
    await conn.execute("SELECT 1 FROM spaces WHERE slug = $1 FOR UPDATE", slug)
    return conn


async def wait_for_blocked_writers(database_url: str, count: int) -> None:
    """Until `count` sessions wait on a lock: the writers that got a slot are stuck on the space."""
    async with asyncio.timeout(REQUEST_BOUND_SECS):
        while True:
            rows = await fetch_rows(
                database_url,
                "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
            )
            if rows[0]["n"] >= count:
                return
            await asyncio.sleep(0.05)


async def flood(api: Api, busy_question: int, writers: int) -> "asyncio.Future[list[httpx.Response]]":
    author = await api.register("Flooder")
    return asyncio.gather(
        *(
            api.http.post(
                f"/api/v1/questions/{busy_question}/comments",
                json={"body": f"Flood {n}"},
                headers=author.headers,
            )
            for n in range(writers)
        )
    )


async def two_spaces(api: Api) -> tuple[int, int]:
    await api.space("busy")
    await api.space("calm")
    busy = await api.question("busy")
    calm = await api.question("calm")
    await api.comment(await api.register("Calm voice"), calm["id"], "Already here.")
    return busy["id"], calm["id"]


async def test_flood_of_writers_in_one_space_leaves_reads_and_logins_of_another_their_connections(
    database_url: str,
) -> None:
    settings = Settings(
        database_url=database_url, db_pool_max_size=4, db_writer_share=0.5, db_space_writer_share=0.5,
        db_acquire_timeout_secs=PATIENT_ACQUIRE_SECS,
    )
    async with started(settings) as (_, api):
        busy_question, calm_question = await two_spaces(api)
        someone = await api.register("Someone")
        lock = await hold_space_lock(database_url, "busy")
        try:
            writes = await flood(api, busy_question, WRITERS)
            # Two writer slots (half of 4): two writers hold connections, stuck on the lock.
            await wait_for_blocked_writers(database_url, 2)
            async with asyncio.timeout(REQUEST_BOUND_SECS):
                read = await api.http.get(f"/api/v1/questions/{calm_question}/comments")
                login = await api.http.post(
                    "/api/v1/auth/login", json={"email": someone.email, "password": PASSWORD}
                )
            assert read.status_code == 200 and [c["body"] for c in read.json()["items"]] == ["Already here."]
            assert login.status_code == 200
            assert not writes.done(), "the writers were to be waiting on the space's lock"
        finally:
            await lock.execute("ROLLBACK")
            await lock.close()
        async with asyncio.timeout(REQUEST_BOUND_SECS * 3):
            responses = await writes
        assert [r.status_code for r in responses] == [201] * WRITERS
        assert await comments_in(database_url, "busy") == WRITERS


async def test_writers_of_one_busy_space_leave_writer_slots_to_another_and_its_extra_writers_get_503(
    database_url: str,
) -> None:
    settings = Settings(
        # Two writer slots (half of 4), one of them per space (a quarter).
        database_url=database_url, db_pool_max_size=4, db_writer_share=0.5, db_space_writer_share=0.25,
        db_acquire_timeout_secs=2.0,
    )
    async with started(settings) as (_, api):
        busy_question, calm_question = await two_spaces(api)
        author = await api.register("Writer in both")
        lock = await hold_space_lock(database_url, "busy")
        try:
            busy_writes = [
                asyncio.ensure_future(api.http.post(
                    f"/api/v1/questions/{busy_question}/comments", json={"body": f"Busy {n}"},
                    headers=author.headers,
                ))
                for n in range(3)
            ]
            # One holds the busy space's slot and waits on its lock; two wait for that slot.
            await wait_for_blocked_writers(database_url, 1)
            async with asyncio.timeout(REQUEST_BOUND_SECS):
                calm_write = await api.http.post(
                    f"/api/v1/questions/{calm_question}/comments", json={"body": "Meanwhile, here."},
                    headers=author.headers,
                )
            assert calm_write.status_code == 201, calm_write.text
            # The two waiting for the slot give up after the acquire timeout, the lock still held.
            async with asyncio.timeout(REQUEST_BOUND_SECS):
                while sum(w.done() for w in busy_writes) < 2:
                    pending = [w for w in busy_writes if not w.done()]
                    await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for refused in [w.result() for w in busy_writes if w.done()]:
                assert_error(refused, 503, "service_unavailable")
        finally:
            await lock.execute("ROLLBACK")
            await lock.close()
        async with asyncio.timeout(REQUEST_BOUND_SECS):
            answers = await asyncio.gather(*busy_writes)
        assert sorted(r.status_code for r in answers) == [201, 503, 503]
        assert await comments_in(database_url, "busy") == 1
        assert await comments_in(database_url, "calm") == 2
        metrics = (await api.http.get("/metrics")).text
        assert 'roundtable_writer_wait_timeouts_total{reason="space"} 2.0' in metrics


async def test_without_the_writer_bound_the_same_flood_starves_reads_of_other_spaces(
    database_url: str,
) -> None:
    """Why the bound exists: writers queued on one space's lock hold every connection."""
    settings = Settings(
        database_url=database_url, db_pool_max_size=4, db_writer_share=1.0, db_space_writer_share=1.0,
        db_acquire_timeout_secs=1.0,
    )
    async with started(settings) as (_, api):
        busy_question, calm_question = await two_spaces(api)
        lock = await hold_space_lock(database_url, "busy")
        try:
            writes = await flood(api, busy_question, WRITERS)
            await wait_for_blocked_writers(database_url, 4)
            async with asyncio.timeout(REQUEST_BOUND_SECS):
                read = await api.http.get(f"/api/v1/questions/{calm_question}/comments")
            assert_error(read, 503, "service_unavailable")
        finally:
            await lock.execute("ROLLBACK")
            await lock.close()
        async with asyncio.timeout(REQUEST_BOUND_SECS * 3):
            await writes


async def test_statement_past_its_timeout_is_cancelled_with_503_and_writes_nothing(database_url: str) -> None:
    settings = Settings(database_url=database_url, db_statement_timeout_secs=0.5)
    async with started(settings) as (_, api):
        busy_question, _ = await two_spaces(api)
        author = await api.register("Patient")
        lock = await hold_space_lock(database_url, "busy")
        try:
            async with asyncio.timeout(REQUEST_BOUND_SECS):
                response = await api.http.post(
                    f"/api/v1/questions/{busy_question}/comments",
                    json={"body": "Stuck"},
                    headers=author.headers,
                )
        finally:
            await lock.execute("ROLLBACK")
            await lock.close()
        assert_error(response, 503, "service_unavailable")
        assert await comments_in(database_url, "busy") == 0


async def first_success(http: httpx.AsyncClient, path: str) -> httpx.Response:
    """GET `path` until it answers 200 (the caller bounds the wait)."""
    response = await http.get(path)
    while response.status_code != 200:
        await asyncio.sleep(0.1)
        response = await http.get(path)
    return response


@pytest.fixture
def own_postgres() -> Iterator[Any]:
    """A PostgreSQL of this test's own, so stopping it disturbs no other test."""
    folder = Path(tempfile.mkdtemp(prefix="roundtable-outage-"))
    handle = postgres_server(folder, cleanup_mode=None)
    try:
        yield handle
    finally:
        stop_postgres(handle)
        shutil.rmtree(folder, ignore_errors=True)


async def test_while_postgresql_is_down_requests_fail_at_once_and_reads_recover_when_it_returns(
    own_postgres: Any,
) -> None:
    url = await ensure_database(str(own_postgres.get_uri()), "roundtable")
    await apply_schema(url)
    settings = Settings(database_url=url, db_acquire_timeout_secs=PATIENT_ACQUIRE_SECS)
    async with started(settings) as (_, api):
        await api.space("water")
        question = await api.question("water")
        author = await api.register("Writer")
        await api.comment(author, question["id"], "Before the outage.")
        comments_path = f"/api/v1/questions/{question['id']}/comments"

        await asyncio.to_thread(stop_postgres, own_postgres)
        async with asyncio.timeout(REQUEST_BOUND_SECS):
            read = await api.http.get(comments_path)
            write = await api.http.post(comments_path, json={"body": "Lost?"}, headers=author.headers)
            ready = await api.http.get("/readyz")
        assert_error(read, 503, "service_unavailable")
        assert_error(write, 503, "service_unavailable")
        assert ready.status_code == 503
        assert ready.json() | {"schema_version": 0} == {
            "status": "unavailable", "database": "down", "bus": "ok", "schema_version": 0,
        }

        await asyncio.to_thread(own_postgres.ensure_postgres_running)
        async with asyncio.timeout(REQUEST_BOUND_SECS * 2):
            read = await first_success(api.http, comments_path)
        assert [c["body"] for c in read.json()["items"]] == ["Before the outage."]
        assert (await api.http.get("/readyz")).status_code == 200
