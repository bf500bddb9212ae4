"""Comments and replies: posting and editing them, how each viewer sees them,
their earlier versions, pages of a thread, and the preview of a draft."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from server.queries.comments import CommentRow
from server.schemas.common import (
    Body,
    EventSeq,
    Id,
    LanguageCode,
    NonBlank,
    Query,
    Quoting,
    Resource,
    UserSummary,
    author_summary,
    from_row,
)
from server.schemas.patch import PatchBody

# A comment is a contribution to a discussion, not a paper: ~1,500 words.
COMMENT_MAX_CHARS = 10_000
# A page cursor carries a comment's path (ids from its thread's root); replies
# never nest anywhere near this deep, so a longer path is not one we gave out.
THREAD_PATH_MAX_IDS = 10_000
# Statuses whose text the public no longer sees: the row stays as a tombstone.
TOMBSTONE_STATUSES = frozenset({"deleted", "hidden", "rejected"})

CommentText = Annotated[str, NonBlank, StringConstraints(max_length=COMMENT_MAX_CHARS)]
CommentStatus = Literal["published", "pending", "hidden", "rejected", "deleted"]


class CommentCreate(Body):
    body: CommentText
    lang: LanguageCode | None = Field(default=None, description="Default: the author's language.")
    parent_id: Id | None = None
    quoting: Quoting | None = Field(
        default=None,
        description="`named`: reports may quote the author by name; `anonymous`: as a pseudonym. "
        "Default: the author's profile.",
    )


class CommentPatch(PatchBody):
    body: CommentText | None = None
    lang: LanguageCode | None = None


class Removal(Resource):
    by: Literal["moderator", "flags"] = Field(description="A moderator, or participants' flags.")
    reason: str | None = Field(
        description="A decision reason code; for flags, the reason most flaggers gave (docs/protocol.md)."
    )
    at: datetime


class PendingEdit(Resource):
    """An author's edit waiting for a moderator; the published text stays until it is approved."""

    body: str
    html: str
    lang: str
    submitted_at: datetime


class LanguageCheck(Resource):
    """The languages detected in a comment's text, set against the one it was posted under."""

    detected: list[str] = Field(
        description='Among the space\'s languages, primary first; ["und"] when too short to tell.'
    )
    declared: bool = Field(description="The author chose `lang`; false when it came from their profile.")
    mismatch: bool = Field(description='The primary detected language is not `lang` (never for "und").')


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
    pending_edit: PendingEdit | None = Field(
        default=None,
        description="The author's edit waiting for a moderator (moderators and its author only).",
    )
    language_check: LanguageCheck | None = Field(
        default=None, description="Detected languages (moderators only; null before detection)."
    )


class CommentWrite(Comment):
    event_seq: EventSeq


class CommentPage(Resource):
    items: list[Comment] = Field(description="Comments in thread order: each reply after its parent.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at the end.")


class CommentListQuery(Query):
    order: Literal["oldest", "newest"] = Field(
        default="oldest", description="Order of the threads (replies always follow their parent)."
    )
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    cursor: Annotated[str, StringConstraints(max_length=2_000)] | None = None


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


class RenderBody(Body):
    body: Annotated[str, StringConstraints(max_length=COMMENT_MAX_CHARS)] = Field(
        description="A comment's Markdown source, as it would be posted."
    )


class Rendered(Resource):
    html: str = Field(description="The sanitised HTML the comment would get, mentions included.")


def comment(row: CommentRow, *, personal: bool = True, reveal: bool = False, own: bool = False) -> Comment:
    """A comment as shown; a tombstone keeps its place but not its text or author.

    `personal=False` (event payloads, shared by many viewers) leaves
    `supported_by_me` null. `reveal` (moderators) keeps the text of a hidden or
    rejected comment, for review, and of one its author deleted while under
    review (the evidence kept); any other deleted comment's text is gone for everyone.
    An edit waiting for a moderator shows to moderators (`reveal`) and its author (`own`).
    """
    if row.status == "deleted":
        kept = reveal and row.kept_body is not None
        return _comment(
            row,
            personal,
            body=row.kept_body if kept else None,
            html=row.kept_html if kept else None,
            with_author=kept,
        )
    tombstone = row.status in TOMBSTONE_STATUSES and not reveal
    shown = _comment(
        row,
        personal,
        body=None if tombstone else row.body,
        html=None if tombstone else row.body_html,
        with_author=True,
    )
    if reveal and row.detected_langs:
        shown.language_check = language_check(row.lang, row.detected_langs, declared=row.lang_declared)
    if (reveal or own) and row.edit_submitted_at is not None:
        assert row.edit_body is not None and row.edit_html is not None and row.edit_lang is not None
        shown.pending_edit = PendingEdit(
            body=row.edit_body, html=row.edit_html, lang=row.edit_lang, submitted_at=row.edit_submitted_at
        )
    return shown


def language_check(lang: str, detected: list[str], *, declared: bool) -> LanguageCheck:
    primary = detected[0]
    return LanguageCheck(detected=detected, declared=declared, mismatch=primary not in ("und", lang))


def _comment(
    row: CommentRow, personal: bool, *, body: str | None, html: str | None, with_author: bool
) -> Comment:
    return from_row(
        Comment,
        row,
        depth=len(row.path) - 1,
        author=author_summary(row) if with_author else None,
        body=body,
        html=html,
        supported_by_me=row.supported_by_me if personal else None,
        removal=None
        if row.removed_by is None or row.removed_at is None
        else Removal(by=row.removed_by, reason=row.removal_reason, at=row.removed_at),
    )
