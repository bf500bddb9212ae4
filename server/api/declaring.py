"""Declaring an api module's endpoints on their handlers, as Starlette and FastAPI
users expect, each saying only what differs from the module's defaults.

The declarations become `Operation`s of the `Api` (server/api/routing.py), the
single source of the routes and of the OpenAPI document.
"""

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypedDict, TypeVar, Unpack

from pydantic import BaseModel

from server import errors
from server.access.admission import ANYONE, Access
from server.access.rate_limits import RateAction
from server.api.routing import Api, Handler, Operation

HandlerT = TypeVar("HandlerT", bound=Handler)


class RouteOptions(TypedDict, total=False):
    """What a route may declare besides its method and path (see `Operation`)."""

    response: type[BaseModel] | None
    query: type[BaseModel] | None
    status: int
    auth: Access
    raises: tuple[type[errors.AppError], ...]
    rate_limit: RateAction | None
    stream: bool
    download: type[BaseModel] | None


@dataclass
class ApiModule:
    """The endpoints of one api module, each declared on its handler, as Starlette and
    FastAPI users expect:

        api = ApiModule(tag="screens", auth=MODERATOR, raises=STEWARD_ERRORS)

        @api.delete("/spaces/{slug}/screens/{id:int}", raises=(errors.ScreenNotFound,))
        async def revoke_screen(call: Call, _: None) -> ScreenWrite:
            \"\"\"Revoke a screen token\"\"\"

    A route takes the module's tag and access unless it names its own access, and
    raises the module's errors and then its own, so a declaration says only what
    differs. The summary is the handler's docstring's first line, the body model its
    second parameter's type and the response model its return type (name `response`
    where the handler returns a plain `Response`). `register_routes(api)` adds the
    routes to the `Api` in the order they were declared.
    """

    tag: str
    auth: Access = ANYONE
    raises: tuple[type[errors.AppError], ...] = ()
    declared: list[Operation] = field(default_factory=list)

    def route(
        self, method: str, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[HandlerT], HandlerT]:
        def declare(handler: HandlerT) -> HandlerT:
            summary = (handler.__doc__ or "").strip().split("\n")[0]
            if not summary:
                raise TypeError(
                    f"{handler.__name__} needs a docstring: its first line is the route's summary"
                )
            hints = typing.get_type_hints(handler)
            _request, body_parameter = inspect.signature(handler).parameters
            body, returned = hints[body_parameter], hints["return"]
            operation = Operation(
                method,
                path,
                handler,
                summary,
                self.tag,
                body=body if _is_model(body) else None,
                query=options.get("query"),
                response=options.get("response", returned if _is_model(returned) else None),
                status=options.get("status", 200),
                raises=(*self.raises, *options.get("raises", ())),
                auth=options.get("auth", self.auth),
                stream=options.get("stream", False),
                rate_limit=options.get("rate_limit"),
                download=options.get("download"),
            )
            self.declared.append(operation)
            return handler

        return declare

    def get(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[HandlerT], HandlerT]:
        return self.route("GET", path, **options)

    def post(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[HandlerT], HandlerT]:
        return self.route("POST", path, **options)

    def put(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[HandlerT], HandlerT]:
        return self.route("PUT", path, **options)

    def patch(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[HandlerT], HandlerT]:
        return self.route("PATCH", path, **options)

    def delete(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[HandlerT], HandlerT]:
        return self.route("DELETE", path, **options)

    def register_routes(self, api: Api) -> None:
        for operation in self.declared:
            api.add(operation)


def _is_model(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)
