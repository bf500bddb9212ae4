"""The HTTP API's bodies and resources, as pydantic models.

Request bodies forbid unknown fields and validate strictly (no "5" for 5);
the OpenAPI document is generated from these classes.
"""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_validator,
)

from server.schemas.reasons import DecisionReason, FlagReason

# Limits, each with its reason.
# RFC 5321 caps a forward path at 256 octets, so an address is at most 254.
EMAIL_MAX_CHARS = 254
# Long enough for passphrases; short enough that hashing stays cheap.
PASSWORD_MIN_CHARS, PASSWORD_MAX_CHARS = 8, 256
NAME_MAX_CHARS = 80
AFFILIATION_MAX_CHARS = 120
TITLE_MAX_CHARS = 200
# A consultation's background paper can be long; 100k characters is ~15,000 words.
INTRO_MAX_CHARS = 100_000
CONTACT_MAX_CHARS = 500
DISCLAIMER_MAX_CHARS = 2_000
QUESTION_BODY_MAX_CHARS = 20_000
# A closing remark sums up a question's discussion in a paragraph or two.
CLOSING_REMARK_MAX_CHARS = 5_000
# A comment is a contribution to a discussion, not a paper: ~1,500 words.
COMMENT_MAX_CHARS = 10_000
# Ids are PostgreSQL bigints.
MAX_ID = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Consultations open and close in this era; the bounds also keep a time inside
# what PostgreSQL and asyncpg carry (year 1 or 9999 with an offset overflows).
EARLIEST_WINDOW_TIME = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_WINDOW_TIME = datetime(9000, 1, 1, tzinfo=UTC)


def _in_era(value: datetime) -> datetime:
    if not EARLIEST_WINDOW_TIME <= value <= LATEST_WINDOW_TIME:
        first, last = EARLIEST_WINDOW_TIME.year, LATEST_WINDOW_TIME.year
        raise ValueError(f"must be between the years {first} and {last}")
    return value


