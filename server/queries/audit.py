"""The append-only audit log of moderation actions."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from server.queries import Executor

AUDIT_COLUMNS = """a.id, a.space_id, a.actor_id, u.display_name AS actor_name, a.action,
    a.target_type, a.target_id, a.reason, a.note, a.details, a.at"""


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    space_id: int
    actor_id: int | None
    actor_name: str | None
    action: str
    target_type: str
    target_id: int | None
    reason: str | None
    note: str
    details: dict[str, Any]
    at: datetime


async def insert_audit(
    db: Executor,
    *,
    space_id: int,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: int | None,
    reason: str | None,
    note: str,
    details: dict[str, Any],
) -> AuditRow:
    record = await db.fetchrow(
        f"""WITH a AS (
                INSERT INTO audit_log
                    (space_id, actor_id, action, target_type, target_id, reason, note, details)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                RETURNING *
            )
            SELECT {AUDIT_COLUMNS} FROM a LEFT JOIN users u ON u.id = a.actor_id""",
        space_id,
        actor_id,
        action,
        target_type,
        target_id,
        reason,
        note,
        details,
    )
    return AuditRow(**dict(record))
