"""The audit log as the moderators and admins read it: entries, filters and pages."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from server.queries.audit import AuditRow
from server.schemas.common import Id, Query, Resource, WindowTime


class AuditEntry(Resource):
    id: int
    action: str = Field(description="What was done, e.g. `comment.hide`, `participant.mute`.")
    actor_id: int | None = Field(description="Who did it; null when Roundtable acted by itself.")
    actor_name: str | None
    target_type: str = Field(description="`comment`, `question`, `space`, `user`, `screen`, …")
    target_id: int | None
    target_label: str | None = Field(
        default=None,
        description="The target in words: a comment's opening words, a question's title, a person's name; "
        "null for other targets and for text since erased.",
    )
    target_author: str | None = Field(default=None, description="A comment target's author.")
    reason: str | None = Field(description="A reason code (docs/protocol.md), when one applies.")
    note: str
    details: dict[str, Any] = Field(description="What the action changed, e.g. the duration of a mute.")
    at: datetime


class AuditQuery(Query):
    action: Annotated[str, StringConstraints(max_length=100)] | None = None
    actor_id: Id | None = None
    target_type: Annotated[str, StringConstraints(max_length=100)] | None = None
    target_id: Id | None = None
    reason: Annotated[str, StringConstraints(max_length=100)] | None = Field(
        default=None, description="Entries with this reason code."
    )
    since: WindowTime | None = Field(default=None, description="Entries at or after this time.")
    until: WindowTime | None = Field(default=None, description="Entries before this time.")
    cursor: Annotated[str, StringConstraints(max_length=40)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    format: Literal["page", "csv", "json"] = Field(
        default="page", description="`csv` or `json`: every matching entry, as a file to download."
    )


class AuditExport(Resource):
    """The whole filtered log as a JSON file (`format=json`)."""

    log: str = Field(description="The space's slug, or `site`.")
    exported_at: datetime
    items: list[AuditEntry] = Field(description="Newest first.")


class AuditPage(Resource):
    items: list[AuditEntry] = Field(description="Newest first.")
    next_cursor: str | None = Field(description="Pass as `cursor` for older entries; null at the end.")


# Enough of a comment to recognise it in a line of the log.
EXCERPT_MAX_CHARS = 60


def excerpt(text: str) -> str:
    """The opening words of a text on one line, cut at a word and marked when cut."""
    words = " ".join(text.split())
    if len(words) <= EXCERPT_MAX_CHARS:
        return words
    cut = words[:EXCERPT_MAX_CHARS].rsplit(" ", 1)[0] or words[:EXCERPT_MAX_CHARS]
    return cut + "…"


def entry(row: AuditRow) -> AuditEntry:
    # The row's columns are the entry's fields (and its space, which the entry leaves out).
    found = AuditEntry.model_validate(row, from_attributes=True)
    if row.target_text is not None:
        label = excerpt(row.target_text) if row.target_type == "comment" else row.target_text
        found.target_label = label
    return found
