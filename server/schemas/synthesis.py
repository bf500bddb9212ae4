"""The background note's requests and responses: versions, sentences and their citations,
coverage, the generated draft, the published page."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from server.schemas.common import Body, Id, LanguageCode, Query, Resource

# A 1,000-word note is about 7,000 characters; room for drafts many times longer.
NOTE_MAX_CHARS = 100_000

NoteMarkdown = Annotated[str, StringConstraints(max_length=NOTE_MAX_CHARS)]


class NoteSave(Body):
    markdown: NoteMarkdown = Field(description="The note, in Markdown with citation markers.")
    lang: LanguageCode = Field(description="The language the note is written in.")
    base_version: int | None = Field(
        ge=1,
        description="The version this text was based on; null for the space's first note. "
        "A save based on an older version is refused with `note_conflict`.",
    )


class NotePublish(Body):
    version: int = Field(ge=1, description="The version to publish: the one the moderator read.")


class CitedSpan(Resource):
    comment_id: int
    start: int
    end: int
    quote: str = Field(description="The comment's text at that span when it was first cited.")
    revision: int = Field(description="How many times the comment had been edited when cited.")
    needs_review: bool = Field(description="The comment was edited, hidden or deleted since.")


class NoteSentence(Resource):
    text: str
    words: int
    unsourced: bool
    citations: list[CitedSpan]


class NoteSection(Resource):
    title: str
    sentences: list[NoteSentence]


class Note(Resource):
    space: str
    version: int
    lang: str
    markdown: str
    saved_at: datetime
    saved_by: str | None
    published_version: int | None
    sections: list[NoteSection]
    words: int
    unsourced_sentences: int
    citations_needing_review: int


class NoteWrite(Note):
    event_seq: int | None


class NoteVersionSummary(Resource):
    version: int
    lang: str
    saved_at: datetime
    saved_by: str | None
    words: int


class NoteVersionList(Resource):
    items: list[NoteVersionSummary]


class NoteDiffQuery(Query):
    from_version: Id | None = Field(
        default=None, alias="from", description="Default: the version before `to`."
    )
    to_version: Id | None = Field(default=None, alias="to", description="Default: the latest version.")


class NoteDiff(Resource):
    from_version: int
    to_version: int
    diff: str = Field(description="A unified diff of the two versions' Markdown, line by line.")


class NoteExportQuery(Query):
    format: Literal["markdown", "docx"] = "markdown"


class UncitedComment(Resource):
    id: int
    question_id: int
    support_count: int
    excerpt: str


class UncitedTheme(Resource):
    id: int
    question_id: int
    label: str = Field(description="The moderators' name for it, else its terms joined.")
    comments: int = Field(description="Published comments in it.")


class Share(Resource):
    cited: int
    total: int
    share: float = Field(description="cited / total, 0 when there is nothing to cite.")


class ParticipantWarning(Resource):
    participant: str = Field(description="Their name or pseudonym, by their quoting consent.")
    citations: int
    share: float
    max_share: float


class Coverage(Resource):
    questions: Share
    languages: Share
    participants: Share
    uncited_languages: list[str]
    uncited_questions: list[int]
    most_supported_uncited: list[UncitedComment]
    dominant_participants: list[ParticipantWarning] = Field(
        description="Participants supplying more than the allowed share of the note's citations."
    )
    words: int
    target_words: int
    themes: Share = Field(description="Themes (with published comments) of which the note cites a comment.")
    uncited_themes: list[UncitedTheme] = Field(description="Themes the note cites nothing of, largest first.")


class NoteDraftQuery(Query):
    lang: Literal["en", "fr", "es"] | None = Field(
        default=None, description="Default: the space's first language, else English."
    )


class NoteDraft(Resource):
    lang: str
    markdown: str


class PublishedSource(Resource):
    comment_id: int
    start: int
    end: int
    quote: str
    lang: str
    attribution: str


class PublishedNote(Resource):
    space: str
    version: int
    lang: str
    markdown: str
    published_at: datetime
    sources: list[PublishedSource]


class CitedContributions(Resource):
    version: int | None = Field(description="The published version; null when none is.")
    comment_ids: list[int] = Field(description="Comments the published note cites.")
    mine: list[int] = Field(description="Of those, the caller's own contributions.")
