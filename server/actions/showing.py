"""Moderators' decisions on whether a comment or a participant's question is shown.

The rules are one for both: a question's `visibility` plays a comment's `status`,
and each decision changes it, and resolves its open flags, the same way.
"""

from typing import Protocol

from server.queries import Executor
from server.queries import flags as flag_queries

# What each decision sets: the new state, whether that removes the target (the
# moderator and the reason are then recorded) and how its open flags end, if at all.
SHOWING_DECISIONS: dict[str, tuple[str, bool, str | None]] = {
    "approve": ("published", False, None),
    "reject": ("rejected", True, None),
    "hide": ("hidden", True, "upheld"),
    "restore": ("published", False, "dismissed"),
}


class SetShown(Protocol):
    """The query that sets a comment's status or a question's visibility."""

    async def __call__(
        self, db: Executor, target_id: int, state: str, /, *, removed_by: str | None, reason: str | None
    ) -> None: ...


async def apply_showing_decision(
    db: Executor,
    set_shown: SetShown,
    target: str,
    target_id: int,
    action: str,
    reason: str | None,
    *,
    state: str,
    removed_by: str | None,
) -> str:
    """Write a decision (approve, reject, hide, restore or dismiss_flags) on a comment or
    a question, given its `state` and who `removed_by` now; return the decision in effect:
    dismissing the flags that hid the target restores it."""
    if action == "dismiss_flags":
        await flag_queries.resolve_flags(db, target_id, "dismissed", target=target)
        if state != "hidden" or removed_by != "flags":
            return action
        await set_shown(db, target_id, "published", removed_by=None, reason=None)
        return "restore"
    state, removes, flags = SHOWING_DECISIONS[action]
    await set_shown(
        db, target_id, state, removed_by="moderator" if removes else None, reason=reason if removes else None
    )
    if flags is not None:
        await flag_queries.resolve_flags(db, target_id, flags, target=target)
    return action
