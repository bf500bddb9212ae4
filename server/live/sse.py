"""Server-Sent Events: the live stream of one space over plain HTTP.

For networks that block WebSockets. Each message's `id:` is a seq, so a
browser's EventSource resumes from `Last-Event-ID` by itself. Where a resume
is not possible the stream says `resync` and continues with a fresh snapshot.
"""

import functools
from collections.abc import AsyncIterator
from typing import Annotated

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from server import errors
from server.access.identity import screen_token_from, screen_viewer
from server.api.call import Call
from server.api.declaring import ApiModule
from server.live import messages
from server.live.catchup import Resync
from server.live.connections import LiveConnection, space_for
from server.live.outbound import Outbox
from server.running.services import Services
from server.schemas.common import MAX_ID, Query

# Proxies must neither cache nor buffer a live stream.
STREAM_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


class EventStreamQuery(Query):
    since: Annotated[int, Field(ge=0, le=MAX_ID)] | None = Field(
        default=None, description="Resume after this seq (the Last-Event-ID header wins)."
    )
    epoch: Annotated[str, Field(max_length=64)] | None = None
    screen_token: Annotated[str, Field(max_length=200)] | None = Field(
        default=None, description="A screen token: read the space's public stream as that screen."
    )


api = ApiModule(tag="live")


def _since(request: Request, query: EventStreamQuery) -> int | None:
    header = request.headers.get("last-event-id")
    if header is None or header == "":
        return query.since
    # isdigit() alone admits "²" and other Unicode digits that int() refuses.
    if not (header.isascii() and header.isdigit()) or int(header) > MAX_ID:
        raise errors.InvalidQuery("Last-Event-ID must be a seq this server sent.")
    return int(header)


@api.get(
    "/spaces/{slug}/events",
    query=EventStreamQuery,
    raises=(
        errors.SpaceNotFound,
        errors.InvalidQuery,
        errors.InvalidScreenToken,
        errors.TooManyConnections,
        errors.ServerBusy,
        errors.ShuttingDown,
    ),
    stream=True,
)
async def event_stream(call: Call, _: None) -> Response:
    """The space's live stream as Server-Sent Events (resumes from Last-Event-ID)"""
    query = call.query(EventStreamQuery)
    since = _since(call.request, query)
    svc = call.services
    hub = svc.hub
    assert hub is not None
    who = call.viewer
    screen_token = screen_token_from(query.screen_token, call.request.headers.get("authorization"))
    if screen_token is not None:
        screen = await screen_viewer(svc.pool, screen_token)
        if screen is None:
            raise errors.InvalidScreenToken()
        who = screen
    space, audience = await space_for(svc, who, call.slug)
    if call.request.method == "HEAD":
        # No body will be read: holding a subscription open would also hold
        # the HTTP connection, and the server's shutdown, until the client left.
        return Response(media_type="text/event-stream", headers=STREAM_HEADERS)
    request = call.request
    address = request.client.host if request.client else None
    hub.admission.admit(address)
    connection = LiveConnection(who, Outbox(svc.settings.live_outbox_limit_bytes), transport="sse")
    connection.outbox.on_drained = functools.partial(hub.resume_lagging, connection)
    hub.register(connection)
    try:
        try:
            await hub.subscribe(connection, space, audience, since, query.epoch, who.user_id)
        except Resync as resync:
            connection.outbox.push(messages.resync_frame(space.slug, resync.reason))
            await hub.subscribe(connection, space, audience, None, None, who.user_id)
    except BaseException:
        hub.unregister(connection)
        hub.admission.release(address)
        raise
    return StreamingResponse(
        _stream(svc, connection, space.slug, address),
        media_type="text/event-stream",
        headers=STREAM_HEADERS,
    )


async def _stream(
    svc: Services, connection: LiveConnection, slug: str, address: str | None
) -> AsyncIterator[str]:
    hub = svc.hub
    assert hub is not None
    # Tell EventSource how soon to come back after the stream ends.
    yield "retry: 2000\n\n"
    outbox = connection.outbox
    try:
        while True:
            frame = await outbox.next_frame()
            if frame is None:
                return
            yield frame.sse
            if not any(sub.active for sub in hub.subscriptions_of(connection)):
                # The viewer's role changed (`resync`, `role_changed`): the stream
                # goes on with a fresh snapshot of what the new role may see.
                try:
                    space, audience = await space_for(svc, connection.viewer, slug)
                except errors.SpaceNotFound:
                    return
                await hub.subscribe(connection, space, audience, None, None, connection.viewer.user_id)
    finally:
        hub.unregister(connection)
        hub.admission.release(address)


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
