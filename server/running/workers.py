"""Supervising `serve --workers N`: uvicorn's supervisor, plus forgetting a gone worker's gauges.

prometheus-client keeps each worker's gauges in files named by its pid; a
worker that exits (crashed, killed, replaced) would go on being summed into
`/metrics` until its files are marked dead, here, by the parent that saw it go.
"""

from prometheus_client.multiprocess import mark_process_dead
from uvicorn.supervisors import Multiprocess


class Workers(Multiprocess):
    """uvicorn's worker supervisor; every worker it lets go is marked dead for the metrics."""

    def _pids(self) -> set[int]:
        return {process.pid for process in self.processes if process.pid is not None}

    def _forget(self, before: set[int]) -> None:
        for pid in before - self._pids():
            mark_process_dead(pid)  # type: ignore[no-untyped-call]

    def keep_subprocess_alive(self) -> None:
        before = self._pids()
        super().keep_subprocess_alive()
        self._forget(before)

    def restart_all(self) -> None:
        before = self._pids()
        super().restart_all()
        self._forget(before)

    def handle_ttou(self) -> None:
        before = self._pids()
        super().handle_ttou()
        self._forget(before)
