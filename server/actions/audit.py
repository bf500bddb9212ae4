"""Recording moderation actions in the audit log.

An action records its entry in the same transaction as its change and puts
the entry in its event's moderators payload (`audit`), so the space's
moderators see the log grow live and a log entry exists exactly when the
change does.
"""

from typing import Any

from pydantic import BaseModel

from server.access.identity import Viewer
from server.events import Event, record_event
from server.queries import Executor
from server.queries import audit as audit_queries
from server.schemas.audit import AuditEntry, entry


async def record_audit(
    db: Executor,
    space_id: int | None,
    actor: Viewer | None,
    action: str,
    target_type: str,
    target_id: int | None,
    *,
    reason: str | None = None,
    note: str = "",
    details: dict[str, Any] | BaseModel | None = None,
) -> AuditEntry:
    """Append one entry; `actor` None when Roundtable acted by itself (flags, schedules);
    `space_id` None for a site-wide action (suspending an account)."""
    if isinstance(details, BaseModel):
        details = details.model_dump(mode="json")
    row = await audit_queries.insert_audit(
        db,
        space_id=space_id,
        actor_id=actor.user_id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        note=note,
        details=details or {},
    )
    return entry(row)


def audited(data: dict[str, Any], entry: AuditEntry) -> dict[str, Any]:
    """A moderators' payload carrying the audit entry its action wrote."""
    return data | {"audit": entry.model_dump(mode="json")}


async def record_moderators_event(
    db: Executor, space_id: int, type_: str, data: dict[str, Any], entry: AuditEntry
) -> Event:
    """An event only the space's moderators see, carrying the audit entry its action wrote."""
    return await record_event(db, space_id, type_, public=None, moderators=audited(data, entry))
