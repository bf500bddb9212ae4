"""Moderation of comments: decisions, moderators' edits, claims on queue items,
participants' flags, the moderators' queues, and participants whose comments are held."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from server.queries.flags import FlagSummaryRow
from server.queries.moderation import ClaimRow, HoldRow
from server.schemas.comments import Comment, CommentStatus, CommentText
from server.schemas.common import Body, Id, LanguageCode, Query, Resource, UserSummary, from_row
from server.schemas.questions import Question
from server.schemas.reasons import DecisionReason, FlagReason

# A note explains a decision to the other moderators and the audit log.
MODERATION_NOTE_MAX_CHARS = 2_000
# A flag says what is wrong in a sentence or two.
FLAG_TEXT_MAX_CHARS = 500

ModerationNote = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=MODERATION_NOTE_MAX_CHARS)
]
DecisionAction = Literal[
    "approve", "reject", "hide", "restore", "pin", "unpin", "mark_answer", "unmark_answer", "dismiss_flags"
]
# `removed` (hidden and rejected, newest first) is where a mistaken removal is undone; it has no
# count, so that the counts every decision event carries stay three cheap ones.
QueueKind = Literal["pending", "flagged", "recent", "removed"]


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


class QuestionFlagWrite(Resource):
    question_id: int
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


class QuestionQueueItem(Resource):
    question: Question = Field(description="The moderators' view: the text even when hidden or rejected.")
    flags: FlagSummary


class QueuePage(Resource):
    items: list[QueueItem] = Field(description="pending and flagged oldest first; recent newest first.")
    questions: list[QuestionQueueItem] = Field(
        default_factory=list,
        description="Participants' own questions in this queue, all on the first page (none on later ones).",
    )
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


def claim_view(row: ClaimRow) -> Claim:
    return from_row(
        Claim,
        row,
        moderator=UserSummary(
            id=row.moderator_id,
            display_name=row.moderator_name,
            handle=row.moderator_handle,
            affiliation=row.moderator_affiliation,
        ),
    )


def flag_summary(row: FlagSummaryRow) -> FlagSummary:
    flaggers = [
        from_row(
            Flagger,
            f,
            by=from_row(UserSummary, f, id=f.user_id),
            at=f.flagged_at,
            standing=from_row(FlaggerStanding, f),
        )
        for f in row.flaggers
    ]
    return from_row(FlagSummary, row, flaggers=flaggers)


def held_participant(row: HoldRow) -> HeldParticipant:
    return from_row(
        HeldParticipant,
        row,
        user=from_row(UserSummary, row, id=row.user_id),
        held_by=None
        if row.held_by is None or row.held_by_name is None or row.held_by_handle is None
        else UserSummary(
            id=row.held_by,
            display_name=row.held_by_name,
            handle=row.held_by_handle,
            affiliation=row.held_by_affiliation,
        ),
    )
