"""Changing what a space's screens show: the spotlight now, and what comes next.

Every change writes one `spotlight.changed` event carrying the whole new
state, so a screen never has to work out a change. A comment that is hidden,
rejected or deleted leaves the spotlight in the same transaction
(`drop_comment`).
"""

from collections.abc import Awaitable, Callable
from typing import Any

from server import errors
from server.access import roles
from server.access.identity import Viewer
from server.actions.audit import record_audit
from server.events import Event, record_event
from server.queries import Executor
from server.queries import comments as comment_queries
from server.queries import questions as question_queries
from server.queries import spaces as space_queries
from server.queries import spotlight as spotlight_queries
from server.queries.spaces import SpaceRow
from server.queries.spotlight import SpotlightRow
from server.running.services import Services
from server.schemas.audit import AuditEntry
from server.schemas.screens import (
    SPOTLIGHT_NEXT_MAX,
    Spotlight,
    SpotlightEnqueue,
    SpotlightTarget,
    read_spotlight,
)


async def _event(
    db: Executor, space: SpaceRow, *, audit: AuditEntry | None, cause: dict[str, Any] | None
) -> tuple[Spotlight, Event]:
    state = await read_spotlight(db, space.id)
    data: dict[str, Any] = {"spotlight": state.model_dump(mode="json")}
    if cause is not None:
        data["cause"] = cause
    moderators = data | ({"audit": audit.model_dump(mode="json")} if audit else {})
    event = await record_event(
        db,
        space.id,
        "spotlight.changed",
        public=None if space.status == "draft" else data,
        moderators=moderators,
    )
    return state, event


def _split(rows: list[SpotlightRow]) -> tuple[SpotlightRow | None, list[SpotlightRow]]:
    now = rows[0] if rows and rows[0].position == 0 else None
    return now, [r for r in rows if r.position > 0]


async def _save_without(db: Executor, space: SpaceRow, rows: list[SpotlightRow], dropped: set[int]) -> None:
    """Save the order with the items `dropped` names off the screen and out of the queue."""
    now, queued = _split(rows)
    shown = None if now is None or now.id in dropped else now.id
    await spotlight_queries.save_order(db, space.id, shown, [r.id for r in queued if r.id not in dropped])


def _same_target(row: SpotlightRow, comment_id: int | None, question_id: int | None) -> bool:
    return (row.comment_id, row.question_id) == (comment_id, question_id)


async def _check_target(db: Executor, space: SpaceRow, target: SpotlightTarget) -> tuple[str, int]:
    """("comment" or "question", id) of a target that may be shown on this space's screens."""
    if target.comment_id is not None:
        comment = await comment_queries.get_comment(db, target.comment_id, None)
        if comment is None or comment.space_id != space.id:
            raise errors.CommentNotFound()
        if comment.status == "deleted":
            raise errors.CommentDeleted()
        if comment.status != "published":
            raise errors.NotSpotlightable(details={"status": comment.status})
        return "comment", comment.id
    assert target.question_id is not None
    question = await question_queries.get_question(db, target.question_id)
    if question is None or question.space_id != space.id:
        raise errors.QuestionNotFound()
    if question.visibility != "published":  # a participant's question waiting or removed
        raise errors.NotSpotlightable(details={"status": question.visibility})
    return "question", question.id


# A change: given the locked space and its items, save the new order and say
# what was done (audit action, target type, target id), or None for no change.
Change = Callable[[Executor, SpaceRow, list[SpotlightRow]], Awaitable[tuple[str, str, int | None] | None]]


async def _change(
    services: Services, viewer: Viewer, slug: str, change: Change
) -> tuple[Spotlight, Event | None]:
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.moderated_space(conn, viewer, slug)
        space = await space_queries.lock_space(conn, space.id)
        done = await change(conn, space, await spotlight_queries.list_items(conn, space.id))
        if done is None:
            return await read_spotlight(conn, space.id), None
        action, target_type, target_id = done
        audit = await record_audit(conn, space.id, viewer, action, target_type, target_id)
        state, event = await _event(conn, space, audit=audit, cause=None)
    await services.publish(event)
    return state, event


async def set_spotlight(
    services: Services, viewer: Viewer, slug: str, target: SpotlightTarget
) -> tuple[Spotlight, Event | None]:
    """Show an item now; if it was queued, it leaves the queue."""

    async def change(db: Executor, space: SpaceRow, rows: list[SpotlightRow]) -> tuple[str, str, int] | None:
        kind, target_id = await _check_target(db, space, target)
        now, queued = _split(rows)
        if now is not None and _same_target(now, target.comment_id, target.question_id):
            return None
        found = [r for r in queued if _same_target(r, target.comment_id, target.question_id)]
        assert viewer.user_id is not None
        item_id = (
            found[0].id
            if found
            else await spotlight_queries.insert_item(
                db,
                space.id,
                comment_id=target.comment_id,
                question_id=target.question_id,
                added_by=viewer.user_id,
            )
        )
        await spotlight_queries.save_order(db, space.id, item_id, [r.id for r in queued if r.id != item_id])
        return "spotlight.set", kind, target_id

    return await _change(services, viewer, slug, change)


