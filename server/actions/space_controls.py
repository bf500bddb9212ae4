"""The moderators' controls of a space: locking it, slow mode, announcements.

Lock: the space becomes read-only for everyone but its stewards (its
moderators and admins), who keep moderating, announcing and, if they need to,
commenting. Slow mode: a participant waits a minimum time between two
comments in the space, or on one question. Announcements are banners over the
discussion that everyone sees, screens included, until a moderator dismisses them.
"""

from dataclasses import replace
from datetime import datetime
from typing import Any

from server import errors
from server.access import roles
from server.access.identity import Viewer
from server.actions.audit import audited, record_audit
from server.actions.questions import lock_question_for_change, question_event, visible_question
from server.actions.spaces import public_space
from server.events import Event, payload, record_event
from server.queries import Executor
from server.queries import controls as control_queries
from server.queries import questions as question_queries
from server.queries.controls import AnnouncementRow
from server.queries.questions import QuestionRow
from server.queries.spaces import SpaceRow
from server.render import render_document
from server.running.services import Services
from server.schemas.space_controls import AnnouncementCreate, LockBody, SlowModeBody
from server.schemas.space_controls import announcement as announcement_view


def _public(space: SpaceRow, data: dict[str, Any]) -> dict[str, Any] | None:
    # A draft space is invisible to the public, and so are its events.
    return None if space.status == "draft" else data


async def _space_control_event(
    db: Executor,
    space: SpaceRow,
    viewer: Viewer,
    type_: str,
    action: str,
    *,
    reason: str | None,
    note: str,
    details: dict[str, Any],
) -> Event:
    """Record the audit entry and the event of a change to the space row (`space`, re-read)."""
    entry = await record_audit(
        db, space.id, viewer, action, "space", space.id, reason=reason, note=note, details=details
    )
    # The payload shows the space as of this event, carrying the seq being taken.
    data = payload(space=await public_space(db, replace(space, event_seq=space.event_seq + 1)))
    return await record_event(
        db,
        space.id,
        type_,
        public=_public(space, data),
        moderators=audited(data, entry),
    )


async def lock_space(
    services: Services, viewer: Viewer, slug: str, body: LockBody
) -> tuple[SpaceRow, Event | None]:
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        if space.locked_at is not None and space.lock_reason == body.reason:
            return space, None
        space = await control_queries.set_lock(conn, space.id, viewer.user_id, body.reason)
        event = await _space_control_event(
            conn, space, viewer, "space.locked", "space.lock", reason=body.reason, note=body.note, details={}
        )
    await services.publish(event)
    return replace(space, event_seq=event.seq), event


async def unlock_space(services: Services, viewer: Viewer, slug: str) -> tuple[SpaceRow, Event | None]:
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        if space.locked_at is None:
            return space, None
        locked_for = (await _now(conn) - space.locked_at).total_seconds()
        space = await control_queries.set_lock(conn, space.id, None, None)
        event = await _space_control_event(
            conn,
            space,
            viewer,
            "space.unlocked",
            "space.unlock",
            reason=None,
            note="",
            details={"locked_secs": round(locked_for)},
        )
    await services.publish(event)
    return replace(space, event_seq=event.seq), event


async def set_space_slow_mode(
    services: Services, viewer: Viewer, slug: str, body: SlowModeBody
) -> tuple[SpaceRow, Event | None]:
    secs = body.seconds or None
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        if space.slow_mode_secs == secs:
            return space, None
        before = space.slow_mode_secs
        space = await control_queries.set_space_slow_mode(conn, space.id, secs)
        event = await _space_control_event(
            conn,
            space,
            viewer,
            "space.slow_mode_changed",
            "space.slow_mode",
            reason=body.reason,
            note=body.note,
            details={"seconds": {"from": before, "to": secs}},
        )
    await services.publish(event)
    return replace(space, event_seq=event.seq), event


async def set_question_slow_mode(
    services: Services, viewer: Viewer, question_id: int, body: SlowModeBody
) -> tuple[QuestionRow, Event | None]:
    secs = body.seconds or None
    async with services.pool.acquire() as conn, conn.transaction():
        question, space, role = await visible_question(conn, viewer, question_id)
        roles.require_moderator(role)
        question, space = await lock_question_for_change(conn, space.id, question_id)
        if question.slow_mode_secs == secs:
            return question, None
        await question_queries.set_question_slow_mode(conn, question.id, secs)
        row, event = await question_event(
            conn,
            space,
            question.id,
            "question.slow_mode_changed",
            audit=True,
            actor=viewer,
            reason=body.reason,
            note=body.note,
            details={"seconds": {"from": question.slow_mode_secs, "to": secs}},
        )
    await services.publish(event)
    return row, event


async def post_announcement(
    services: Services, viewer: Viewer, slug: str, body: AnnouncementCreate
) -> tuple[AnnouncementRow, Event]:
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        if body.lang is not None and body.lang not in space.languages:
            raise errors.UnsupportedLanguage(details={"accepted": space.languages})
        author_id = roles.require_user(viewer)
        row = await control_queries.insert_announcement(
            conn, space.id, body.body, render_document(body.body), body.lang, author_id
        )
        event = await _announcement_event(
            conn, space, viewer, row, "announcement.posted", "announcement.post"
        )
    await services.publish(event)
    return row, event


async def dismiss_announcement(
    services: Services, viewer: Viewer, slug: str, announcement_id: int
) -> tuple[AnnouncementRow, Event | None]:
    """Dismiss it for everyone; dismissing it again changes nothing."""
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        row = await control_queries.get_announcement(conn, space.id, announcement_id)
        if row is None:
            raise errors.AnnouncementNotFound()
        if row.dismissed_at is not None:
            return row, None
        await control_queries.dismiss_announcement(conn, row.id, roles.require_user(viewer))
        row = await control_queries.get_announcement(conn, space.id, row.id)
        assert row is not None
        event = await _announcement_event(
            conn, space, viewer, row, "announcement.dismissed", "announcement.dismiss"
        )
    await services.publish(event)
    return row, event


async def _announcement_event(
    db: Executor, space: SpaceRow, viewer: Viewer, row: AnnouncementRow, type_: str, action: str
) -> Event:
    """The announcement's event, for everyone who may read the space, and its audit entry."""
    entry = await record_audit(db, space.id, viewer, action, "announcement", row.id)
    data = payload(announcement=announcement_view(row))
    return await record_event(
        db, space.id, type_, public=_public(space, data), moderators=audited(data, entry)
    )


async def list_announcements(services: Services, viewer: Viewer, slug: str) -> list[AnnouncementRow]:
    space, _ = await roles.visible_space(services.pool, viewer, slug)
    return await control_queries.list_active_announcements(services.pool, space.id)


async def _now(db: Executor) -> datetime:
    now: datetime = await db.fetchval("SELECT now()")
    return now
