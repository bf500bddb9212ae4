"""Themes in a running server: does the event loop keep answering while a question is
regrouped in the worker process, and how soon is a new comment placed?

Starts an embedded PostgreSQL and a real uvicorn server with themes on, fills one question
with generated comments and their vectors, then regroups it while timing `/healthz` round trips
every 10 ms and the event loop's lateness every 5 ms; then posts comments one by one and times
how long each takes to be placed. Run through `python -m bench.insight --live`.
"""

import asyncio
import statistics
import tempfile
import time
from contextlib import suppress
from pathlib import Path

import httpx
import uvicorn

from server.actions.themes import regroup_question
from server.app import create_app
from server.insight.embeddings import embed_comments
from server.running.embedded import ensure_database, start_postgres
from server.running.services import Services
from server.running.settings import Settings

HEALTH_INTERVAL_SECS = 0.01
TICK_SECS = 0.005
PLACEMENTS = 20
IDLE_SECS = 5


class Probe:
    """Round trips to /healthz and the event loop's lateness, while something else runs."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.round_trips: list[float] = []
        self.lateness: list[float] = []

    async def _health(self, http: httpx.AsyncClient) -> None:
        while True:
            started = time.perf_counter()
            response = await http.get(self.url + "/healthz")
            response.raise_for_status()
            self.round_trips.append(time.perf_counter() - started)
            await asyncio.sleep(HEALTH_INTERVAL_SECS)

    async def _ticks(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(TICK_SECS)
            self.lateness.append(time.perf_counter() - started - TICK_SECS)

    async def run(self, http: httpx.AsyncClient, stop: asyncio.Event) -> None:
        tasks = [asyncio.create_task(self._health(http)), asyncio.create_task(self._ticks())]
        try:
            await stop.wait()
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with suppress(asyncio.CancelledError):
                    await task

    def report(self, what: str) -> None:
        trips = sorted(self.round_trips)
        p99 = trips[min(len(trips) - 1, int(len(trips) * 0.99))]
        print(
            f"  during {what}: /healthz {len(trips)} round trips,"
            f" median {statistics.median(trips) * 1000:.1f} ms,"
            f" p99 {p99 * 1000:.1f} ms, max {trips[-1] * 1000:.1f} ms;"
            f" loop lateness max {max(self.lateness) * 1000:.1f} ms,"
            f" over 20 ms {sum(1 for late in self.lateness if late > 0.02)} times"
        )


async def _fill(services: Services, comments: list[tuple[str, str, str]]) -> int:
    vectors = embed_comments([text for _, _, text in comments])
    async with services.pool.acquire() as conn, conn.transaction():
        user = await conn.fetchval(
            """INSERT INTO users (email, password_hash, display_name, handle)
               VALUES ('b@x', '', 'B', 'b') RETURNING id"""
        )
        space = await conn.fetchval(
            "INSERT INTO spaces (slug, title, status) VALUES ('bench', 'B', 'open') RETURNING id"
        )
        question: int = await conn.fetchval(
            """INSERT INTO questions (space_id, kind, position, title, author_id)
               VALUES ($1, 'discussion', 1, 'Q', $2) RETURNING id""",
            space,
            user,
        )
        ids = await conn.fetch(
            """INSERT INTO comments (space_id, question_id, path, author_id, lang, body, body_html, status,
                                     detected_langs, vector_pending)
               SELECT $1, $2, '{}', $3, lang, body, body, 'published', ARRAY[lang], false
               FROM unnest($4::text[], $5::text[]) AS t(lang, body) RETURNING id, lang""",
            space,
            question,
            user,
            [lang for _, lang, _ in comments],
            [text for _, _, text in comments],
        )
        await conn.executemany(
            "INSERT INTO comment_vectors (comment_id, question_id, lang, vector) VALUES ($1, $2, $3, $4)",
            [(r["id"], question, r["lang"], v.tolist()) for r, v in zip(ids, vectors, strict=True)],
        )
    return question


async def _place_one(services: Services, question: int, lang: str, text: str) -> float:
    async with services.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT space_id, author_id FROM comments WHERE question_id = $1 LIMIT 1", question
        )
        assert row is not None
        space, user = row["space_id"], row["author_id"]
        started = time.perf_counter()
        comment = await conn.fetchval(
            """INSERT INTO comments (space_id, question_id, path, author_id, lang, body, body_html, status,
                                     detected_langs)
               VALUES ($1, $2, '{}', $3, $4, $5, $5, 'published', ARRAY[$4]) RETURNING id""",
            space,
            question,
            user,
            lang,
            text,
        )
        services.comments_written.set()
        while True:  # polling the table is what a reader would see
            if await conn.fetchval("SELECT count(*) FROM theme_members WHERE comment_id = $1", comment):
                break
            await asyncio.sleep(0.002)
    return time.perf_counter() - started


async def bench_live(comments: list[tuple[str, str, str]], new_comments: list[tuple[str, str, str]]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="roundtable-bench-themes-"))
    url = await ensure_database(start_postgres(folder), "bench")
    app = create_app(Settings(database_url=url, redis_url=None, themes_enabled=True))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    serving = asyncio.create_task(server.serve())
    async with asyncio.timeout(60):
        while True:
            if server.started:
                break
            await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    services: Services = app.state.services
    try:
        question = await _fill(services, comments)
        async with httpx.AsyncClient(timeout=10) as http:
            # The same probes with nothing else to do: on a shared machine the lateness is
            # mostly other processes' time slices, and this says how much.
            probe, stop = Probe(f"http://127.0.0.1:{port}"), asyncio.Event()
            probing = asyncio.create_task(probe.run(http, stop))
            await asyncio.sleep(IDLE_SECS)
            stop.set()
            await probing
            probe.report("5 s of idling (baseline)")

            probe, stop = Probe(f"http://127.0.0.1:{port}"), asyncio.Event()
            probing = asyncio.create_task(probe.run(http, stop))
            started = time.perf_counter()
            themes = await regroup_question(services, None, question)
            regroup_secs = time.perf_counter() - started
            stop.set()
            await probing
            print(
                f"live: regrouping {len(comments)} comments into {len(themes.themes)} themes"
                f" took {regroup_secs:.1f} s"
            )
            probe.report("the regrouping")

            probe, stop = Probe(f"http://127.0.0.1:{port}"), asyncio.Event()
            probing = asyncio.create_task(probe.run(http, stop))
            placements = [
                await _place_one(services, question, lang, text)
                for _, lang, text in new_comments[:PLACEMENTS]
            ]
            stop.set()
            await probing
            print(
                f"  placing a new comment (commit to membership, embedding in the worker included):"
                f" median {statistics.median(placements) * 1000:.0f} ms, max {max(placements) * 1000:.0f} ms"
                f" over {len(placements)}"
            )
            probe.report("placements")
    finally:
        server.should_exit = True
        await serving
