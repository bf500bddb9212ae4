"""Who the caller is and what they may do: logging in, permissions, screens' tokens."""

from server.errors.base import AppError


class NotAuthenticated(AppError):
    code = "not_authenticated"
    status = 401
    message = "Log in to do this."


class InvalidCredentials(AppError):
    code = "invalid_credentials"
    status = 401
    message = "That email and password do not match an account."


class TooManyLoginAttempts(AppError):
    code = "too_many_login_attempts"
    status = 429
    message = "Too many failed logins. Wait and try again."


class AccountSuspended(AppError):
    code = "account_suspended"
    status = 403
    message = "This account is suspended."


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
