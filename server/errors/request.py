"""The request itself cannot be served: malformed, too large, the wrong address or
method, or a service Roundtable depends on is down."""

from server.errors.base import AppError


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


class RouteNotFound(AppError):
    code = "not_found"
    status = 404
    message = "There is nothing at this address."


class MethodNotAllowed(AppError):
    code = "method_not_allowed"
    status = 405
    message = "This address does not take that method."


class BodyTooLarge(AppError):
    code = "body_too_large"
    status = 413
    message = "The request body is too large."


class UnsupportedMediaType(AppError):
    code = "unsupported_media_type"
    status = 415
    message = "Send the request body as application/json."


class ServiceUnavailable(AppError):
    code = "service_unavailable"
    status = 503
    message = "A service Roundtable depends on is unreachable."


# Live connections refused before they start (server/live/admission.py).
class TooManyConnections(AppError):
    code = "too_many_connections"
    status = 429
    message = "This address holds as many live connections as it may. Close one and try again."


class ServerBusy(AppError):
    code = "server_busy"
    status = 503
    message = "This server holds as many live connections as it can. Try again shortly."


class ShuttingDown(AppError):
    code = "shutting_down"
    status = 503
    message = "This server is shutting down. Connect again: another one will answer."
