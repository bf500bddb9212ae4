"""Declaring JSON endpoints once: route, access, body model, response model, docs.

Each `Operation` becomes a Starlette route and an OpenAPI operation, so the
document at /api/v1/openapi.json is generated from the same models the
handlers use. The route's declared access is enforced here, before the body
is read or the handler runs (server/access/admission.py).
"""

import dataclasses
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server import errors
from server.access import rate_limits
from server.access.admission import (
    ANYONE,
    Access,
    Level,
    SpaceInPath,
    admit,
    moderates_space_in_path,
    space_in_path,
)
from server.access.identity import (
    SESSION_COOKIE,
    Viewer,
    screen_token_from,
    token_from_headers,
    viewer_for_token,
)
from server.access.rate_limits import RateAction
from server.api.call import Call
from server.events import Event
from server.running.services import Services

# Bodies are JSON objects of a few fields; the largest legitimate one is a
# space's background text (100k characters, up to 4 bytes each in UTF-8).
MAX_BODY_BYTES = 512 * 1024
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# What the router's admission of a space's moderators answers (server/access/admission.py).
STEWARD_ERRORS: tuple[type[errors.AppError], ...] = (errors.SpaceNotFound, errors.NotModerator)

Handler = Callable[[Call, Any], Awaitable[BaseModel | Response]]
ModelT = TypeVar("ModelT", bound=BaseModel)
WriteT = TypeVar("WriteT", bound=BaseModel)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    raises: tuple[type[errors.AppError], ...] = ()
    auth: Access = ANYONE
    stream: bool = False
    rate_limit: RateAction | None = None
    # `?format=json|csv` downloads: the JSON file's model (the CSV is documented as text).
    download: type[BaseModel] | None = None

    @property
    def openapi_path(self) -> str:
        return re.sub(r"\{(\w+):\w+\}", r"{\1}", self.path)

    @property
    def space_in_path(self) -> SpaceInPath | None:
        return space_in_path(self.path)


