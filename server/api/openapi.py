"""The OpenAPI 3.1 document, generated from the declared operations and their models."""

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from server import errors
from server.access.admission import Level
from server.api.routing import STATE_CHANGING, Api, Operation
from server.schemas.common import ErrorResponse

REF = "#/components/schemas/{model}"
# Every endpoint may answer with these, besides its own errors.
COMMON_ERRORS: tuple[type[errors.AppError], ...] = (
    errors.MalformedJson,
    errors.InvalidBody,
    errors.NotAuthenticated,
    errors.Forbidden,
    errors.OriginNotAllowed,
    # Any endpoint that touches the database answers it while PostgreSQL is down.
    errors.ServiceUnavailable,
)

AUTH_NOTES: dict[Level, str] = {
    Level.ANYONE: "Open to anonymous readers.",
    Level.USER: "Requires a logged-in user.",
    Level.AUTHOR: "Requires the author (or, where the summary says so, a moderator of the space).",
    Level.MODERATOR: "Requires a moderator of the space (or an admin).",
    Level.ADMIN: "Requires a site admin.",
}


def openapi_document(api: Api, version: str) -> dict[str, Any]:
    models: set[type[BaseModel]] = {ErrorResponse}
    for op in api.operations:
        models.update(m for m in (op.body, op.response, op.download) if m is not None)
    keyed = [(m, "validation") for m in sorted(models, key=lambda m: m.__name__)]
    keyed += [(m, "serialization") for m in sorted(models, key=lambda m: m.__name__)]
    refs, definitions = models_json_schema(keyed, ref_template=REF)  # type: ignore[arg-type]
    paths: dict[str, dict[str, Any]] = {}
    for op in api.operations:
        paths.setdefault(op.openapi_path, {})[op.method.lower()] = _operation(op, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Roundtable API",
            "version": version,
            "description": "Real-time discussion server for online consultations. Every error "
            'has the shape `{"error": {"code", "message", "details"}}`.',
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "roundtable_session"},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
        },
    }


def _ref(refs: dict[Any, Any], model: type[BaseModel], mode: str) -> dict[str, Any]:
    schema: dict[str, Any] = refs[(model, mode)]
    return schema


def _operation(op: Operation, refs: dict[Any, Any]) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer" if kind == "int" else "string"},
        }
        for name, kind in re.findall(r"\{(\w+)(?::(\w+))?\}", op.path)
    ]
    if op.query is not None:
        schema = op.query.model_json_schema()
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": name in required,
                    "schema": prop,
                    "description": prop.get("description", ""),
                }
            )
    success: dict[str, Any] = {"description": "Success", "content": {}}
    if op.response:
        success["content"] = {"application/json": {"schema": _ref(refs, op.response, "serialization")}}
    if op.response and op.download:
        # A page, or with `format=json` the whole file; `format=csv` is the same as CSV.
        success["content"] = {
            "application/json": {
                "schema": {
                    "anyOf": [
                        _ref(refs, op.response, "serialization"),
                        _ref(refs, op.download, "serialization"),
                    ]
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        }
    if op.stream:
        success["description"] = "A stream of Server-Sent Events; see docs/protocol.md."
        success["content"] = {"text/event-stream": {"schema": {"type": "string"}}}
    responses: dict[str, Any] = {str(op.status): success}
    open_to_anyone = op.auth.level is Level.ANYONE
    refused_screens = (errors.ScreenReadOnly,) if not open_to_anyone or op.method in STATE_CHANGING else ()
    for error in (*op.raises, *COMMON_ERRORS, *refused_screens):
        entry = responses.setdefault(
            str(error.status),
            {
                "description": "",
                "content": {"application/json": {"schema": _ref(refs, ErrorResponse, "serialization")}},
            },
        )
        line = f"`{error.code}`: {error.message}"
        if line not in entry["description"]:
            entry["description"] = (entry["description"] + "\n\n" + line).strip()
    result: dict[str, Any] = {
        "operationId": op.handler.__name__,
        "summary": op.summary,
        "description": AUTH_NOTES[op.auth.level],
        "tags": [op.tag],
        "parameters": parameters,
        "responses": responses,
    }
    if not open_to_anyone:
        result["security"] = [{"session": []}, {"bearer": []}]
    if op.body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(refs, op.body, "validation")}},
        }
    return result
