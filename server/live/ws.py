"""The WebSocket endpoint `/ws`: one reader and one writer task per connection.

A connection is admitted before its handshake is accepted (server/live/admission.py).
The reader parses each inbound frame once into a typed message and answers
bad input with an `error` message (the connection stays open); a client
sending past its rate limits gets `rate_limited`, and one that keeps on is
closed with 4029 (server/live/ratelimit.py). The writer
sends the connection's outbox in order; when either task ends, the other is
cancelled and the connection leaves the hub. Close codes are in
server/live/messages.py and docs/protocol.md.
"""

import asyncio
import contextlib
import functools
import logging

import orjson
from pydantic import ValidationError
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from server import errors
from server.access.identity import SESSION_COOKIE, Viewer, screen_token_from, screen_viewer, viewer_for_token
from server.api.routing import json_response, origin_allowed
from server.live import messages
from server.live.catchup import Resync
from server.live.channels import Subscription
from server.live.connections import LiveConnection, space_for
from server.live.direct import RAW_SEND, DirectSocket, direct_socket
from server.live.hub import Hub
from server.live.outbound import Frame, Outbox
from server.live.ratelimit import ClientLimits
from server.running.services import Services

log = logging.getLogger(__name__)

LIVE_PATH = "/ws"
# Client messages are a few dozen bytes; anything near this is not ours.
MAX_MESSAGE_CHARS = 4096
# Enough for a moderator's console (a few spaces), small enough to bound work.
MAX_SUBSCRIPTIONS = 20


async def serve_live_socket(scope: Scope, receive: Receive, send: Send) -> None:
    """The ASGI entry of `/ws`, called before any middleware (see server/app.py).

    A live connection lasts for hours, and every ASGI layer it passes through
    keeps a coroutine frame (and, in Starlette's exception layers, closures)
    alive all that time: at thousands of connections, kilobytes each. The
    live endpoint answers its own errors and needs none of those layers. It
    does need the server's own `send`, kept here for direct writes.
    """
    scope[RAW_SEND] = send
    await websocket_endpoint(WebSocket(scope, receive, send))


async def websocket_endpoint(websocket: WebSocket) -> None:
    services: Services = websocket.app.state.services
    hub = services.hub
    assert hub is not None
    address = websocket.client.host if websocket.client else None
    try:
        hub.admission.admit(address)
    except errors.AppError as refused:
        await _deny(websocket, refused)
        return
    try:
        await _serve(websocket, services, hub)
    finally:
        hub.admission.release(address)


async def _deny(websocket: WebSocket, refused: errors.AppError) -> None:
    """Refuse the handshake with an HTTP answer in the API's error shape (429 or 503)."""
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(json_response(refused.body(), refused.status))
    else:
        await websocket.close()  # a server without denial responses answers 403


async def _serve(websocket: WebSocket, services: Services, hub: Hub) -> None:
    await websocket.accept()
    refusal = await _refusal(websocket, services)
    if isinstance(refusal, tuple):
        code, close_code = refusal
        await websocket.send_text(messages.error_frame(code).text)
        await websocket.close(close_code, messages.CLOSE_CODES[close_code])
        return
    socket = direct_socket(websocket.scope)
    outbox = Outbox(services.settings.live_outbox_limit_bytes, socket)
    connection = LiveConnection(refusal, outbox)
    writer = Writer(websocket, outbox, socket, services.settings.slow_client_grace_secs)
    outbox.on_pending = writer.wake
    outbox.on_drained = functools.partial(hub.resume_lagging, connection)
    hub.register(connection)
    if socket is None:
        writer.wake()  # without a direct socket, every frame goes through the writer
    reader = Reader(websocket, services, hub, connection)
    try:
        # This task reads; the writer exists only while there is a queue to send.
        while await reader.read_one():
            pass
    finally:
        await writer.cancel()
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
        return "origin_not_allowed", messages.CLOSE_ORIGIN_NOT_ALLOWED
    authorization = websocket.headers.get("authorization")
    screen_token = screen_token_from(websocket.query_params.get("screen_token"), authorization)
    if screen_token is not None:
        screen = await screen_viewer(services.pool, screen_token)
        return screen if screen is not None else ("unauthorized", messages.CLOSE_UNAUTHORIZED)
    if authorization:
        scheme, _, token = authorization.partition(" ")
        viewer = await viewer_for_token(services.pool, token.strip())
        if scheme.lower() != "bearer" or viewer.user is None:
            return "unauthorized", messages.CLOSE_UNAUTHORIZED
        return viewer
    # A stale cookie is no reason to refuse: the reader is simply anonymous.
    return await viewer_for_token(services.pool, websocket.cookies.get(SESSION_COOKIE))


class Writer:
    """Sends what a connection's outbox could not write at once, then closes it when asked.

    With a direct socket most frames never queue, so the writer is a task only
    while frames wait for the socket to drain, or while the connection
    closes: an idle connection holds no task of its own besides the reader.
    """

    __slots__ = ("_grace_secs", "_outbox", "_socket", "_task", "_websocket")

    def __init__(
        self, websocket: WebSocket, outbox: Outbox, socket: DirectSocket | None, grace_secs: float
    ) -> None:
        self._websocket = websocket
        self._outbox = outbox
        self._socket = socket
        self._grace_secs = grace_secs
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

    async def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        outbox, socket = self._outbox, self._socket
        if socket is not None:
            await outbox.flush()
        else:
            while (frame := await outbox.next_frame()) is not None:
                try:
                    async with asyncio.timeout(self._grace_secs):
                        await self._websocket.send_text(frame.text)
                except TimeoutError:
                    messages.close_too_slow(outbox)
                    break
        if outbox.closed:
            await self._close()

    async def _close(self) -> None:
        outbox, socket = self._outbox, self._socket
        code = outbox.close_code or messages.CLOSE_GOING_AWAY
        if socket is not None and not socket.can_write():
            # The client stopped reading (the hub's sweep found it stuck).
            socket.close_behind_backlog(code, outbox.close_reason, self._grace_secs)
            return
        with contextlib.suppress(TimeoutError, RuntimeError):
            async with asyncio.timeout(self._grace_secs):
                await self._websocket.close(code, outbox.close_reason)


