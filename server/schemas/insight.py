"""Statistics and search responses, and the search request's query string."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from server.schemas.common import Id, LanguageCode, Resource

# A search is a few words; a paragraph is not a query.
SEARCH_QUERY_MAX_CHARS = 200
SEARCH_PAGE_MAX = 50

Quoting = Literal["named", "anonymous"]


class Tally(Resource):
    comments: int = Field(description="Published comments on a question (not replies).")
    replies: int = Field(description="Published replies, at any depth.")
    participants: int = Field(description="Distinct authors of those comments and replies.")
    supports: int = Field(description="Supports those comments and replies have.")
    max_depth: int = Field(description="Deepest reply: 0 when there is none.")


class QuestionTally(Tally):
    question_id: int


class LanguageCount(Resource):
    lang: str
    comments: int
    participants: int


class AffiliationCount(Resource):
    affiliation: str
    comments: int
    participants: int


class DepthCount(Resource):
    depth: int = Field(description="0 for comments on a question, 1 for replies to them, …")
    comments: int


class SupportedComment(Resource):
    id: int
    question_id: int
    author_name: str
    excerpt: str = Field(description="The start of the comment's Markdown source, as text.")
    support_count: int


class MinuteCount(Resource):
    minute: datetime = Field(description="Start of the minute.")
    comments: int = Field(description="Comments and replies published in it.")


class ModerationOutcomes(Resource):
    published: int
    pending: int
    hidden_by_moderators: int
    hidden_by_flags: int
    rejected: int
    deleted_by_authors: int


class QuestionThemeCount(Resource):
    question_id: int
    themes: int


class CloudTerm(Resource):
    phrase: str
    weight: int = Field(description="Published comments in the themes this term labels.")


class Statistics(Resource):
    seq: int = Field(description="The event seq these numbers are consistent with.")
    totals: Tally
    questions: list[QuestionTally] = Field(description="Questions with at least one published comment.")
    languages: list[LanguageCount] = Field(description="By the comment's language, most first.")
    affiliations: list[AffiliationCount] = Field(description="By the author's affiliation, when given.")
    depths: list[DepthCount]
    most_supported: list[SupportedComment]
    per_minute: list[MinuteCount] = Field(description="The last hour, oldest minute first.")
    moderation: ModerationOutcomes | None = Field(
        description="Every comment by outcome: moderators and admins only, null for others."
    )
    themes: list[QuestionThemeCount] = Field(
        default_factory=list, description="Themes per question, for questions grouped into themes."
    )
    cloud: list[CloudTerm] = Field(
        default_factory=list,
        description="Theme terms across the space, one per concept whatever its languages, heaviest "
        "first, without the terms its moderators excluded.",
    )


class SearchQuery(BaseModel):
    """`GET /spaces/{slug}/search` parameters."""

    model_config = ConfigDict(extra="forbid")

    q: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SEARCH_QUERY_MAX_CHARS)
    ]
    question_id: Id | None = None
    lang: LanguageCode | None = Field(default=None, description="Only comments in this language.")
    author_id: Id | None = None
    since: AwareDatetime | None = Field(default=None, description="Written at or after this time.")
    until: AwareDatetime | None = Field(default=None, description="Written before this time.")
    theme_id: Id | None = Field(default=None, description="Only comments of this theme (moderators only).")
    cited: bool | None = Field(
        default=None,
        description="Only comments the note cites (true) or does not (false): its latest version for "
        "moderators, its published one for everyone else.",
    )
    cursor: str | None = None
    limit: int = Field(default=20, ge=1, le=SEARCH_PAGE_MAX)


class SearchHit(Resource):
    kind: Literal["comment", "question"]
    id: int
    question_id: int
    lang: str | None = Field(description="The comment's language; null for questions.")
    author_id: int
    author_name: str
    status: str = Field(description="A comment's status (moderators also find pending and hidden ones).")
    created_at: datetime
    rank: float
    snippet_html: str = Field(
        description="Escaped text of the match, where the only markup is `<mark>` around matched words."
    )


class SearchPage(Resource):
    items: list[SearchHit] = Field(description="Best match first.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at the end.")
