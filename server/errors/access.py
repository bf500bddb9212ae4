"""Who the caller is and what they may do: logging in, permissions, screens' tokens."""

import math
from datetime import datetime
from typing import Any

from server.errors.base import AppError


class NotAuthenticated(AppError):
    code = "not_authenticated"
    status = 401
    message = "Log in to do this."


class InvalidCredentials(AppError):
    code = "invalid_credentials"
    status = 401
    message = "That email and password do not match an account."


class RateLimited(AppError):
    """Too many attempts at one action; `details.retry_at` says when to try again."""

    code = "rate_limited"
    status = 429
    message = "Too many attempts. Wait and try again."
    retry_after_secs: float = 0.0

    @classmethod
    def until(cls, retry_at: datetime, retry_after_secs: float, details: dict[str, Any]) -> "RateLimited":
        error = cls(details={"retry_at": retry_at.isoformat(), **details})
        error.retry_after_secs = retry_after_secs
        return error

    def headers(self) -> dict[str, str]:
        # Whole seconds, rounded up (RFC 9110): a client waiting this long succeeds.
        return {"Retry-After": str(max(1, math.ceil(self.retry_after_secs)))}


class TooManyLoginAttempts(RateLimited):
    code = "too_many_login_attempts"
    message = "Too many logins tried. Wait and try again."


class AccountSuspended(AppError):
    code = "account_suspended"
    status = 403
    message = "This account is suspended."


class WrongPassword(AppError):
    code = "wrong_password"
    status = 403
    message = "The current password is missing or not right."


class Forbidden(AppError):
    code = "forbidden"
    status = 403
    message = "You are not allowed to do this."


class NotModerator(Forbidden):
    code = "not_moderator"
    status = 403
    message = "Only this space's moderators (and admins) may do this."


class OriginNotAllowed(AppError):
    code = "origin_not_allowed"
    status = 403
    message = "Requests from this origin are not allowed."


class NotInvited(AppError):
    code = "not_invited"
    status = 403
    message = "Only invited participants may post in this space."


class ParticipantQuestionsNotAllowed(AppError):
    code = "participant_questions_not_allowed"
    status = 403
    message = "This space does not take questions from participants."


class NotAuthor(AppError):
    code = "not_author"
    status = 403
    message = "Only the author may do this."


class InvalidScreenToken(AppError):
    code = "invalid_screen_token"
    status = 401
    message = "That screen token is unknown or has been revoked."


class ScreenReadOnly(AppError):
    code = "screen_read_only"
    status = 403
    message = "A screen token only reads its space's public stream; log in as a person to do this."
