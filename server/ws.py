"""The WebSocket endpoint `/ws`: one reader and one writer task per connection.

The reader parses each inbound frame once into a typed message and answers
bad input with an `error` message (the connection stays open). The writer
sends the connection's outbox in order; when either task ends, the other is
cancelled and the connection leaves the hub. Close codes are in
server/frames.py and docs/protocol.md.
"""

import asyncio
import contextlib
import logging
from typing import Any

import orjson
from pydantic import ValidationError
from starlette.types import Message
from starlette.websockets import WebSocket, WebSocketDisconnect

from server import errors, frames
from server.api.routing import origin_allowed
from server.auth import SESSION_COOKIE, Viewer, viewer_for_token
from server.hub import Hub, Resync, Subscription
from server.live import LiveConnection, space_for
from server.outbound import Frame, Outbox
from server.screens import screen_token_from, screen_viewer
from server.services import Services

log = logging.getLogger(__name__)

# Client messages are a few dozen bytes; anything near this is not ours.
MAX_MESSAGE_CHARS = 4096
# Enough for a moderator's console (a few spaces), small enough to bound work.
MAX_SUBSCRIPTIONS = 20


def error_frame(
    code: str, message: str | None = None, *, space: str | None = None, details: Any = None
) -> Frame:
    body: dict[str, Any] = {"type": "error", "code": code, "message": message or frames.ERROR_CODES[code]}
    if space is not None:
        body["space"] = space
    if details is not None:
        body["details"] = details
    return Frame(body)


async def websocket_endpoint(websocket: WebSocket) -> None:
    services: Services = websocket.app.state.services
    hub = services.hub
    assert hub is not None
    await websocket.accept()
    refusal = await _refusal(websocket, services)
    if isinstance(refusal, tuple):
        code, close_code = refusal
        await websocket.send_text(error_frame(code).text)
        await websocket.close(close_code, frames.CLOSE_CODES[close_code])
        return
    connection = LiveConnection(refusal, Outbox(services.settings.live_outbox_limit_bytes))
    hub.register(connection)
    reader = asyncio.create_task(_read(websocket, services, hub, connection))
    writer = asyncio.create_task(_write(websocket, hub, connection, services.settings.slow_client_grace_secs))
    try:
        await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (reader, writer):
            task.cancel()
        await asyncio.gather(reader, writer, return_exceptions=True)
        hub.unregister(connection)


async def _refusal(websocket: WebSocket, services: Services) -> Viewer | tuple[str, int]:
    """The viewer, or (error code, close code) when the handshake is refused."""
    origin = websocket.headers.get("origin")
    if origin is not None and not origin_allowed(
        origin,
        "https" if websocket.url.scheme == "wss" else "http",
        websocket.headers.get("host"),
        services.settings.allowed_origins,
    ):
        return "origin_not_allowed", frames.CLOSE_ORIGIN_NOT_ALLOWED
    authorization = websocket.headers.get("authorization")
    screen_token = screen_token_from(websocket.query_params.get("screen_token"), authorization)
    if screen_token is not None:
        screen = await screen_viewer(services.pool, screen_token)
        return screen if screen is not None else ("unauthorized", frames.CLOSE_UNAUTHORIZED)
    if authorization:
        scheme, _, token = authorization.partition(" ")
        viewer = await viewer_for_token(services.pool, token.strip())
        if scheme.lower() != "bearer" or viewer.user is None:
            return "unauthorized", frames.CLOSE_UNAUTHORIZED
        return viewer
    # A stale cookie is no reason to refuse: the reader is simply anonymous.
    return await viewer_for_token(services.pool, websocket.cookies.get(SESSION_COOKIE))


