"""The edge: every exception that leaves an endpoint becomes the one JSON error shape
`{"error": {"code", "message", "details"}}` here, and nowhere else."""

import logging
from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ExceptionHandler

from server.errors.base import AppError
from server.errors.request import MethodNotAllowed, RouteNotFound

log = logging.getLogger(__name__)


def _error_response(body: dict[str, Any], status: int) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


async def app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    response = _error_response(exc.body(), exc.status)
    response.headers.update(exc.headers())
    return response


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 and 405 take our codes; any other status keeps its detail."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        error: AppError = RouteNotFound()
    elif exc.status_code == 405:
        error = MethodNotAllowed()
    else:
        return _error_response(
            {"error": {"code": "http_error", "message": exc.detail, "details": None}}, exc.status_code
        )
    return _error_response(error.body(), error.status)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error", exc_info=exc)
    body = {
        "error": {"code": "internal_error", "message": "Something went wrong on our side.", "details": None}
    }
    return _error_response(body, 500)


EXCEPTION_HANDLERS: dict[Any, ExceptionHandler] = {
    AppError: app_error,
    HTTPException: http_error,
    Exception: unexpected_error,
}
