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
    code = "themes_unavailable"
    status = 503
    message = "Themes are switched off on this server."
