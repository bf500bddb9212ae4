"""Rows of stewarding (announcements, restrictions, invitations, notes, screens)
to the resources of server/steward_models.py."""

from datetime import UTC, datetime
from typing import Literal

from server import views
from server.access.identity import Viewer
from server.models import MyRestriction, UserRef
from server.queries import Executor
from server.queries import restrictions as restriction_queries
from server.queries.controls import AnnouncementRow
from server.queries.invitations import InvitationRow
from server.queries.notes import NoteRow
from server.queries.restrictions import RestrictionRow
from server.queries.screens import ScreenRow
from server.queries.spaces import SpaceRow
from server.queries.users import UserRow
from server.steward_models import Announcement, Invitation, Note, Restriction, Screen


def announcement(row: AnnouncementRow) -> Announcement:
    return Announcement(
        id=row.id,
        body=row.body,
        html=row.body_html,
        lang=row.lang,
        author=UserRef(id=row.author_id, display_name=row.author_name),
        created_at=row.created_at,
        dismissed_at=row.dismissed_at,
    )


def restriction(row: RestrictionRow, slug: str, user: UserRow) -> Restriction:
    return Restriction(
        space=slug,
        user=views.user_summary(user),
        kind="banned" if row.kind == "banned" else "muted",
        until=row.until,
        reason=row.reason,
        note=row.note,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def restriction_of(row: RestrictionRow) -> MyRestriction:
    """What the restricted person is told: never the moderators' note."""
    return MyRestriction(
        kind="banned" if row.kind == "banned" else "muted", until=row.until, reason=row.reason
    )


async def my_restriction(db: Executor, viewer: Viewer, space: SpaceRow) -> MyRestriction | None:
    """The viewer's mute or ban in force in the space, as they see it."""
    if viewer.user is None:
        return None
    row = await restriction_queries.get_active_restriction(db, space.id, viewer.user.id)
    return restriction_of(row) if row else None


def invitation(row: InvitationRow, slug: str, now: datetime | None = None) -> Invitation:
    now = now or datetime.now(UTC)
    state: Literal["active", "revoked", "expired", "used_up"]
    if row.revoked_at is not None:
        state = "revoked"
    elif row.expires_at is not None and row.expires_at <= now:
        state = "expired"
    elif row.max_uses is not None and row.uses >= row.max_uses:
        state = "used_up"
    else:
        state = "active"
    return Invitation(
        id=row.id,
        space=slug,
        label=row.label,
        expires_at=row.expires_at,
        max_uses=row.max_uses,
        uses=row.uses,
        created_by=row.created_by,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        state=state,
    )


def note(row: NoteRow) -> Note:
    return Note(
        id=row.id,
        target_type="comment" if row.target_type == "comment" else "user",
        target_id=row.target_id,
        author=UserRef(id=row.author_id, display_name=row.author_name),
        body=row.body,
        created_at=row.created_at,
    )


def screen(row: ScreenRow, slug: str) -> Screen:
    return Screen(
        id=row.id,
        space=slug,
        name=row.name,
        created_by=row.created_by,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )
