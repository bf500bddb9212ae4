"""Rows to API resources, applying what each role may see of them."""

from datetime import UTC, datetime

from server.models import Comment, Me, Question, Removal, Role, Space, SpaceLock, UserRef, UserSummary
from server.queries.comments import CommentRow
from server.queries.questions import QuestionRow
from server.queries.spaces import SpaceRow
from server.queries.users import UserRow

# Statuses whose text the public no longer sees: the row stays as a tombstone.
TOMBSTONE_STATUSES = frozenset({"deleted", "hidden", "rejected"})


def user_summary(user: UserRow) -> UserSummary:
    return UserSummary(
        id=user.id, display_name=user.display_name, handle=user.handle, affiliation=user.affiliation
    )


def me(user: UserRow, moderator_of: list[str]) -> Me:
    return Me(
        id=user.id,
        display_name=user.display_name,
        handle=user.handle,
        affiliation=user.affiliation,
        email=user.email,
        language=user.language,
        is_admin=user.is_admin,
        created_at=user.created_at,
        quoting=user.quoting,
        moderator_of=moderator_of,
    )


def space(row: SpaceRow, moderators: list[UserRow], role: Role, accepting_input: bool) -> Space:
    return Space(
        slug=row.slug,
        title=row.title,
        intro=row.intro,
        intro_html=row.intro_html,
        languages=row.languages,
        status=row.status,
        contact=row.contact,
        disclaimer=row.disclaimer,
        posting=row.posting,
        moderation=row.moderation,
        allow_participant_questions=row.allow_participant_questions,
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        created_at=row.created_at,
        moderators=[user_summary(u) for u in moderators],
        seq=row.event_seq,
        epoch=row.epoch,
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
        slow_mode_secs=row.slow_mode_secs,
    )


def question_accepting_comments(row: QuestionRow, now: datetime | None = None) -> bool:
    """Open, and inside its opening times (the scheduler may not have caught up yet)."""
    now = now or datetime.now(UTC)
    return (
        row.status == "open"
        and (row.opens_at is None or row.opens_at <= now)
        and (row.closes_at is None or now < row.closes_at)
    )


def question(row: QuestionRow) -> Question:
    return Question(
        id=row.id,
        space=row.space_slug,
        kind=row.kind,
        number=row.position,
        title=row.title,
        body=row.body,
        body_html=row.body_html,
        status=row.status,
        author=UserSummary(
            id=row.author_id,
            display_name=row.author_name,
            handle=row.author_handle,
            affiliation=row.author_affiliation,
        ),
        created_at=row.created_at,
        updated_at=row.updated_at,
        comment_count=row.comment_count,
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        accepting_comments=question_accepting_comments(row),
        closing_remark=row.closing_remark,
        closing_remark_html=row.closing_remark_html,
        slow_mode_secs=row.slow_mode_secs,
    )


def comment(row: CommentRow, *, personal: bool = True, reveal: bool = False) -> Comment:
    """A comment as shown; a tombstone keeps its place but not its text or author.

    `personal=False` (event payloads, shared by many viewers) leaves
    `supported_by_me` null. `reveal` (moderators) keeps the text of a hidden or
    rejected comment, for review; a deleted comment's text is gone for everyone.
    """
    tombstone = row.status in TOMBSTONE_STATUSES and not (reveal and row.status != "deleted")
    return Comment(
        id=row.id,
        question_id=row.question_id,
        parent_id=row.parent_id,
        depth=len(row.path) - 1,
        author=None
        if row.status == "deleted"
        else UserSummary(
            id=row.author_id,
            display_name=row.author_name,
            handle=row.author_handle,
            affiliation=row.author_affiliation,
        ),
        lang=row.lang,
        body=None if tombstone else row.body,
        html=None if tombstone else row.body_html,
        status=row.status,
        created_at=row.created_at,
        edited_at=row.edited_at,
        deleted_at=row.deleted_at,
        support_count=row.support_count,
        supported_by_me=row.supported_by_me if personal else None,
        removal=None
        if row.removed_by is None or row.removed_at is None
        else Removal(by=row.removed_by, reason=row.removal_reason, at=row.removed_at),
        edited_by_moderator=row.edited_by_moderator,
        pinned_at=row.pinned_at,
        moderator_answer=row.moderator_answer,
        quoting=row.quoting,
    )
