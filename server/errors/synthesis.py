"""Errors of the background note: its citations, concurrent saves, versions, publishing."""

from server.errors.base import AppError


class BackgroundNoteNotFound(AppError):
    """The space has no background note yet (or not that version of it)."""

    code = "background_note_not_found"
    status = 404
    message = "The space has no background note, or not that version of it."


class NoteNotPublished(AppError):
    code = "note_not_published"
    status = 404
    message = "The background note of this space has not been published."


class NoteConflict(AppError):
    """Another writer saved since the version this save was based on: nothing is
    overwritten; `details` carries the current version to merge with."""

    code = "note_conflict"
    status = 409
    message = "The note changed since the version you started from: merge with the current version."


class CitationInvalid(AppError):
    """A citation marker that cannot be read, or a span outside its comment's text."""

    code = "citation_invalid"
    status = 422
    message = "A citation is malformed or points outside its comment's text."


class CitedCommentNotFound(AppError):
    code = "cited_comment_not_found"
    status = 422
    message = "A citation names a comment that is not published in this space."


class QuoteNotInComment(AppError):
    """The quoted words are not the exact text of the span they cite."""

    code = "quote_not_in_comment"
    status = 422
    message = "A quotation does not match the exact text of the comment it cites."


class QuoteOutOfOrder(AppError):
    """The pieces of a quote joined with "…" must follow the comment's own order."""

    code = "quote_out_of_order"
    status = 422
    message = "The pieces of a quotation joined with … are not in the comment's order."
