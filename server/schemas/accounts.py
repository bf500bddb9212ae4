"""Accounts: registering, logging in, one's profile, and how users are listed."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import EmailStr, Field, StringConstraints

from server.queries.users import UserRow
from server.schemas.common import (
    Body,
    DisplayName,
    LanguageCode,
    Query,
    Quoting,
    Resource,
    UserSummary,
    from_row,
)
from server.schemas.patch import PatchBody

# RFC 5321 caps a forward path at 256 octets, so an address is at most 254.
EMAIL_MAX_CHARS = 254
# Long enough for passphrases; short enough that hashing stays cheap.
PASSWORD_MIN_CHARS, PASSWORD_MAX_CHARS = 8, 256
AFFILIATION_MAX_CHARS = 120

Affiliation = Annotated[str, StringConstraints(strip_whitespace=True, max_length=AFFILIATION_MAX_CHARS)]
Password = Annotated[str, StringConstraints(min_length=PASSWORD_MIN_CHARS, max_length=PASSWORD_MAX_CHARS)]
Email = Annotated[EmailStr, StringConstraints(max_length=EMAIL_MAX_CHARS)]


class RegisterBody(Body):
    email: Email
    password: Password
    display_name: DisplayName
    affiliation: Affiliation | None = None
    language: LanguageCode = "en"


class LoginBody(Body):
    email: Annotated[str, StringConstraints(max_length=EMAIL_MAX_CHARS)]
    password: Annotated[str, StringConstraints(max_length=PASSWORD_MAX_CHARS)]


class ProfilePatch(PatchBody):
    clearable = frozenset({"affiliation"})

    display_name: DisplayName | None = None
    affiliation: Affiliation | None = None
    language: LanguageCode | None = None
    quoting: Quoting | None = Field(default=None, description="Default quoting consent of new comments.")
    new_password: Password | None = Field(
        default=None, description="A new password; ends every other session of the account."
    )
    current_password: Annotated[str, StringConstraints(max_length=PASSWORD_MAX_CHARS)] | None = Field(
        default=None, description="Required with `new_password`."
    )


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


class Session(Resource):
    """Who the caller is, asked without being refused: the browser client's first question."""

    user: Me | None = Field(description="The logged-in user, or null for an anonymous reader.")


class LoggedOut(Resource):
    logged_out: Literal[True]


class LoggedOutEverywhere(Resource):
    sessions_ended: int = Field(description="Sessions of the account that ended, the caller's included.")


class UserSearchQuery(Query):
    q: Annotated[str, StringConstraints(min_length=1, max_length=EMAIL_MAX_CHARS)]


def me(user: UserRow, moderator_of: list[str]) -> Me:
    return from_row(Me, user, moderator_of=moderator_of)
