"""Every error a client can see: a small class per case, with a stable `code`.

App code only raises these; `server.app` turns them into the one JSON error
shape `{"error": {"code", "message", "details"}}` at the edge.
"""

import math
from datetime import datetime
from typing import Any, ClassVar


class AppError(Exception):
    """Base of every client-visible error."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    message: ClassVar[str] = "The request could not be completed."

    def __init__(self, message: str | None = None, details: Any = None) -> None:
        self.text = message or self.message
        self.details = details
        super().__init__(self.text)

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.text, "details": self.details}}

    def headers(self) -> dict[str, str]:
        """HTTP headers the response carries besides the body (Retry-After, for one)."""
        return {}


# 400 / 422: the request itself is wrong.
class MalformedJson(AppError):
    code = "malformed_json"
    message = "The request body is not valid JSON."


class InvalidBody(AppError):
    code = "invalid_body"
    status = 422
    message = "The request body does not match what this endpoint takes."


class TextTooLong(InvalidBody):
    code = "text_too_long"
    message = "A text field is longer than allowed."


class InvalidQuery(AppError):
    code = "invalid_query"
    status = 422
    message = "A query parameter is not valid."


class InvalidCursor(AppError):
    code = "invalid_cursor"
    message = "That cursor is not one this server gave out."


class UnsupportedLanguage(AppError):
    code = "unsupported_language"
    status = 422
    message = "This space does not accept that language."


class ParentInOtherQuestion(AppError):
    code = "parent_in_other_question"
    status = 422
    message = "A reply must be posted under the same question as its parent."


class ParentNotFound(AppError):
    code = "parent_not_found"
    status = 422
    message = "The comment you are replying to does not exist."


class ParentNotReplyable(AppError):
    code = "parent_not_replyable"
    status = 409
    message = "The comment you are replying to cannot take replies."


class InvalidPosition(AppError):
    code = "invalid_position"
    status = 422
    message = "A question's position must be between 1 and the number of questions."


# 401 / 403: who you are and what you may do.
class NotAuthenticated(AppError):
    code = "not_authenticated"
    status = 401
    message = "Log in to do this."


class InvalidCredentials(AppError):
    code = "invalid_credentials"
    status = 401
    message = "That email and password do not match an account."


class WrongPassword(AppError):
    code = "wrong_password"
    status = 403
    message = "The current password is missing or not right."


class Forbidden(AppError):
    code = "forbidden"
    status = 403
    message = "You are not allowed to do this."


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


# 404: it is not there (or not for you).
class SpaceNotFound(AppError):
    code = "space_not_found"
    status = 404
    message = "There is no such space."


class QuestionNotFound(AppError):
    code = "question_not_found"
    status = 404
    message = "There is no such question."


class CommentNotFound(AppError):
    code = "comment_not_found"
    status = 404
    message = "There is no such comment."


class UserNotFound(AppError):
    code = "user_not_found"
    status = 404
    message = "There is no such user."


class RouteNotFound(AppError):
    code = "not_found"
    status = 404
    message = "There is nothing at this address."


class MethodNotAllowed(AppError):
    code = "method_not_allowed"
    status = 405
    message = "This address does not take that method."


# 409: the state of things does not allow it.
class EmailTaken(AppError):
    code = "email_taken"
    status = 409
    message = "An account with this email already exists."


class SlugTaken(AppError):
    code = "slug_taken"
    status = 409
    message = "A space with this slug already exists."


class SpaceNotOpen(AppError):
    code = "space_not_open"
    status = 409
    message = "This space is not open for posting."


class SpaceClosed(AppError):
    code = "space_closed"
    status = 409
    message = "This space is closed: it can be read but takes no new input."


class QuestionClosed(AppError):
    code = "question_closed"
    status = 409
    message = "This question is closed: it can be read but takes no new comments."


class CommentDeleted(AppError):
    code = "comment_deleted"
    status = 409
    message = "This comment has been deleted."


class AlreadySupported(AppError):
    code = "already_supported"
    status = 409
    message = "You already support this comment."


class NotSupported(AppError):
    code = "not_supported"
    status = 409
    message = "You do not support this comment."


class OwnComment(AppError):
    code = "own_comment"
    status = 409
    message = "You cannot support your own comment."


# Moderation of comments: decisions, claims, flags, held participants, spotlight.
class ReasonRequired(AppError):
    code = "reason_required"
    status = 422
    message = "This decision needs a reason code (and a note when the reason is `other`)."


class FlagTextRequired(AppError):
    code = "flag_text_required"
    status = 422
    message = "A flag with the reason `other` needs a text saying what is wrong."


class AlreadyDecided(AppError):
    code = "already_decided"
    status = 409
    message = "This comment is no longer in the state this decision needs: another moderator acted first."


class ClaimedByOther(AppError):
    code = "claimed_by_other"
    status = 409
    message = "Another moderator is handling this comment."


class NotClaimed(AppError):
    code = "not_claimed"
    status = 409
    message = "You do not hold a claim on this comment."


class AlreadyFlagged(AppError):
    code = "already_flagged"
    status = 409
    message = "You have already flagged this comment."


class NotFlaggable(AppError):
    code = "not_flaggable"
    status = 409
    message = "Only published comments can be flagged."


class NoOpenFlags(AppError):
    code = "no_open_flags"
    status = 409
    message = "This comment has no open flags to dismiss."


class NotHeld(AppError):
    code = "not_held"
    status = 409
    message = "This participant's comments are not held in this space."


class UserIsModerator(AppError):
    code = "user_is_moderator"
    status = 409
    message = "A moderator's comments are never held."


class NotSpotlightable(AppError):
    code = "not_spotlightable"
    status = 409
    message = "Only published comments can be shown on screens."


class AlreadyInSpotlight(AppError):
    code = "already_in_spotlight"
    status = 409
    message = "This item is already on screen or queued for it."


class SpotlightQueueFull(AppError):
    code = "spotlight_queue_full"
    status = 409
    message = "The spotlight's queue is full."


class SpotlightQueueEmpty(AppError):
    code = "spotlight_queue_empty"
    status = 409
    message = "Nothing is queued to come next."


class SpotlightOrderMismatch(AppError):
    code = "spotlight_order_mismatch"
    status = 409
    message = "The order must list exactly the items queued now."


class SpotlightItemNotFound(AppError):
    code = "spotlight_item_not_found"
    status = 404
    message = "There is no such item in this space's spotlight."


# 413 / 415 / 429 / 503
class BodyTooLarge(AppError):
    code = "body_too_large"
    status = 413
    message = "The request body is too large."


class UnsupportedMediaType(AppError):
    code = "unsupported_media_type"
    status = 415
    message = "Send the request body as application/json."


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


class ServiceUnavailable(AppError):
    code = "service_unavailable"
    status = 503
    message = "A service Roundtable depends on is unreachable."


# ---- Stewarding a space: locks, restrictions, schedules, invitations, screens.
class SpaceLocked(AppError):
    code = "space_locked"
    status = 403
    message = "A moderator has locked this space: it can be read but takes no input for now."


class Muted(AppError):
    code = "muted"
    status = 403
    message = "A moderator has muted you in this space: you can read but not post."


class Banned(AppError):
    code = "banned"
    status = 403
    message = "A moderator has banned you from posting in this space."


class AccountSuspended(AppError):
    code = "account_suspended"
    status = 403
    message = "This account is suspended."


class InvalidScreenToken(AppError):
    code = "invalid_screen_token"
    status = 401
    message = "That screen token is unknown or has been revoked."


class ScreenReadOnly(AppError):
    code = "screen_read_only"
    status = 403
    message = "A screen token only reads its space's public stream; log in as a person to do this."


class QuestionNotOpen(AppError):
    code = "question_not_open"
    status = 409
    message = "This question does not take comments yet."


class CannotRestrictSteward(AppError):
    code = "cannot_restrict_steward"
    status = 409
    message = "A moderator of this space or an admin cannot be muted, banned or suspended."


class RestrictionNotFound(AppError):
    code = "restriction_not_found"
    status = 404
    message = "This person is not muted or banned in this space."


class AnnouncementNotFound(AppError):
    code = "announcement_not_found"
    status = 404
    message = "There is no such announcement in this space."


class NoteNotFound(AppError):
    code = "note_not_found"
    status = 404
    message = "There is no such moderator note in this space."


class NoteTargetNotFound(AppError):
    code = "note_target_not_found"
    status = 422
    message = "A note must be about a comment of this space or an existing user."


class ScreenNotFound(AppError):
    code = "screen_not_found"
    status = 404
    message = "There is no such screen token in this space."


class InvitationNotFound(AppError):
    code = "invitation_not_found"
    status = 404
    message = "There is no such invitation link."


class InvitationRevoked(AppError):
    code = "invitation_revoked"
    status = 410
    message = "This invitation link has been revoked: ask the moderators for a new one."


class InvitationExpired(AppError):
    code = "invitation_expired"
    status = 410
    message = "This invitation link has expired: ask the moderators for a new one."


class InvitationUsedUp(AppError):
    code = "invitation_used_up"
    status = 410
    message = "This invitation link has been used as many times as it allows."


class SlowMode(AppError):
    code = "slow_mode"
    status = 429
    message = "Slow mode is on: wait a little before commenting again."


class NotModerator(Forbidden):
    code = "not_moderator"
    status = 403
    message = "Only this space's moderators (and admins) may do this."
