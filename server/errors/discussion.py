"""Spaces, questions, comments and accounts: what is not there, and what their state does not allow."""

from server.errors.base import AppError


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


class EmailTaken(AppError):
    code = "email_taken"
    status = 409
    message = "An account with this email already exists."


class SlugTaken(AppError):
    code = "slug_taken"
    status = 409
    message = "A space with this slug already exists."


class UnsupportedLanguage(AppError):
    code = "unsupported_language"
    status = 422
    message = "This space does not accept that language."


class InvalidPosition(AppError):
    code = "invalid_position"
    status = 422
    message = "A question's position must be between 1 and the number of questions."


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


class SpaceNotOpen(AppError):
    code = "space_not_open"
    status = 409
    message = "This space is not open for posting."


class SpaceClosed(AppError):
    code = "space_closed"
    status = 409
    message = "This space is closed: it can be read but takes no new input."


class QuestionNotOpen(AppError):
    code = "question_not_open"
    status = 409
    message = "This question does not take comments yet."


class QuestionClosed(AppError):
    code = "question_closed"
    status = 409
    message = "This question is closed: it can be read but takes no new comments."


class CommentDeleted(AppError):
    code = "comment_deleted"
    status = 409
    message = "This comment has been deleted."


class QuestionDeleted(AppError):
    code = "question_deleted"
    status = 409
    message = "This question has been deleted by its author."


class QuestionNotModerated(AppError):
    code = "question_not_moderated"
    status = 409
    message = "Only participants' own questions are moderated; a moderators' question is edited or closed."


class QuestionNotPublished(AppError):
    code = "question_not_published"
    status = 409
    message = "This question is waiting for a moderator, or was removed: it takes no comments."


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
