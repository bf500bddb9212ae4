"""What a space's moderators control: its lock and slow mode, announcements, mutes
and bans, moderators' notes, screen tokens and invitation links."""

from server.errors.base import AppError


class SpaceLocked(AppError):
    code = "space_locked"
    status = 403
    message = "A moderator has locked this space: it can be read but takes no input for now."


class SlowMode(AppError):
    code = "slow_mode"
    status = 429
    message = "Slow mode is on: wait a little before commenting again."


class AnnouncementNotFound(AppError):
    code = "announcement_not_found"
    status = 404
    message = "There is no such announcement in this space."


class Muted(AppError):
    code = "muted"
    status = 403
    message = "A moderator has muted you in this space: you can read but not post."


class Banned(AppError):
    code = "banned"
    status = 403
    message = "A moderator has banned you from posting in this space."


class CannotRestrictSteward(AppError):
    code = "cannot_restrict_steward"
    status = 409
    message = "A moderator of this space or an admin cannot be muted, banned or suspended."


class RestrictionNotFound(AppError):
    code = "restriction_not_found"
    status = 404
    message = "This person is not muted or banned in this space."


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
