"""Moderation of comments: decisions, claims, flags, held participants, the spotlight."""

from server.errors.base import AppError


class ReasonRequired(AppError):
    code = "reason_required"
    status = 422
    message = "This decision needs a reason code (and a note when the reason is `other`)."


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


class FlagTextRequired(AppError):
    code = "flag_text_required"
    status = 422
    message = "A flag with the reason `other` needs a text saying what is wrong."


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