@dataclass
class Api:
    prefix: str
    operations: list[Operation] = field(default_factory=list)

    def route(
        self,
        method: str,
        path: str,
        *,
        summary: str,
        tag: str,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: type[BaseModel] | None = None,
        status: int = 200,
        raises: tuple[type[errors.AppError], ...] = (),
        auth: Access = ANYONE,
        stream: bool = False,
        rate_limit: RateAction | None = None,
        download: type[BaseModel] | None = None,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            operation = Operation(
                method,
                path,
                handler,
                summary,
                tag,
                body,
                query,
                response,
                status,
                raises,
                auth,
                stream,
                rate_limit,
                download,
            )
            self.add(operation)
            return handler

        return register

    def add(self, op: Operation) -> None:
        """Add `op`, its path relative to the prefix; a rate-limited route may answer `rate_limited`."""
        raises = (*op.raises, errors.RateLimited) if op.rate_limit is not None else op.raises
        self.operations.append(dataclasses.replace(op, path=self.prefix + op.path, raises=raises))

    def routes(self) -> list[Route]:
        """Routes relative to the prefix, for a `Mount(prefix, routes=...)`."""
        by_path: dict[str, dict[str, Operation]] = {}
        for op in self.operations:
            by_path.setdefault(op.path.removeprefix(self.prefix), {})[op.method] = op
        return [Route(path, _endpoint(ops), methods=list(ops)) for path, ops in by_path.items()]


def _endpoint(ops: dict[str, Operation]) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        op = ops[request.method if request.method != "HEAD" else "GET"]
        if request.method in STATE_CHANGING:
            check_origin(request)
        if op.auth.level is not Level.ANYONE or request.method in STATE_CHANGING:
            refuse_screen(request)
        if any(isinstance(v, str) and "\x00" in v for v in request.path_params.values()):
            # No slug or handle holds one, and PostgreSQL text cannot.
            raise errors.RouteNotFound()
        # A bad query is named whoever asks, as before access was checked here.
        query = parse_query(request, op.query) if op.query is not None else None
        # Access before the body: whoever the route excludes learns nothing from its validation.
        svc, who = services(request), await viewer(request)
        admitted = await admit(svc.pool, who, op.auth, op.space_in_path, request.path_params)
        # Site admins are not limited: they run the site, and can suspend anyone anyway;
        # nor are a space's moderators when they post there: steering is not flooding.
        if op.rate_limit is not None and not who.is_admin and not await _steers_there(request, op, who):
            # Before the body is parsed or any work done: a refusal costs little.
            address = client_address(request)
            await rate_limits.check(svc.counters, svc.settings, op.rate_limit, who.user_id, address)
        body = await parse_body(request, op.body) if op.body else None
        result = await op.handler(Call(request, svc, admitted, query), body)
        if isinstance(result, Response):
            return result
        return json_response(result, op.status)

    return endpoint


async def _steers_there(request: Request, op: Operation, who: Viewer) -> bool:
    """Whether the caller moderates the space a posting route writes to."""
    if op.rate_limit not in rate_limits.PARTICIPANT_POSTING:
        return False
    return await moderates_space_in_path(services(request).pool, who, op.space_in_path, request.path_params)


def client_address(request: Request) -> str:
    """The address the request came from, as the server sees it."""
    return request.client.host if request.client else "unknown"


def json_response(model: BaseModel | dict[str, Any], status: int = 200) -> Response:
    content = model.model_dump(mode="json") if isinstance(model, BaseModel) else model
    return Response(orjson.dumps(content), status_code=status, media_type="application/json")


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


async def viewer(request: Request) -> Viewer:
    """The caller, from its bearer token or session cookie (the router resolves it once per request)."""
    token = token_from_headers(request.headers.get("authorization"), request.cookies.get(SESSION_COOKIE))
    return await viewer_for_token(services(request).pool, token)


def written(write: type[WriteT], resource: BaseModel, event: Event | None, **extra: Any) -> WriteT:
    """A write's answer: the resource as it now is, with the seq of the event the write made
    (null when nothing changed), so the caller can match it on the live stream."""
    return write(**resource.model_dump(), event_seq=event.seq if event else None, **extra)


def check_origin(request: Request) -> None:
    """Browsers send Origin on state-changing requests; refuse foreign ones.

    A request without Origin comes from a script, not a browser page, and
    carries its own bearer token, so cross-site forgery does not apply.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return
    if not origin_allowed(
        origin, request.url.scheme, request.headers.get("host"), services(request).settings.allowed_origins
    ):
        raise errors.OriginNotAllowed(details={"origin": origin})


def refuse_screen(request: Request) -> None:
    """A screen token reads what anyone may read and nothing else: say so rather than
    answer `not_authenticated`, which would tell a wall display to log in."""
    if screen_token_from(None, request.headers.get("authorization")) is not None:
        raise errors.ScreenReadOnly()


def origin_allowed(origin: str, scheme: str, host: str | None, allowed: list[str]) -> bool:
    own = f"{scheme}://{host}" if host else None
    return origin == own or origin in allowed


async def parse_body(request: Request, model: type[ModelT]) -> ModelT:
    content_type = request.headers.get("content-type", "application/json")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise errors.UnsupportedMediaType()
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise errors.BodyTooLarge(details={"max_bytes": MAX_BODY_BYTES})
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise errors.BodyTooLarge(details={"max_bytes": MAX_BODY_BYTES})
    if not raw.strip():
        raise errors.MalformedJson("The request body is empty: send a JSON object.")
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise errors.MalformedJson(details={"reason": str(exc)}) from None
    if (nul := _nul_details(parsed)) is not None:
        raise errors.InvalidBody("Text cannot contain the NUL character (\\u0000).", details=nul)
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise invalid_body(exc) from None


def _nul_details(value: Any) -> list[dict[str, Any]] | None:
    """The error details saying where a parsed value holds NUL, or None where it holds none."""
    nul_at = _find_nul(value, [])
    return None if nul_at is None else [{"type": "nul_character", "loc": nul_at, "msg": "NUL character"}]


def _validation_details(exc: ValidationError) -> list[ErrorDetails]:
    """Pydantic's account of what is wrong, without the input (it may be large, or secret)."""
    return exc.errors(include_url=False, include_input=False, include_context=False)


def _find_nul(value: Any, loc: list[str | int]) -> list[str | int] | None:
    """Where a string holding NUL is in a parsed JSON value; PostgreSQL text cannot store NUL."""
    if isinstance(value, str):
        return loc if "\x00" in value else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return [*loc, key]
        if (found := _find_nul(item, [*loc, key])) is not None:
            return found
    return None


def invalid_body(exc: ValidationError) -> errors.AppError:
    details = _validation_details(exc)
    if details and all(d["type"] == "string_too_long" for d in details):
        return errors.TextTooLong(details=details)
    return errors.InvalidBody(details=details)


def parse_query(request: Request, model: type[ModelT]) -> ModelT:
    """The query parameters as `model` (the router parses a route's declared query, for its `Call`)."""
    params = dict(request.query_params)
    if (nul := _nul_details(params)) is not None:
        raise errors.InvalidQuery("A query parameter cannot contain the NUL character.", details=nul)
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        raise errors.InvalidQuery(details=_validation_details(exc)) from None
