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
from server.queries import flags as flag_queries
from server.schemas.audit import AuditEntry, entry

# States in which a moderator has a reason to read a comment's or a question's
# text: the author's delete then keeps it as evidence rather than erasing it.
UNDER_REVIEW = frozenset({"pending", "hidden", "rejected"})


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


async def record_delete_under_review(
    db: Executor,
    viewer: Viewer,
    space_id: int,
    target: str,
    target_id: int,
    state: str,
    text: dict[str, str],
) -> AuditEntry | None:
    """The audit entry of an author's delete of a comment or question under review
    (pending, flagged, hidden or rejected), which keeps its `text` as evidence; None
    when nothing is under review and the text may be erased.

    `state` is the comment's status or the question's visibility, which plays it.
    """
    open_flags = await flag_queries.count_open_flags(db, target_id, target=target)
    if state not in UNDER_REVIEW and open_flags == 0:
        return None
    state_key = "status" if target == "comment" else "visibility"
    return await record_audit(
        db,
        space_id,
        viewer,
        f"{target}.delete",
        target,
        target_id,
        details={state_key: state, "open_flags": open_flags, **text},
    )