# A time without a zone is ambiguous (whose 9 o'clock?): require one.
WindowTime = Annotated[AwareDatetime, AfterValidator(_in_era)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$", max_length=64)]
NonBlank = StringConstraints(strip_whitespace=True, min_length=1)
DisplayName = Annotated[str, NonBlank, StringConstraints(max_length=NAME_MAX_CHARS)]
Affiliation = Annotated[str, StringConstraints(strip_whitespace=True, max_length=AFFILIATION_MAX_CHARS)]
Title = Annotated[str, NonBlank, StringConstraints(max_length=TITLE_MAX_CHARS)]
CommentText = Annotated[str, NonBlank, StringConstraints(max_length=COMMENT_MAX_CHARS)]
QuestionBody = Annotated[str, StringConstraints(max_length=QUESTION_BODY_MAX_CHARS)]
Password = Annotated[str, StringConstraints(min_length=PASSWORD_MIN_CHARS, max_length=PASSWORD_MAX_CHARS)]
Email = Annotated[EmailStr, StringConstraints(max_length=EMAIL_MAX_CHARS)]

SpaceStatus = Literal["draft", "open", "closed", "archived"]
Posting = Literal["registered", "invited"]
ModerationMode = Literal["post", "pre"]
QuestionKind = Literal["discussion", "participant"]
QuestionStatus = Literal["scheduled", "open", "closed"]
CommentStatus = Literal["published", "pending", "hidden", "rejected", "deleted"]
Role = Literal["anonymous", "participant", "moderator", "admin"]
# Quoting consent: quote me by name, or anonymous (a pseudonym) in reports.
Quoting = Literal["named", "anonymous"]


class Body(BaseModel):
    """A request body: unknown fields and loose types are errors."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Resource(BaseModel):
    """A response body."""


class ErrorDetail(Resource):
    code: str = Field(description="Stable machine-readable code, e.g. `comment_not_found`.")
    message: str = Field(description="What went wrong, for people.")
    details: object | None = Field(default=None, description="Extra facts, e.g. field errors.")


class ErrorResponse(Resource):
    error: ErrorDetail


class Health(Resource):
    status: Literal["ok"]


class Readiness(Resource):
    status: Literal["ok"]
    database: Literal["ok"]
    bus: Literal["ok"]
    schema_version: int


# ---- Accounts -------------------------------------------------------------


class RegisterBody(Body):
    email: Email
    password: Password
    display_name: DisplayName
    affiliation: Affiliation | None = None
    language: LanguageCode = "en"


class LoginBody(Body):
    email: Annotated[str, StringConstraints(max_length=EMAIL_MAX_CHARS)]
    password: Annotated[str, StringConstraints(max_length=PASSWORD_MAX_CHARS)]


class ProfilePatch(Body):
    display_name: DisplayName | None = None
    affiliation: Affiliation | None = None
    language: LanguageCode | None = None
    quoting: Quoting | None = Field(default=None, description="Default quoting consent of new comments.")


class UserRef(Resource):
    id: int
    display_name: str


class UserSummary(Resource):
    """How a person appears next to what they wrote: "Sarah Doyel, IOM"."""

    id: int
    display_name: str
    handle: str = Field(description="Used for @mentions.")
    affiliation: str | None


class Me(UserSummary):
    email: str
    language: str
    is_admin: bool
    created_at: datetime
    quoting: Quoting = Field(description="Default quoting consent of new comments.")
    moderator_of: list[str] = Field(description="Slugs of the spaces this user moderates.")


class UserList(Resource):
    items: list[UserSummary]


class AuthResult(Resource):
    token: str = Field(description="Bearer token for scripts; browsers use the session cookie.")
    user: Me


class LoggedOut(Resource):
    logged_out: Literal[True]


# ---- Spaces ---------------------------------------------------------------


class SpaceFields(Body):
    title: Title
    intro: Annotated[str, StringConstraints(max_length=INTRO_MAX_CHARS)] = ""
    languages: Annotated[list[LanguageCode], Field(min_length=1, max_length=20)] = ["en", "fr", "es"]
    status: SpaceStatus = "draft"
    contact: Annotated[str, StringConstraints(max_length=CONTACT_MAX_CHARS)] = ""
    disclaimer: Annotated[str, StringConstraints(max_length=DISCLAIMER_MAX_CHARS)] = ""
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


class SpacePatch(Body):
    """Only the fields sent are changed; send null to clear opens_at or closes_at."""

    title: Title | None = None
    intro: Annotated[str, StringConstraints(max_length=INTRO_MAX_CHARS)] | None = None
    languages: Annotated[list[LanguageCode], Field(min_length=1, max_length=20)] | None = None
    status: SpaceStatus | None = None
    contact: Annotated[str, StringConstraints(max_length=CONTACT_MAX_CHARS)] | None = None
    disclaimer: Annotated[str, StringConstraints(max_length=DISCLAIMER_MAX_CHARS)] | None = None
    posting: Posting | None = None
    moderation: ModerationMode | None = None
    allow_participant_questions: bool | None = None
    opens_at: WindowTime | None = None
    closes_at: WindowTime | None = None


class SpaceLock(Resource):
    locked_at: datetime
    locked_by: UserRef | None = Field(description="The moderator who locked it.")
    reason: str = Field(description="A control reason code (docs/protocol.md).")


class MyRestriction(Resource):
    kind: Literal["muted", "banned"]
    until: datetime | None = Field(description="Null: until a moderator lifts it.")
    reason: str = Field(description="A restriction reason code (docs/protocol.md).")


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
    event_seq: int | None = Field(description="Seq of the event this write produced, if any.")


# ---- Questions ------------------------------------------------------------


ClosingRemark = Annotated[str, StringConstraints(max_length=CLOSING_REMARK_MAX_CHARS)]


class QuestionCreate(Body):
    title: Title
    body: QuestionBody = ""
    position: Annotated[int, Field(ge=1, le=10_000)] | None = Field(
        default=None, description="Discussion questions only: where to insert; default last."
    )
    opens_at: WindowTime | None = Field(
        default=None, description="Moderators: open for comments at this (future) time; `scheduled` until."
    )
    closes_at: WindowTime | None = Field(
        default=None, description="Moderators: stop taking comments at this (future) time."
    )


class QuestionPatch(Body):
    """Only the fields sent change. `status` `open` opens now (clearing a future `opens_at`);
    `closed` closes now. A future `opens_at` schedules the question; null clears a time."""

    title: Title | None = None
    body: QuestionBody | None = None
    position: Annotated[int, Field(ge=1, le=10_000)] | None = None
    status: Literal["open", "closed"] | None = None
    opens_at: WindowTime | None = None
    closes_at: WindowTime | None = None
    closing_remark: ClosingRemark | None = Field(
        default=None, description="Markdown, shown on the question (public as soon as set)."
    )


class Question(Resource):
    id: int
    space: str = Field(description="The space's slug.")
    kind: QuestionKind
    number: int | None = Field(description="1, 2, 3… for discussion questions; null otherwise.")
    title: str
    body: str
    body_html: str
    status: QuestionStatus
    author: UserSummary
    created_at: datetime
    updated_at: datetime | None
    comment_count: int = Field(description="Comments visible to everyone.")
    opens_at: datetime | None = Field(
        default=None, description="When it opens (a countdown while scheduled)."
    )
    closes_at: datetime | None = Field(default=None, description="When it stops taking comments.")
    accepting_comments: bool = Field(
        default=True, description="Open, and inside its opening times, when this was read."
    )
    closing_remark: str = Field(default="", description="The moderators' closing remark, Markdown.")
    closing_remark_html: str = Field(default="", description="The closing remark as sanitised HTML.")
    slow_mode_secs: int | None = Field(
        default=None, description="Seconds a participant waits between comments on this question."
    )


class QuestionWrite(Question):
    event_seq: int | None = Field(description="Seq of the event this write produced; null if none.")


class QuestionList(Resource):
    discussion: list[Question] = Field(description="The moderators' numbered questions, in order.")
    participant: list[Question] = Field(description="Questions posed by participants, oldest first.")


# ---- Comments -------------------------------------------------------------


class CommentCreate(Body):
    body: CommentText
    lang: LanguageCode | None = Field(default=None, description="Default: the author's language.")
    parent_id: Id | None = None
    quoting: Quoting | None = Field(
        default=None,
        description="`named`: reports may quote the author by name; `anonymous`: as a pseudonym. "
        "Default: the author's profile.",
    )


class CommentPatch(Body):
    body: CommentText | None = None
    lang: LanguageCode | None = None


class Removal(Resource):
    by: Literal["moderator", "flags"] = Field(description="A moderator, or participants' flags.")
    reason: str | None = Field(
        description="A decision reason code; for flags, the reason most flaggers gave (docs/protocol.md)."
    )
    at: datetime


class Comment(Resource):
    id: int
    question_id: int
    parent_id: int | None
    depth: int = Field(description="0 for a comment on the question, 1 for a reply, …")
    author: UserSummary | None = Field(description="Null on a deleted comment's tombstone.")
    lang: str
    body: str | None = Field(description="Markdown source; null on a tombstone.")
    html: str | None = Field(description="Sanitised HTML; null on a tombstone.")
    status: CommentStatus
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    support_count: int
    supported_by_me: bool | None = Field(description="Null in live events (shared by all).")
    removal: Removal | None = Field(
        default=None, description="Who removed a hidden or rejected comment, why and when; null otherwise."
    )
    edited_by_moderator: bool = Field(default=False, description="A moderator changed its text.")
    pinned_at: datetime | None = Field(
        default=None, description="When a moderator pinned it under its question; null when not pinned."
    )
    moderator_answer: bool = Field(default=False, description="A moderator marked it as an answer.")
    quoting: Quoting = Field(
        default="anonymous", description="How reports may quote it: `named` or `anonymous`."
    )


class CommentWrite(Comment):
    event_seq: int | None = Field(description="Seq of the event this write produced, if any.")


class CommentPage(Resource):
    items: list[Comment] = Field(description="Comments in thread order: each reply after its parent.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at the end.")


class AuditEntry(Resource):
    id: int
    action: str = Field(description="What was done, e.g. `comment.hide`, `participant.mute`.")
    actor_id: int | None = Field(description="Who did it; null when Roundtable acted by itself.")
    actor_name: str | None
    target_type: str = Field(description="`comment`, `question`, `space`, `user`, `screen`, …")
    target_id: int | None
    reason: str | None = Field(description="A reason code (docs/protocol.md), when one applies.")
    note: str
    details: dict[str, Any] = Field(description="What the action changed, e.g. the duration of a mute.")
    at: datetime


class Revision(Resource):
    body: str
    lang: str
    written_at: datetime
    replaced_at: datetime
    replaced_by_moderator: bool = Field(
        default=False, description="A moderator's edit replaced this version (shown to moderators only)."
    )


class RevisionList(Resource):
    items: list[Revision] = Field(description="Earlier versions, oldest first.")


# ---- Preview --------------------------------------------------------------


class RenderBody(Body):
    body: Annotated[str, StringConstraints(max_length=COMMENT_MAX_CHARS)] = Field(
        description="A comment's Markdown source, as it would be posted."
    )


class Rendered(Resource):
    html: str = Field(description="The sanitised HTML the comment would get, mentions included.")


class Query(BaseModel):
    """Query parameters: unknown ones are errors; numbers arrive as text, so types are coerced."""

    model_config = ConfigDict(extra="forbid", strict=False)


class CommentListQuery(Query):
    order: Literal["oldest", "newest"] = Field(
        default="oldest", description="Order of the threads (replies always follow their parent)."
    )
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    cursor: Annotated[str, StringConstraints(max_length=2_000)] | None = None


class UserSearchQuery(Query):
    q: Annotated[str, StringConstraints(min_length=1, max_length=EMAIL_MAX_CHARS)]


# ---- Moderation of comments -------------------------------------------------

# A note explains a decision to the other moderators and the audit log.
MODERATION_NOTE_MAX_CHARS = 2_000
# A flag says what is wrong in a sentence or two.
FLAG_TEXT_MAX_CHARS = 500
# A screen's "next" list is a short running order, not a second queue.
SPOTLIGHT_NEXT_MAX = 10

ModerationNote = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=MODERATION_NOTE_MAX_CHARS)
]
DecisionAction = Literal[
    "approve", "reject", "hide", "restore", "pin", "unpin", "mark_answer", "unmark_answer", "dismiss_flags"
]
QueueKind = Literal["pending", "flagged", "recent"]


class DecisionBody(Body):
    action: DecisionAction
    reason: DecisionReason | None = Field(
        default=None,
        description="Required for reject and hide; approve and restore default to `approved`.",
    )
    note: ModerationNote = Field(default="", description="For moderators and the audit log only.")
    expected_status: CommentStatus | None = Field(
        default=None, description="Refuse with `already_decided` unless the comment is in this status."
    )


class ModeratorEditBody(Body):
    body: CommentText
    lang: LanguageCode | None = None
    reason: DecisionReason = "clarity"
    note: ModerationNote = ""


class Claim(Resource):
    comment_id: int
    moderator: UserSummary
    claimed_at: datetime
    expires_at: datetime = Field(description="After this the claim counts as free.")


class ClaimWrite(Resource):
    comment_id: int
    claim: Claim | None = Field(description="The claim now; null after a release.")
    event_seq: int


class FlagBody(Body):
    reason: FlagReason
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=FLAG_TEXT_MAX_CHARS)] = Field(
        default="", description="What is wrong; required when the reason is `other`."
    )


class FlagWrite(Resource):
    comment_id: int
    reason: FlagReason
    text: str
    created_at: datetime
    event_seq: int


class FlaggerStanding(Resource):
    """Why a flagger's flag counts, or not, towards hiding the comment automatically."""

    in_good_standing: bool = Field(
        description="The flag counts: a steward of the space, or an account old enough "
        "(ROUNDTABLE_FLAG_MIN_ACCOUNT_AGE_SECS) with a published comment in the space."
    )
    steward: bool = Field(description="A moderator of the space or an admin.")
    account_created_at: datetime
    published_in_space: int = Field(description="The flagger's published comments in the space.")


class Flagger(Resource):
    """One open flag: who, why, when, and the flagger's standing."""

    by: UserSummary
    reason: FlagReason
    text: str
    at: datetime
    standing: FlaggerStanding


class FlagSummary(Resource):
    count: int = Field(description="Open flags, one per person.")
    counted: int = Field(description="Open flags from flaggers in good standing: the ones that hide.")
    reasons: dict[str, int] = Field(description="Open flags per reason code.")
    texts: list[str] = Field(description="The texts given with open flags, oldest first.")
    flaggers: list[Flagger] = Field(description="The open flags, oldest first (moderators only).")


class QueueCounts(Resource):
    pending: int = Field(description="Comments waiting for approval.")
    flagged: int = Field(description="Comments with open flags (published, or hidden by flags).")
    recent: int = Field(description="Comments published within ROUNDTABLE_QUEUE_RECENT_SECS.")


class QueueItem(Resource):
    comment: Comment = Field(description="The moderators' view: the text even when hidden or rejected.")
    flags: FlagSummary
    claim: Claim | None = Field(description="A live claim; null when free (expired claims are null).")


class QueuePage(Resource):
    items: list[QueueItem] = Field(description="pending and flagged oldest first; recent newest first.")
    next_cursor: str | None
    counts: QueueCounts
    seq: int = Field(description="The space's event seq the counts are as of.")


class QueueQuery(Query):
    kind: QueueKind = "pending"
    question_id: Id | None = None
    lang: LanguageCode | None = None
    cursor: Annotated[str, StringConstraints(max_length=200)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class HoldBody(Body):
    reason: DecisionReason | None = None
    note: ModerationNote = ""


class HeldParticipant(Resource):
    user: UserSummary
    reason: str | None
    note: str
    held_by: UserSummary | None
    held_at: datetime


class HeldParticipantWrite(HeldParticipant):
    event_seq: int


class HeldParticipantList(Resource):
    items: list[HeldParticipant]


class SpotlightTarget(Body):
    """Exactly one of comment_id and question_id."""

    comment_id: Id | None = None
    question_id: Id | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "SpotlightTarget":
        if (self.comment_id is None) == (self.question_id is None):
            raise ValueError("give exactly one of comment_id and question_id")
        return self


class SpotlightEnqueue(SpotlightTarget):
    position: Annotated[int, Field(ge=1, le=SPOTLIGHT_NEXT_MAX)] | None = Field(
        default=None, description="1 = next; default: last."
    )


class SpotlightOrder(Body):
    item_ids: Annotated[list[Id], Field(max_length=SPOTLIGHT_NEXT_MAX)] = Field(
        description="The ids of the queued items, in their new order: all of them, each once."
    )


class SpotlightItem(Resource):
    id: int
    kind: Literal["comment", "question"]
    comment: Comment | None = Field(description="The comment as the public sees it, for kind comment.")
    question: Question | None = Field(description="For kind question.")
    added_at: datetime


class Spotlight(Resource):
    now: SpotlightItem | None = Field(description="On screens now; null for none.")
    next: list[SpotlightItem] = Field(description="What comes next, in order (at most 10).")


class SpotlightWrite(Spotlight):
    event_seq: int | None = Field(description="Seq of the event this write produced; null if none.")