async def clear_spotlight(services: Services, viewer: Viewer, slug: str) -> tuple[Spotlight, Event | None]:
    """Show nothing now; what is queued stays queued."""

    async def change(db: Executor, space: SpaceRow, rows: list[SpotlightRow]) -> tuple[str, str, int] | None:
        now, queued = _split(rows)
        if now is None:
            return None
        await spotlight_queries.save_order(db, space.id, None, [r.id for r in queued])
        return "spotlight.clear", "space", space.id

    return await _change(services, viewer, slug, change)


async def enqueue(
    services: Services, viewer: Viewer, slug: str, body: SpotlightEnqueue
) -> tuple[Spotlight, Event | None]:
    async def change(db: Executor, space: SpaceRow, rows: list[SpotlightRow]) -> tuple[str, str, int] | None:
        kind, target_id = await _check_target(db, space, body)
        if any(_same_target(r, body.comment_id, body.question_id) for r in rows):
            raise errors.AlreadyInSpotlight()
        now, queued = _split(rows)
        if len(queued) >= SPOTLIGHT_NEXT_MAX:
            raise errors.SpotlightQueueFull(details={"max": SPOTLIGHT_NEXT_MAX})
        assert viewer.user_id is not None
        item_id = await spotlight_queries.insert_item(
            db, space.id, comment_id=body.comment_id, question_id=body.question_id, added_by=viewer.user_id
        )
        order = [r.id for r in queued]
        order.insert(min(body.position or len(order) + 1, len(order) + 1) - 1, item_id)
        await spotlight_queries.save_order(db, space.id, now.id if now else None, order)
        return "spotlight.enqueue", kind, target_id

    return await _change(services, viewer, slug, change)


async def remove_item(
    services: Services, viewer: Viewer, slug: str, item_id: int
) -> tuple[Spotlight, Event | None]:
    async def change(
        db: Executor, space: SpaceRow, rows: list[SpotlightRow]
    ) -> tuple[str, str, int | None] | None:
        found = [r for r in rows if r.id == item_id]
        if not found:
            raise errors.SpotlightItemNotFound()
        await _save_without(db, space, rows, {item_id})
        item = found[0]
        if item.comment_id is not None:
            return "spotlight.remove", "comment", item.comment_id
        return "spotlight.remove", "question", item.question_id

    return await _change(services, viewer, slug, change)


async def reorder(
    services: Services, viewer: Viewer, slug: str, item_ids: list[int]
) -> tuple[Spotlight, Event | None]:
    async def change(db: Executor, space: SpaceRow, rows: list[SpotlightRow]) -> tuple[str, str, int] | None:
        now, queued = _split(rows)
        current = [r.id for r in queued]
        if sorted(item_ids) != sorted(current) or len(set(item_ids)) != len(item_ids):
            raise errors.SpotlightOrderMismatch(details={"queued": current})
        if item_ids == current:
            return None
        await spotlight_queries.save_order(db, space.id, now.id if now else None, item_ids)
        return "spotlight.reorder", "space", space.id

    return await _change(services, viewer, slug, change)


async def advance(services: Services, viewer: Viewer, slug: str) -> tuple[Spotlight, Event | None]:
    """The first queued item goes on screen; the one shown before leaves."""

    async def change(db: Executor, space: SpaceRow, rows: list[SpotlightRow]) -> tuple[str, str, int] | None:
        _, queued = _split(rows)
        if not queued:
            raise errors.SpotlightQueueEmpty()
        await spotlight_queries.save_order(db, space.id, queued[0].id, [r.id for r in queued[1:]])
        return "spotlight.advance", "space", space.id

    return await _change(services, viewer, slug, change)


async def drop_comment(db: Executor, space: SpaceRow, comment_id: int, because: str) -> Event | None:
    """Take a comment that is no longer shown off the screens, inside the caller's transaction.

    `because` is the event type that removed it (e.g. `comment.hidden`); the
    spotlight event names it and the comment as its `cause`.
    """
    return await _drop(db, space, "comment_id", comment_id, because)


async def drop_question(db: Executor, space: SpaceRow, question_id: int, because: str) -> Event | None:
    """Take a participant's question that is no longer shown off the screens, as `drop_comment`."""
    return await _drop(db, space, "question_id", question_id, because)


async def _drop(db: Executor, space: SpaceRow, field: str, target_id: int, because: str) -> Event | None:
    def shows(row: SpotlightRow) -> bool:
        return bool(getattr(row, field) == target_id)

    rows = await spotlight_queries.list_items(db, space.id)
    if not any(shows(r) for r in rows):
        return None
    await _save_without(db, space, rows, {r.id for r in rows if shows(r)})
    _, event = await _event(db, space, audit=None, cause={field: target_id, "event": because})
    return event
