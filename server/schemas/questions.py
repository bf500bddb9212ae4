"""Questions of a space: the moderators' numbered discussion questions and participants' own."""

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from server.queries.questions import QuestionRow
from server.schemas.comments import Removal
from server.schemas.common import Body, Resource, UserSummary, WindowTime, author_summary, from_row
from server.schemas.patch import PatchBody
from server.schemas.spaces import Title

QUESTION_BODY_MAX_CHARS = 20_000
# A closing remark sums up a question's discussion in a paragraph or two.
CLOSING_REMARK_MAX_CHARS = 5_000

QuestionBody = Annotated[str, StringConstraints(max_length=QUESTION_BODY_MAX_CHARS)]
ClosingRemark = Annotated[str, StringConstraints(max_length=CLOSING_REMARK_MAX_CHARS)]
Position = Annotated[int, Field(ge=1, le=10_000)]
QuestionKind = Literal["discussion", "participant"]
QuestionStatus = Literal["scheduled", "open", "closed"]
QuestionVisibility = Literal["published", "pending", "hidden", "rejected", "deleted"]
# Visibilities whose title and body the public no longer reads: the question stays as a tombstone.
TOMBSTONE_VISIBILITIES = frozenset({"hidden", "rejected", "deleted"})


class QuestionCreate(Body):
    title: Title
    body: QuestionBody = ""
    position: Position | None = Field(
        default=None, description="Discussion questions only: where to insert; default last."
    )
    opens_at: WindowTime | None = Field(
        default=None, description="Moderators: open for comments at this (future) time; `scheduled` until."
    )
    closes_at: WindowTime | None = Field(
        default=None, description="Moderators: stop taking comments at this (future) time."
    )


class QuestionPatch(PatchBody):
    """Only the fields sent change. `status` `open` opens now (clearing a future `opens_at`);
    `closed` closes now. A future `opens_at` schedules the question; null clears a time."""

    clearable = frozenset({"opens_at", "closes_at"})

    title: Title | None = None
    body: QuestionBody | None = None
    position: Position | None = None
    status: Literal["open", "closed"] | None = None
    opens_at: WindowTime | None = None
    closes_at: WindowTime | None = None
    closing_remark: ClosingRemark | None = Field(
        default=None, description="Markdown, shown on the question (public as soon as set)."
    )


class QuestionPendingEdit(Resource):
    """A participant's edit of their published question waiting for a moderator; the
    published title and body stay until it is approved."""

    title: str
    body: str
    body_html: str
    submitted_at: datetime


class Question(Resource):
    id: int
    space: str = Field(description="The space's slug.")
    kind: QuestionKind
    number: int | None = Field(description="1, 2, 3… for discussion questions; null otherwise.")
    title: str | None = Field(description="Null on a tombstone (a removed question).")
    body: str | None = Field(description="Markdown source; null on a tombstone.")
    body_html: str | None = Field(description="Sanitised HTML; null on a tombstone.")
    status: QuestionStatus
    visibility: QuestionVisibility = Field(
        default="published",
        description="Participants' questions: `pending` (seen by moderators and the author), "
        "`hidden`, `rejected` or `deleted` (a tombstone), or `published`.",
    )
    removal: Removal | None = Field(
        default=None, description="Who removed a hidden or rejected question, why and when."
    )
    deleted_at: datetime | None = Field(default=None, description="When its author deleted it.")
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
    pending_edit: QuestionPendingEdit | None = Field(
        default=None,
        description="The author's edit waiting for a moderator (moderators and its author only).",
    )


class QuestionWrite(Question):
    event_seq: int | None = Field(description="Seq of the event this write produced; null if none.")


class QuestionList(Resource):
    discussion: list[Question] = Field(description="The moderators' numbered questions, in order.")
    participant: list[Question] = Field(description="Questions posed by participants, oldest first.")


def question_accepting_comments(row: QuestionRow, now: datetime | None = None) -> bool:
    """Open, and inside its opening times (the scheduler may not have caught up yet)."""
    now = now or datetime.now(UTC)
    return (
        row.status == "open"
        and (row.opens_at is None or row.opens_at <= now)
        and (row.closes_at is None or now < row.closes_at)
    )


def question(row: QuestionRow, *, reveal: bool = False, own: bool = False) -> Question:
    """A question as shown; a removed one is a tombstone, but for `reveal` (moderators),
    who keep the text of what they review (and of what its author deleted under review).
    An edit waiting for a moderator shows to moderators (`reveal`) and its author (`own`)."""
    tombstone = row.visibility in TOMBSTONE_VISIBILITIES and not reveal
    pending_edit = None
    if (reveal or own) and row.edit_submitted_at is not None:
        assert row.edit_title is not None and row.edit_body is not None and row.edit_html is not None
        pending_edit = QuestionPendingEdit(
            title=row.edit_title,
            body=row.edit_body,
            body_html=row.edit_html,
            submitted_at=row.edit_submitted_at,
        )
    return from_row(
        Question,
        row,
        space=row.space_slug,
        number=row.position,
        title=None if tombstone else row.title,
        body=None if tombstone else row.body,
        body_html=None if tombstone else row.body_html,
        removal=None
        if row.removed_by is None or row.removed_at is None
        else Removal(by=row.removed_by, reason=row.removal_reason, at=row.removed_at),
        author=author_summary(row),
        accepting_comments=question_accepting_comments(row),
        pending_edit=pending_edit,
    )


def readable_by(row: QuestionRow, user_id: int | None, steward: bool) -> bool:
    """Whether a viewer may see the question at all (its text is another matter: `question`).

    A pending or rejected question is the moderators' and its author's only;
    the public sees published questions and the tombstones of those it once saw.
    """
    if steward or row.visibility == "published":
        return True
    if row.visibility in ("hidden", "deleted") and row.published_at is not None:
        return True
    return user_id is not None and row.author_id == user_id


def visible_questions(rows: list[QuestionRow], user_id: int | None, steward: bool) -> "QuestionList":
    """The space's questions as this viewer sees them: moderators read removed text too."""
    shown = [
        question(r, reveal=steward, own=r.author_id == user_id)
        for r in rows
        if readable_by(r, user_id, steward)
    ]
    return QuestionList(
        discussion=[q for q in shown if q.kind == "discussion"],
        participant=[q for q in shown if q.kind == "participant"],
    )