def _parse(message: Message, outbox: Outbox) -> messages.Inbound | None:
    """The message as a typed model, or None after queueing the error that explains why not."""
    text = message.get("text")
    if text is None:
        outbox.push(messages.error_frame("binary_not_supported"))
        return None
    if len(text) > MAX_MESSAGE_CHARS:
        outbox.push(messages.error_frame("message_too_large", details={"max_chars": MAX_MESSAGE_CHARS}))
        return None
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        outbox.push(messages.error_frame("invalid_json"))
        return None
    try:
        return messages.inbound_adapter.validate_python(data)
    except ValidationError as exc:
        details = exc.errors(include_url=False, include_input=False, include_context=False)
        outbox.push(messages.error_frame("invalid_message", details=details))
        return None


class Reader:
    """Reads a connection's client messages and answers each; holds the spaces it follows."""

    __slots__ = ("_connection", "_hub", "_limits", "_services", "_subscriptions", "_websocket")

    def __init__(
        self, websocket: WebSocket, services: Services, hub: Hub, connection: LiveConnection
    ) -> None:
        self._websocket = websocket
        self._services = services
        self._hub = hub
        self._connection = connection
        self._subscriptions: dict[str, Subscription] = {}
        self._limits = ClientLimits(services.settings)

    async def read_one(self) -> bool:
        """Read and handle one client message; False when the client has gone.

        A method of its own so that nothing of a message outlives its handling
        while the connection waits, often for hours, for the next one.
        """
        try:
            message = await self._websocket.receive()
        except WebSocketDisconnect:
            return False
        if message["type"] == "websocket.disconnect":
            return False
        outbox = self._connection.outbox
        if outbox.closed:
            return True  # closing: what the client still sends is read, and ignored
        if self._within_limits(self._limits.frame_wait()):
            parsed = _parse(message, outbox)
            if parsed is not None and self._within_limits(self._limits.message_wait(parsed)):
                await self._handle(parsed)
        return True

    def _within_limits(self, wait_secs: float) -> bool:
        """True when the message may be handled; else it is refused with `rate_limited`,
        and a client that keeps on past its limits is closed with 4029."""
        if wait_secs <= 0.0:
            return True
        outbox = self._connection.outbox
        if self._limits.refused():
            code = messages.CLOSE_RATE_LIMITED
            outbox.close(code, messages.CLOSE_CODES[code])
        else:
            retry_after_ms = max(1, round(wait_secs * 1000))
            outbox.push(messages.error_frame("rate_limited", details={"retry_after_ms": retry_after_ms}))
        return False

    async def _handle(self, message: messages.Inbound) -> None:
        outbox, subscriptions = self._connection.outbox, self._subscriptions
        # Subscriptions the hub has ended (their role changed) are gone.
        for slug in [slug for slug, sub in subscriptions.items() if not sub.active]:
            del subscriptions[slug]
        if isinstance(message, messages.Ping):
            outbox.push(Frame({"type": "pong"}))
        elif isinstance(message, messages.Subscribe):
            await self._subscribe(message)
        elif isinstance(message, messages.Unsubscribe):
            sub = subscriptions.pop(message.space, None)
            if sub is None:
                outbox.push(messages.error_frame("not_subscribed", space=message.space))
            else:
                self._hub.unsubscribe(sub)
                outbox.push(Frame({"type": "unsubscribed", "space": message.space}))
        elif isinstance(message, messages.Typing):
            sub = subscriptions.get(message.space)
            if sub is None:
                outbox.push(messages.error_frame("not_subscribed", space=message.space))
            elif self._connection.viewer.user is None:
                outbox.push(messages.error_frame("not_authenticated", space=message.space))
            elif not await self._hub.note_writing(sub, message.question_id):
                outbox.push(messages.error_frame("question_not_found", space=message.space))

    async def _subscribe(self, message: messages.Subscribe) -> None:
        connection, subscriptions = self._connection, self._subscriptions
        outbox = connection.outbox
        if message.space in subscriptions:
            outbox.push(messages.error_frame("already_subscribed", space=message.space))
            return
        if len(subscriptions) >= MAX_SUBSCRIPTIONS:
            outbox.push(messages.error_frame("too_many_subscriptions", details={"max": MAX_SUBSCRIPTIONS}))
            return
        try:
            space, audience = await space_for(self._services, connection.viewer, message.space)
        except errors.SpaceNotFound:
            outbox.push(messages.error_frame("space_not_found", space=message.space))
            return
        try:
            subscriptions[message.space] = await self._hub.subscribe(
                connection, space, audience, message.since, message.epoch, connection.viewer.user_id
            )
        except Resync as resync:
            outbox.push(messages.resync_frame(space.slug, resync.reason))
