"""Bodies and resources of stewarding a space: locks, slow mode, announcements,
mutes and bans, suspensions, invitation links, moderator notes, screens, audit.

Kept apart from server/models.py (which holds the resources every part shares)
so this family reads as one piece; the OpenAPI document includes them the same way.
"""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from server.models import (
    NAME_MAX_CHARS,
    AuditEntry,
    Body,
    Id,
    LanguageCode,
    NonBlank,
    Query,
    Resource,
    UserRef,
    UserSummary,
    WindowTime,
)
from server.schemas.reasons import ControlReason, RestrictionReason

# A note explains a decision to other moderators: a paragraph, not an essay.
NOTE_MAX_CHARS = 2_000
# An announcement is a banner over the discussion: a few sentences.
ANNOUNCEMENT_MAX_CHARS = 2_000
# Slow mode beyond an hour is a lock in all but name.
SLOW_MODE_MAX_SECS = 3_600
# A mute or ban of a minute is the shortest that means anything; a year the longest
# a consultation runs. Longer: leave the duration out (until lifted).
RESTRICTION_MIN_SECS, RESTRICTION_MAX_SECS = 60, 366 * 24 * 3600
INVITATION_LABEL_MAX_CHARS = 200
# Enough for a mailing list of a large consultation.
INVITATION_MAX_USES = 100_000
# Tokens this server gives out are ~43 characters.
TOKEN_MAX_CHARS = 200

NoteText = Annotated[str, StringConstraints(max_length=NOTE_MAX_CHARS)]
RestrictionKind = Literal["muted", "banned"]


# ---- The space's controls ---------------------------------------------------------------------


class LockBody(Body):
    reason: ControlReason = Field(description="Shown to everyone with the lock.")
    note: NoteText = Field(default="", description="For the audit log and the other moderators only.")


class SlowModeBody(Body):
    seconds: Annotated[int, Field(ge=0, le=SLOW_MODE_MAX_SECS)] = Field(
        description="Minimum seconds between two comments of one participant; 0 turns slow mode off."
    )
    reason: ControlReason
    note: NoteText = ""


class AnnouncementCreate(Body):
    body: Annotated[str, NonBlank, StringConstraints(max_length=ANNOUNCEMENT_MAX_CHARS)] = Field(
        description="Markdown; rendered and sanitised."
    )
    lang: LanguageCode | None = Field(default=None, description="Its language, if not all of them.")


class Announcement(Resource):
    id: int
    body: str
    html: str
    lang: str | None
    author: UserRef
    created_at: datetime
    dismissed_at: datetime | None


class AnnouncementWrite(Announcement):
    event_seq: int | None = Field(description="Seq of the event this write produced, if any.")


class AnnouncementList(Resource):
    items: list[Announcement] = Field(description="The active announcements, oldest first.")


# ---- Participants -------------------------------------------------------------------------------


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
    event_seq: int | None = Field(description="Seq of the event this write produced, if any.")


class RestrictionList(Resource):
    items: list[Restriction] = Field(description="Mutes and bans in force.")


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
    state: Literal["active", "revoked", "expired", "used_up"]


class InvitationCreated(Invitation):
    token: str = Field(description="Shown once: send it (or a link carrying it) to the invitees.")
    event_seq: int


class InvitationWrite(Invitation):
    event_seq: int | None = Field(description="Seq of the event this write produced, if any.")


class InvitationList(Resource):
    items: list[Invitation] = Field(description="Newest first.")


class InvitationAccept(Body):
    token: Annotated[str, StringConstraints(min_length=1, max_length=TOKEN_MAX_CHARS)]


class InvitationAccepted(Resource):
    space: str
    user: UserSummary
    already_invited: bool
    event_seq: int | None = Field(description="Seq of the event this write produced, if any.")


class NoteCreate(Body):
    target_type: Literal["comment", "user"]
    target_id: Id
    body: Annotated[str, NonBlank, StringConstraints(max_length=NOTE_MAX_CHARS)]


class Note(Resource):
    id: int
    target_type: Literal["comment", "user"]
    target_id: int
    author: UserRef
    body: str
    created_at: datetime


class NoteWrite(Note):
    event_seq: int | None = Field(description="Seq of the event this write produced, if any.")


class NoteList(Resource):
    items: list[Note] = Field(description="Oldest first.")


class NoteListQuery(Query):
    target_type: Literal["comment", "user"] | None = None
    target_id: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None


# ---- Screens -----------------------------------------------------------------------------------


class ScreenCreate(Body):
    name: Annotated[str, NonBlank, StringConstraints(max_length=NAME_MAX_CHARS)] = Field(
        description="Which display it is, e.g. `Plenary hall, left wall`."
    )


class Screen(Resource):
    id: int
    space: str
    name: str
    created_by: int | None
    created_at: datetime
    revoked_at: datetime | None


class ScreenCreated(Screen):
    token: str = Field(
        description="Shown once. Connect with `/ws?screen_token=…`, `Authorization: Screen …`, "
        "or `GET /api/v1/spaces/{slug}/events?screen_token=…`."
    )
    event_seq: int


class ScreenWrite(Screen):
    event_seq: int | None = Field(description="Seq of the event this write produced, if any.")


class ScreenList(Resource):
    items: list[Screen]


# ---- The audit log -----------------------------------------------------------------------------


class AuditQuery(Query):
    action: Annotated[str, StringConstraints(max_length=100)] | None = None
    actor_id: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None
    target_type: Annotated[str, StringConstraints(max_length=100)] | None = None
    target_id: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None
    since: WindowTime | None = Field(default=None, description="Entries at or after this time.")
    until: WindowTime | None = Field(default=None, description="Entries before this time.")
    cursor: Annotated[str, StringConstraints(max_length=40)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    format: Literal["page", "csv", "json"] = Field(
        default="page", description="`csv` or `json`: every matching entry, as a file to download."
    )


class AuditPage(Resource):
    items: list[AuditEntry] = Field(description="Newest first.")
    next_cursor: str | None = Field(description="Pass as `cursor` for older entries; null at the end.")
