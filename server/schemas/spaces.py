"""Spaces (consultations): their fields, how they are shown to each role, and their members."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from server.queries.spaces import SpaceRow
from server.queries.users import UserRow
from server.schemas.common import (
    Body,
    EventSeq,
    Id,
    LanguageCode,
    NonBlank,
    Resource,
    Role,
    Slug,
    UserRef,
    UserSummary,
    WindowTime,
    from_row,
    user_summary,
)
from server.schemas.participants import MyRestriction
from server.schemas.patch import PatchBody

TITLE_MAX_CHARS = 200
# A consultation's background paper can be long; 100k characters is ~15,000 words.
INTRO_MAX_CHARS = 100_000
CONTACT_MAX_CHARS = 500
DISCLAIMER_MAX_CHARS = 2_000

Title = Annotated[str, NonBlank, StringConstraints(max_length=TITLE_MAX_CHARS)]
Intro = Annotated[str, StringConstraints(max_length=INTRO_MAX_CHARS)]
Languages = Annotated[list[LanguageCode], Field(min_length=1, max_length=20)]
Contact = Annotated[str, StringConstraints(max_length=CONTACT_MAX_CHARS)]
Disclaimer = Annotated[str, StringConstraints(max_length=DISCLAIMER_MAX_CHARS)]
SpaceStatus = Literal["draft", "open", "closed", "archived"]
Posting = Literal["registered", "invited"]
ModerationMode = Literal["post", "pre"]


class SpaceFields(Body):
    title: Title
    intro: Intro = ""
    languages: Languages = ["en", "fr", "es"]
    status: SpaceStatus = "draft"
    contact: Contact = ""
    disclaimer: Disclaimer = ""
    posting: Posting = "registered"
    moderation: ModerationMode = "post"
    allow_participant_questions: bool = False
    opens_at: WindowTime | None = None
    closes_at: WindowTime | None = None

    @model_validator(mode="after")
    def _window_in_order(self) -> "SpaceFields":
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValueError("closes_at must be after opens_at")
        return self


class SpaceCreate(SpaceFields):
    slug: Slug


class SpacePatch(PatchBody):
    """Only the fields sent are changed; send null to clear opens_at or closes_at."""

    clearable = frozenset({"opens_at", "closes_at"})

    title: Title | None = None
    intro: Intro | None = None
    languages: Languages | None = None
    status: SpaceStatus | None = None
    contact: Contact | None = None
    disclaimer: Disclaimer | None = None
    posting: Posting | None = None
    moderation: ModerationMode | None = None
    allow_participant_questions: bool | None = None
    opens_at: WindowTime | None = None
    closes_at: WindowTime | None = None


class SpaceLock(Resource):
    locked_at: datetime
    locked_by: UserRef | None = Field(description="The moderator who locked it.")
    reason: str = Field(description="A control reason code (docs/protocol.md).")


class Space(Resource):
    slug: str
    title: str
    intro: str = Field(description="Background text, Markdown source.")
    intro_html: str = Field(description="Background text rendered to sanitised HTML.")
    languages: list[str]
    status: SpaceStatus
    contact: str
    disclaimer: str
    posting: Posting
    moderation: ModerationMode
    allow_participant_questions: bool
    opens_at: datetime | None
    closes_at: datetime | None
    created_at: datetime
    moderators: list[UserSummary]
    seq: int = Field(description="The space's latest event seq when this was read.")
    epoch: str = Field(description="Identity of the space's events log; see docs/protocol.md.")
    my_role: Role = Field(description="The caller's role in this space.")
    accepting_input: bool = Field(description="Whether the space takes new comments now.")
    locked: SpaceLock | None = Field(
        default=None, description="Set while the space is read-only for all but its moderators."
    )
    slow_mode_secs: int | None = Field(
        default=None, description="Seconds a participant waits between two comments in the space."
    )
    my_restriction: MyRestriction | None = Field(
        default=None,
        description="The caller's mute or ban in this space (GET /spaces/{slug} only; null in events).",
    )


class SpaceWrite(Space):
    event_seq: int | None = Field(description="Seq of the event this write produced; null if none.")


class SpaceList(Resource):
    items: list[Space]


class MemberAdd(Body):
    user_id: Id


class MemberChange(Resource):
    space: str
    user: UserSummary
    event_seq: EventSeq


def space(row: SpaceRow, moderators: list[UserRow], role: Role, accepting_input: bool) -> Space:
    return from_row(
        Space,
        row,
        moderators=[user_summary(u) for u in moderators],
        seq=row.event_seq,
        my_role=role,
        accepting_input=accepting_input,
        locked=None
        if row.locked_at is None
        else SpaceLock(
            locked_at=row.locked_at,
            locked_by=None
            if row.locked_by is None
            else UserRef(id=row.locked_by, display_name=row.locked_by_name or ""),
            reason=row.lock_reason or "other",
        ),
    )
