"""This process's periodic stewarding work: scheduled question openings and
closings, and closing live connections that lost their right to stay.

One task per process, started and stopped with the app. Running it in every
process is safe: each due transition is applied by exactly one of them
(server/actions/schedule.py).
"""

import asyncio
import logging

from server.actions.schedule import apply_due_transitions
from server.live.revocation import close_lapsed_connections
from server.running.services import Services

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="scheduler")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._services.settings.scheduler_interval_secs)
            try:
                await self.run_once()
            except Exception:
                log.exception("scheduled work failed; retrying next interval")

    async def run_once(self) -> None:
        await apply_due_transitions(self._services)
        await close_lapsed_connections(self._services)