async def _write(websocket: WebSocket, hub: Hub, connection: LiveConnection, stall_secs: float) -> None:
    """Send the outbox in order. A send that cannot complete within `stall_secs`
    (the client stopped reading and the socket buffers are full) ends the
    connection with 4008, so a stalled client never holds a writer forever."""
    outbox = connection.outbox
    while True:
        frame = await outbox.next_frame()
        if frame is None:
            code = outbox.close_code or frames.CLOSE_GOING_AWAY
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(stall_secs):
                    await websocket.close(code, outbox.close_reason)
            return
        try:
            async with asyncio.timeout(stall_secs):
                await websocket.send_text(frame.text)
        except TimeoutError:
            outbox.close(frames.CLOSE_TOO_SLOW, "too slow: resume with since", drop_queued=True)
            return
        if outbox.lagging and outbox.is_empty():
            hub.resume_lagging(connection)


async def _read(websocket: WebSocket, services: Services, hub: Hub, connection: LiveConnection) -> None:
    subscriptions: dict[str, Subscription] = {}
    while True:
        try:
            message = await websocket.receive()
        except WebSocketDisconnect:
            return
        if message["type"] == "websocket.disconnect":
            return
        parsed = _parse(message, connection.outbox)
        if parsed is not None:
            await _handle(services, hub, connection, subscriptions, parsed)


def _parse(message: Message, outbox: Outbox) -> frames.Inbound | None:
    """The message as a typed model, or None after queueing the error that explains why not."""
    text = message.get("text")
    if text is None:
        outbox.push(error_frame("binary_not_supported"))
        return None
    if len(text) > MAX_MESSAGE_CHARS:
        outbox.push(error_frame("message_too_large", details={"max_chars": MAX_MESSAGE_CHARS}))
        return None
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        outbox.push(error_frame("invalid_json"))
        return None
    try:
        return frames.inbound_adapter.validate_python(data)
    except ValidationError as exc:
        details = exc.errors(include_url=False, include_input=False, include_context=False)
        outbox.push(error_frame("invalid_message", details=details))
        return None


async def _handle(
    services: Services,
    hub: Hub,
    connection: LiveConnection,
    subscriptions: dict[str, Subscription],
    message: frames.Inbound,
) -> None:
    outbox = connection.outbox
    if isinstance(message, frames.Ping):
        outbox.push(Frame({"type": "pong"}))
    elif isinstance(message, frames.Subscribe):
        await _subscribe(services, hub, connection, subscriptions, message)
    elif isinstance(message, frames.Unsubscribe):
        sub = subscriptions.pop(message.space, None)
        if sub is None:
            outbox.push(error_frame("not_subscribed", space=message.space))
        else:
            hub.unsubscribe(sub)
            outbox.push(Frame({"type": "unsubscribed", "space": message.space}))
    elif isinstance(message, frames.Typing):
        sub = subscriptions.get(message.space)
        if sub is None:
            outbox.push(error_frame("not_subscribed", space=message.space))
        elif connection.viewer.user is None:
            outbox.push(error_frame("not_authenticated", space=message.space))
        else:
            hub.note_writing(sub, message.question_id)


async def _subscribe(
    services: Services,
    hub: Hub,
    connection: LiveConnection,
    subscriptions: dict[str, Subscription],
    message: frames.Subscribe,
) -> None:
    outbox = connection.outbox
    if message.space in subscriptions:
        outbox.push(error_frame("already_subscribed", space=message.space))
        return
    if len(subscriptions) >= MAX_SUBSCRIPTIONS:
        outbox.push(error_frame("too_many_subscriptions", details={"max": MAX_SUBSCRIPTIONS}))
        return
    try:
        space, audience = await space_for(services, connection.viewer, message.space)
    except errors.SpaceNotFound:
        outbox.push(error_frame("space_not_found", space=message.space))
        return
    try:
        subscriptions[message.space] = await hub.subscribe(
            connection, space, audience, message.since, message.epoch, connection.viewer.user_id
        )
    except Resync as resync:
        outbox.push(Frame({"type": "resync", "space": space.slug, "reason": resync.reason}))
