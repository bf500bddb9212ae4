"""What every resource's schema shares: base classes, id and time bounds, roles,
how people are referred to, the error shape, and the opaque page cursors."""

import base64
import binascii
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Protocol, TypeVar

import orjson
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from server import errors
from server.queries.users import UserRow

# Ids are PostgreSQL bigints.
MAX_ID = 2**63 - 1
NAME_MAX_CHARS = 80
# A moderator's note explains a decision to the other moderators: a paragraph, not an essay.
NOTE_MAX_CHARS = 2_000

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
NoteText = Annotated[str, StringConstraints(max_length=NOTE_MAX_CHARS)]
Role = Literal["anonymous", "participant", "moderator", "admin"]
# Quoting consent: quote me by name, or anonymous (a pseudonym) in reports.
Quoting = Literal["named", "anonymous"]


class Body(BaseModel):
    """A request body: unknown fields and loose types are errors."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Query(BaseModel):
    """Query parameters: unknown ones are errors; numbers arrive as text, so types are coerced."""

    model_config = ConfigDict(extra="forbid", strict=False)


class Resource(BaseModel):
    """A response body."""


ResourceT = TypeVar("ResourceT", bound=Resource)
# A write's answer carries the seq of the event it made, so the caller can match it on the live stream.
EventSeq = Annotated[int | None, Field(description="Seq of the event this write produced, if any.")]
RowT = TypeVar("RowT")


def from_row(resource: type[ResourceT], row: object, **derived: Any) -> ResourceT:
    """`resource` with each field read from the row's column of the same name, as pydantic
    reads attributes, except the fields in `derived`: named otherwise, computed, or withheld."""
    columns = {
        name: getattr(row, name)
        for name in resource.model_fields
        if name not in derived and hasattr(row, name)
    }
    return resource.model_validate({**columns, **derived})


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


class UserRef(Resource):
    id: int
    display_name: str


class UserSummary(Resource):
    """How a person appears next to what they wrote: "Sarah Doyel, IOM"."""

    id: int
    display_name: str
    handle: str = Field(description="Used for @mentions.")
    affiliation: str | None


def user_summary(user: UserRow) -> UserSummary:
    return from_row(UserSummary, user)


class AuthoredRow(Protocol):
    """A row joined with its author's user columns (comments, questions)."""

    @property
    def author_id(self) -> int: ...
    @property
    def author_name(self) -> str: ...
    @property
    def author_handle(self) -> str: ...
    @property
    def author_affiliation(self) -> str | None: ...


def author_summary(row: AuthoredRow) -> UserSummary:
    return UserSummary(
        id=row.author_id,
        display_name=row.author_name,
        handle=row.author_handle,
        affiliation=row.author_affiliation,
    )


# ---- Pages ------------------------------------------------------------------------------------
# A cursor is opaque to clients: the list it belongs to (a comment order, a queue
# kind, the audit log) and the position of the last item given, as JSON in URL-safe
# base64. It is refused (`invalid_cursor`) for any other list or a malformed position.


def page_of(rows: list[RowT], limit: int) -> tuple[list[RowT], bool]:
    """The first `limit` of the rows a query gave when asked for `limit + 1`, and whether
    there were more: the one extra row says so without counting them all."""
    return rows[:limit], len(rows) > limit


def encode_cursor(scope: str, position: list[int]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([scope, *position])).decode().rstrip("=")


def decode_cursor(cursor: str, scope: str, *, max_length: int = 1) -> list[int]:
    """The position `encode_cursor(scope, position)` carried: 1 to `max_length` ids."""
    try:
        value = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise errors.InvalidCursor() from None
    valid = (
        isinstance(value, list)
        and 1 < len(value) <= max_length + 1
        and value[0] == scope
        and all(isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= MAX_ID for i in value[1:])
    )
    if not valid:
        raise errors.InvalidCursor()
    return list(value[1:])
