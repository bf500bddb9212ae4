"""Themes and similar comments: what is not there yet, and what a grouping cannot do."""

from server.errors.base import AppError


class ThemeNotFound(AppError):
    code = "theme_not_found"
    status = 404
    message = "There is no such theme in this question."


class TooFewToGroup(AppError):
    code = "too_few_to_group"
    status = 409
    message = "A question needs at least two published comments with vectors to be grouped."


class NotEmbeddedYet(AppError):
    code = "not_embedded_yet"
    status = 409
    message = "This comment's sentence vector is still being made; try again in a second."


class ThemesUnavailable(AppError):
    # Not a 503: retrying will not help, the server was started without themes.
    code = "themes_unavailable"
    status = 409
    message = "Themes are switched off on this server."
