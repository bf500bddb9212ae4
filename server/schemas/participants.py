"""Participants as the moderators steer them: mutes and bans in a space, account
suspensions, invitation links, and moderators' notes about a comment or a person."""

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from server.access.identity import Viewer
from server.queries import Executor
from server.queries import restrictions as restriction_queries
from server.queries.invitations import InvitationRow
from server.queries.notes import NoteRow
from server.queries.restrictions import RestrictionRow, SuspensionRow
from server.queries.spaces import SpaceRow
from server.queries.users import UserRow
from server.schemas.common import (
    NOTE_MAX_CHARS,
    Body,
    EventSeq,
    Id,
    NonBlank,
    NoteText,
    Query,
    Resource,
    UserRef,
    UserSummary,
    WindowTime,
    from_row,
    user_summary,
)
from server.schemas.reasons import RestrictionReason

# A mute or ban of a minute is the shortest that means anything; a year the longest
# a consultation runs. Longer: leave the duration out (until lifted).
RESTRICTION_MIN_SECS, RESTRICTION_MAX_SECS = 60, 366 * 24 * 3600
INVITATION_LABEL_MAX_CHARS = 200
# Enough for a mailing list of a large consultation.
INVITATION_MAX_USES = 100_000
# Tokens this server gives out are ~43 characters.
TOKEN_MAX_CHARS = 200

RestrictionKind = Literal["muted", "banned"]
NoteTargetType = Literal["comment", "user"]
InvitationState = Literal["active", "revoked", "expired", "used_up"]


class RestrictionCreate(Body):
    user_id: Id
    kind: RestrictionKind = Field(
        description="`muted`: reads, does not post. `banned`: likewise, until lifted."
    )
    duration_secs: Annotated[int, Field(ge=RESTRICTION_MIN_SECS, le=RESTRICTION_MAX_SECS)] | None = Field(
        default=None, description="How long it lasts; null or absent: until lifted."
    )
    reason: RestrictionReason
    note: NoteText = ""


class Restriction(Resource):
    space: str
    user: UserSummary
    kind: RestrictionKind
    until: datetime | None = Field(description="Null: until a moderator lifts it.")
    reason: str
    note: str
    created_by: int | None
    created_at: datetime


class RestrictionWrite(Restriction):
    event_seq: EventSeq


class RestrictionList(Resource):
    items: list[Restriction] = Field(description="Mutes and bans in force.")


class MyRestriction(Resource):
    kind: Literal["muted", "banned"]
    until: datetime | None = Field(description="Null: until a moderator lifts it.")
    reason: str = Field(description="A restriction reason code (docs/protocol.md).")


class SuspensionCreate(Body):
    reason: RestrictionReason
    note: NoteText = ""


class Suspension(Resource):
    user: UserSummary
    suspended: bool
    reason: str
    note: str
    created_by: int | None
    created_at: datetime
    sessions_revoked: int = Field(description="Sessions ended by this suspension (0 on lifting).")


class InvitationCreate(Body):
    label: Annotated[str, StringConstraints(max_length=INVITATION_LABEL_MAX_CHARS)] = Field(
        default="", description="For the moderators: whom the link was sent to."
    )
    expires_at: WindowTime | None = None
    max_uses: Annotated[int, Field(ge=1, le=INVITATION_MAX_USES)] | None = None


class Invitation(Resource):
    id: int
    space: str
    label: str
    expires_at: datetime | None
    max_uses: int | None
    uses: int
    created_by: int | None
    created_at: datetime
    revoked_at: datetime | None
    state: InvitationState


class InvitationCreated(Invitation):
    token: str = Field(description="Shown once: send it (or a link carrying it) to the invitees.")
    event_seq: int


class InvitationWrite(Invitation):
    event_seq: EventSeq


class InvitationList(Resource):
    items: list[Invitation] = Field(description="Newest first.")


class InvitationAccept(Body):
    token: Annotated[str, StringConstraints(min_length=1, max_length=TOKEN_MAX_CHARS)]


class InvitationPreview(Resource):
    """What an invitation link leads to, shown to whoever holds it before they join."""

    space: str = Field(description="The space's slug.")
    title: str = Field(description="The space's title, to name it to the invitee.")
    expires_at: datetime | None
    already_invited: bool = Field(description="The signed-in caller takes part already.")


class InvitationAccepted(Resource):
    space: str
    user: UserSummary
    already_invited: bool
    event_seq: EventSeq


class NoteCreate(Body):
    target_type: NoteTargetType
    target_id: Id
    body: Annotated[str, NonBlank, StringConstraints(max_length=NOTE_MAX_CHARS)]


class Note(Resource):
    id: int
    target_type: NoteTargetType
    target_id: int
    author: UserRef
    body: str
    created_at: datetime


class NoteWrite(Note):
    event_seq: EventSeq


class NoteList(Resource):
    items: list[Note] = Field(description="Oldest first.")


class NoteListQuery(Query):
    target_type: NoteTargetType | None = None
    target_id: Id | None = None


def restriction(row: RestrictionRow, slug: str, user: UserRow) -> Restriction:
    return from_row(Restriction, row, space=slug, user=user_summary(user))


def suspension(row: SuspensionRow, user: UserRow, *, suspended: bool, sessions_revoked: int) -> Suspension:
    return from_row(
        Suspension, row, user=user_summary(user), suspended=suspended, sessions_revoked=sessions_revoked
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
    state: InvitationState
    if row.revoked_at is not None:
        state = "revoked"
    elif row.expires_at is not None and row.expires_at <= now:
        state = "expired"
    elif row.max_uses is not None and row.uses >= row.max_uses:
        state = "used_up"
    else:
        state = "active"
    return from_row(Invitation, row, space=slug, state=state)


def note(row: NoteRow) -> Note:
    return from_row(Note, row, author=UserRef(id=row.author_id, display_name=row.author_name))
