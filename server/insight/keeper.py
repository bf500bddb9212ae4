"""The themes keeper: a task of each app process that follows comments' texts as they are
written: detects languages it has not yet, embeds new texts in the worker process, places
them into their question's nearest theme, and regroups a question when enough wait unplaced.

It wakes when this process writes a comment (so a new comment is placed within a second) and
every sweep interval otherwise (texts changed elsewhere: another process, an approved edit).
Work is found in the database, not handed over in memory, so nothing is lost with a process.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from server.actions import themes as theme_actions
from server.insight.comment_languages import detect_comment_languages
from server.insight.worker import InsightWorker
from server.queries import languages as language_queries
from server.queries import themes as theme_queries
from server.running.services import Services

log = logging.getLogger(__name__)

# Texts embedded per round: the encoder is about three times faster per text in a batch, and
# 32 texts take about a quarter of a second on one core, so a round stays short.
EMBED_BATCH = 32
DETECT_BATCH = 100
# Without a wake-up, look for texts written elsewhere this often.
SWEEP_INTERVAL_SECS = 5.0


class ThemesKeeper:
    def __init__(self, services: Services, worker: InsightWorker) -> None:
        self._services = services
        self._worker = worker
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="themes-keeper")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        written = self._services.comments_written
        while True:
            with suppress(TimeoutError):
                async with asyncio.timeout(SWEEP_INTERVAL_SECS):
                    await written.wait()
            written.clear()
            try:
                more = await self.catch_up()
            except asyncio.CancelledError:
                raise
            except Exception:
                # The database may be away for a moment; the next round finds the same work.
                log.exception("themes keeper round failed")
                more = False
            if more:
                written.set()

    async def catch_up(self) -> bool:
        """One round; True when a batch was full and more work waits."""
        pool = self._services.pool
        undetected = await language_queries.list_undetected(pool, DETECT_BATCH)
        for undetected_row in undetected:
            detected = await detect_comment_languages(undetected_row.body, undetected_row.languages)
            await language_queries.set_detected_languages(pool, undetected_row.id, detected)
        pending = await theme_queries.list_vector_pending(pool, EMBED_BATCH)
        if pending:
            vectors = await self._worker.embed([row.body for row in pending])
            async with pool.acquire() as conn, conn.transaction():
                for row, vector in zip(pending, vectors, strict=True):
                    await theme_queries.store_vector(conn, row.id, row.body, row.lang, vector)
        for question_id in sorted({row.question_id for row in pending}):
            if await theme_actions.place_new_comments(self._services, question_id):
                await theme_actions.regroup_question(self._services, None, question_id)
        return len(undetected) == DETECT_BATCH or len(pending) == EMBED_BATCH


@asynccontextmanager
async def themes_kept(services: Services, borrowed: InsightWorker | None = None) -> AsyncIterator[None]:
    """Run the worker process and the keeper for the app's lifetime, when themes are on.

    A `borrowed` worker (tests share one per session, so the encoder loads once) is used
    but not shut down.
    """
    if not services.settings.themes_enabled:
        yield
        return
    owned = InsightWorker() if borrowed is None else None
    worker = borrowed or owned
    assert worker is not None
    services.insight_worker = worker
    keeper = ThemesKeeper(services, worker)
    keeper.start()
    try:
        yield
    finally:
        await keeper.stop()
        services.insight_worker = None
        if owned is not None:
            # Waits for a grouping under way: in a thread, so the event loop goes on closing.
            await asyncio.to_thread(owned.shutdown)
