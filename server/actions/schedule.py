"""Opening and closing questions at their scheduled times.

Every app process runs this periodically (server/running/scheduler.py). Each space
with due questions is claimed with `FOR UPDATE SKIP LOCKED` on its row, the
lock every writer of the space takes first: whichever process holds it applies
that space's transitions, under the lock re-reads what is still due, and so
writes exactly one event per transition however many processes run.
"""

from datetime import datetime

from server.actions.questions import question_event
from server.events import Event
from server.queries import Executor
from server.queries import questions as question_queries
from server.queries import spaces as space_queries
from server.queries.spaces import SpaceRow
from server.running.services import Services

# Spaces handled per run; the rest wait for the next run, a second later.
MAX_SPACES_PER_RUN = 100


async def apply_due_transitions(services: Services) -> list[Event]:
    """Open the scheduled questions whose time has come and close the open ones
    past their closing time; return the events written (already published)."""
    written: list[Event] = []
    for _ in range(MAX_SPACES_PER_RUN):
        events: list[Event] = []
        async with services.pool.acquire() as conn, conn.transaction():
            space_id = await question_queries.claim_space_with_due_questions(conn)
            if space_id is None:
                break
            space = await space_queries.lock_space(conn, space_id)
            now: datetime = await conn.fetchval("SELECT now()")
            for due in await question_queries.list_due_questions(conn, space_id):
                if due.status == "scheduled":
                    details = {"opens_at": _iso(due.opens_at)}
                    events.append(await _on_schedule(conn, space, due.id, "open", "question.opened", details))
                if due.closes_at is not None and due.closes_at <= now:
                    details = {"closes_at": _iso(due.closes_at)}
                    events.append(
                        await _on_schedule(conn, space, due.id, "closed", "question.closed", details)
                    )
        await services.publish(*events)
        written += events
    return written


async def _on_schedule(
    db: Executor, space: SpaceRow, question_id: int, status: str, type_: str, details: dict[str, str | None]
) -> Event:
    """Set the question's status as its schedule says, audited as Roundtable's doing."""
    await question_queries.set_question_status(db, question_id, status)
    _, event = await question_event(
        db, space, question_id, type_, audit=True, details={"scheduled": True, **details}
    )
    return event


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
