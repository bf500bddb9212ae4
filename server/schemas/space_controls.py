"""The moderators' controls of a space: its lock, slow mode, and announcements."""

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from server.queries.controls import AnnouncementRow
from server.schemas.common import (
    Body,
    EventSeq,
    LanguageCode,
    NonBlank,
    NoteText,
    Resource,
    UserRef,
    from_row,
)
from server.schemas.reasons import ControlReason

# An announcement is a banner over the discussion: a few sentences.
ANNOUNCEMENT_MAX_CHARS = 2_000
# Slow mode beyond an hour is a lock in all but name.
SLOW_MODE_MAX_SECS = 3_600


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
    event_seq: EventSeq


class AnnouncementList(Resource):
    items: list[Announcement] = Field(description="The active announcements, oldest first.")


def announcement(row: AnnouncementRow) -> Announcement:
    return from_row(
        Announcement, row, html=row.body_html, author=UserRef(id=row.author_id, display_name=row.author_name)
    )
