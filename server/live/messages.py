"""The live protocol's messages (docs/protocol.md documents each one).

Inbound messages are parsed once, at the edge, into these models; outbound
message shapes are declared here too, so the documentation test can check
every type the server sends. The frames more than one module sends are built here.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from server.events import Audience, Event
from server.live import outbound
from server.live.outbound import TOO_SLOW_REASON, Frame, Outbox
from server.schemas.common import MAX_ID, Slug
from server.schemas.insight import Statistics

# Close codes, sent with the WebSocket close frame.
CLOSE_UNAUTHORIZED = 4001  # the bearer token is unknown or expired
CLOSE_ORIGIN_NOT_ALLOWED = 4003  # the page's origin may not open live connections
CLOSE_TOO_SLOW = outbound.CLOSE_TOO_SLOW  # the client fell too far behind; resume with `since`
CLOSE_RATE_LIMITED = 4029  # the client kept sending past its rate limits
CLOSE_GOING_AWAY = 1001  # the server is shutting down; reconnect and resume
# The server is restarting: it sent `reconnect` first (server/live/restart.py), and
# uvicorn closes the sockets still open with this code too; reconnect and resume.
CLOSE_SERVICE_RESTART = 1012
CLOSE_MESSAGE_TOO_BIG = 1009  # a frame exceeded the transport's limit

CLOSE_CODES = {
    CLOSE_UNAUTHORIZED: "unauthorized",
    CLOSE_ORIGIN_NOT_ALLOWED: "origin_not_allowed",
    CLOSE_TOO_SLOW: "too_slow",
    CLOSE_RATE_LIMITED: "rate_limited",
    CLOSE_GOING_AWAY: "going_away",
    CLOSE_SERVICE_RESTART: "service_restart",
    CLOSE_MESSAGE_TOO_BIG: "message_too_big",
}

# Error codes in `{"type": "error"}` messages; the connection stays open.
ERROR_CODES = {
    "invalid_json": "The frame is not valid JSON.",
    "invalid_message": "The message does not match any message type; details has pydantic's errors.",
    "binary_not_supported": "Binary frames are not part of the protocol; send JSON text.",
    "message_too_large": "The message is longer than the protocol allows.",
    "space_not_found": "There is no such space, or it is not visible to this connection.",
    "already_subscribed": "This connection is already subscribed to the space.",
    "not_subscribed": "This connection is not subscribed to the space.",
    "too_many_subscriptions": "A connection may follow a limited number of spaces at once.",
    "not_authenticated": "Log in to do this.",
    "question_not_found": "The space has no open question with this id.",
    "origin_not_allowed": "The page's origin may not open live connections (then closed with 4003).",
    "unauthorized": "The bearer token is unknown or expired (then closed with 4001).",
    "rate_limited": "Too many messages: wait details.retry_after_ms before sending again.",
}


class Inbound(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Subscribe(Inbound):
    type: Literal["subscribe"]
    space: Slug
    since: Annotated[int, Field(ge=0, le=MAX_ID)] | None = None
    epoch: Annotated[str, Field(max_length=64)] | None = None


class Unsubscribe(Inbound):
    type: Literal["unsubscribe"]
    space: Slug


class Ping(Inbound):
    type: Literal["ping"]


class Typing(Inbound):
    """The sender is writing a comment on a question (send at most every few seconds)."""

    type: Literal["typing"]
    space: Slug
    question_id: Annotated[int, Field(ge=1, le=MAX_ID)]


InboundMessage = Annotated[Subscribe | Unsubscribe | Ping | Typing, Field(discriminator="type")]
inbound_adapter: TypeAdapter[Subscribe | Unsubscribe | Ping | Typing] = TypeAdapter(InboundMessage)


class Outbound(BaseModel):
    """Documentation models of what the server sends."""


class LiveEvent(Outbound):
    seq: int
    type: str = Field(description="Dotted, past tense: comment.created, question.closed, …")
    at: datetime
    data: dict[str, Any]


class PresenceCounts(Outbound):
    participants: int
    moderators: int
    screens: int
    writing: dict[str, int] = Field(description="Question id → people writing a comment on it now.")


class SnapshotMessage(Outbound):
    type: Literal["snapshot"]
    space: str
    seq: int = Field(description="The state is consistent with this seq; events after it follow.")
    epoch: str
    role: str
    state: dict[str, Any] = Field(
        description="space, questions {discussion, participant}, comments (the most recent, "
        "oldest first), comments_complete, presence, spotlight {now, next}, announcements, "
        "statistics (moderators and screens; null for others)"
    )


class SubscribedMessage(Outbound):
    type: Literal["subscribed"]
    space: str
    seq: int = Field(description="Events after this seq follow.")
    epoch: str
    role: str


class EventsMessage(Outbound):
    type: Literal["events"]
    space: str
    seq: int = Field(description="Everything this client may see up to this seq has been sent.")
    events: list[LiveEvent]


class ResyncMessage(Outbound):
    type: Literal["resync"]
    space: str
    reason: Literal["too_far_behind", "epoch_changed", "unknown_seq", "role_changed"]


class UnsubscribedMessage(Outbound):
    type: Literal["unsubscribed"]
    space: str


class PresenceMessage(PresenceCounts):
    type: Literal["presence"]
    space: str


class StatisticsMessage(Outbound):
    type: Literal["statistics"]
    space: str
    statistics: Statistics = Field(
        description="As `GET /api/v1/spaces/{slug}/statistics`; `moderation` null for screens."
    )


class HeartbeatMessage(Outbound):
    type: Literal["heartbeat"]
    at: datetime
    spaces: dict[str, int] = Field(description="Slug → seq up to which this client has everything.")


class PongMessage(Outbound):
    type: Literal["pong"]


class ReconnectMessage(Outbound):
    type: Literal["reconnect"]
    retry_after_ms: int = Field(
        description="Wait this long before reconnecting (each connection gets its own delay)."
    )


class ErrorMessage(Outbound):
    type: Literal["error"]
    code: str
    message: str
    space: str | None = None
    details: Any = None


OUTBOUND_MESSAGES: tuple[type[Outbound], ...] = (
    SnapshotMessage,
    SubscribedMessage,
    EventsMessage,
    ResyncMessage,
    UnsubscribedMessage,
    PresenceMessage,
    StatisticsMessage,
    HeartbeatMessage,
    PongMessage,
    ReconnectMessage,
    ErrorMessage,
)


def events_frame(
    slug: str, events: list[Event], audience: Audience, user_id: int | None = None
) -> Frame | None:
    """One `events` frame of what `audience` (signed in as `user_id`) may see;
    None when it may see none of them."""
    visible = [w for w in (e.wire(audience, user_id) for e in events) if w is not None]
    if not visible:
        return None
    seq = events[-1].seq
    return Frame({"type": "events", "space": slug, "seq": seq, "events": visible}, seq=seq)


def resync_frame(slug: str, reason: str) -> Frame:
    return Frame({"type": "resync", "space": slug, "reason": reason})


def error_frame(
    code: str, message: str | None = None, *, space: str | None = None, details: Any = None
) -> Frame:
    body: dict[str, Any] = {"type": "error", "code": code, "message": message or ERROR_CODES[code]}
    if space is not None:
        body["space"] = space
    if details is not None:
        body["details"] = details
    return Frame(body)


def reconnect_frame(retry_after_ms: int) -> Frame:
    """`reconnect`; over SSE its `retry:` field makes EventSource wait as long."""
    return Frame({"type": "reconnect", "retry_after_ms": retry_after_ms}, retry_ms=retry_after_ms)


def close_too_slow(outbox: Outbox) -> None:
    """Close a connection that fell too far behind; its queued frames are dropped, as it
    resumes with `since` anyway."""
    outbox.close(CLOSE_TOO_SLOW, TOO_SLOW_REASON, drop_queued=True)
