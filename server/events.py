"""Events: what changed in a space, numbered, and what each audience may see of it.

Every action writes its event in its own transaction (`record_event`) and
publishes it after commit. An event has up to three payloads: `public` (None
when the public must not see the event at all), `moderators`, and `personal`
for the one user it concerns (`recipient_id`): the author of a held comment
sees it waiting and learns the decision, which the public never sees.

When a comment is hidden, rejected or deleted, its text is withdrawn from
every earlier event that carried it (`redaction`): in the log, in the same
transaction, and in each process's ring when the event arrives, so no
client that joins or resumes later can receive it.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

import orjson
from pydantic import BaseModel

from server.queries import Executor
from server.queries import events as event_queries
from server.queries.events import EventRow

Audience = Literal["public", "moderators"]
AUDIENCES: tuple[Audience, ...] = ("public", "moderators")

# A comment in one of these states keeps its place in the thread, not its text;
# so does a participant's question in one of these visibilities.
WITHDRAWN_STATUSES = frozenset({"hidden", "rejected", "deleted"})
# What an event may withdraw the text of: its payload key, and the field saying its state.
WITHDRAWABLE = {"comment": "status", "question": "visibility"}
# A moderator's edit replaces the text everywhere the public could read the
# old one: the original stays with the moderators only.
REPLACING_TYPES = frozenset({"comment.moderator_edited"})


@dataclass(frozen=True, slots=True)
class Event:
    space_id: int
    seq: int
    type: str
    at: datetime
    public: dict[str, Any] | None
    moderators: dict[str, Any]
    recipient_id: int | None = None
    personal: dict[str, Any] | None = None

    @classmethod
    def from_row(cls, row: EventRow) -> "Event":
        return cls(**{name: getattr(row, name) for name in EventRow.__dataclass_fields__})

    def data_for(self, audience: Audience, user_id: int | None = None) -> dict[str, Any] | None:
        if audience == "moderators":
            return self.moderators
        if user_id is not None and user_id == self.recipient_id and self.personal is not None:
            return self.personal
        return self.public

    def wire(self, audience: Audience, user_id: int | None = None) -> dict[str, Any] | None:
        """The event as a client of `audience` (signed in as `user_id`) receives it,
        or None if it may not see it."""
        data = self.data_for(audience, user_id)
        if data is None:
            return None
        return {"seq": self.seq, "type": self.type, "at": self.at, "data": data}

    def redaction(self) -> tuple[str, int, dict[str, Any]] | None:
        """(key, id, withdrawn form) when this event withdraws a comment's text (key
        `comment`) or a participant's question's (key `question`)."""
        for key, state in WITHDRAWABLE.items():
            resource = self.moderators.get(key)
            public = (self.public or {}).get(key)
            if not isinstance(resource, dict) or not isinstance(public, dict):
                continue
            if public.get(state) in WITHDRAWN_STATUSES or (key == "comment" and self.type in REPLACING_TYPES):
                return key, int(resource["id"]), public
        return None

    def without_text_of(self, resource_id: int, withdrawn: dict[str, Any], key: str = "comment") -> "Event":
        """This event with the comment's (or question's) text replaced by its withdrawn form.

        Moderators keep the original of a hidden or rejected one for review;
        one its author deleted is gone for everyone.
        """

        def redact(data: dict[str, Any] | None) -> dict[str, Any] | None:
            if data is None:
                return None
            resource = data.get(key)
            if isinstance(resource, dict) and resource.get("id") == resource_id:
                data = data | {key: withdrawn}
            if key == "comment" and isinstance(data.get("spotlight"), dict):
                data = data | {"spotlight": _redact_spotlight(data["spotlight"], resource_id, withdrawn)}
            return data

        erased = withdrawn.get(WITHDRAWABLE[key]) == "deleted"
        return replace(
            self,
            public=redact(self.public),
            personal=redact(self.personal),
            moderators=(redact(self.moderators) or self.moderators) if erased else self.moderators,
        )

    def to_bus(self) -> bytes:
        return orjson.dumps(
            {
                "space_id": self.space_id,
                "seq": self.seq,
                "type": self.type,
                "at": self.at,
                "public": self.public,
                "moderators": self.moderators,
                "recipient_id": self.recipient_id,
                "personal": self.personal,
            }
        )

    @classmethod
    def from_bus(cls, raw: bytes | str) -> "Event":
        value = orjson.loads(raw)
        return cls(
            space_id=int(value["space_id"]),
            seq=int(value["seq"]),
            type=str(value["type"]),
            at=datetime.fromisoformat(value["at"]),
            public=value["public"],
            moderators=value["moderators"],
            recipient_id=value.get("recipient_id"),
            personal=value.get("personal"),
        )


def _redact_spotlight(
    spotlight: dict[str, Any], comment_id: int, withdrawn: dict[str, Any]
) -> dict[str, Any]:
    """A spotlight state (`{now, next}`) with the comment's items in their withdrawn form."""

    def item(value: Any) -> Any:
        comment = value.get("comment") if isinstance(value, dict) else None
        if isinstance(comment, dict) and comment.get("id") == comment_id:
            return value | {"comment": withdrawn}
        return value

    next_items = spotlight.get("next")
    return spotlight | {
        "now": item(spotlight.get("now")),
        "next": [item(v) for v in next_items] if isinstance(next_items, list) else next_items,
    }


def payload(**resources: BaseModel | None) -> dict[str, Any]:
    """An event payload from resources, in their JSON form."""
    return {
        name: (None if resource is None else resource.model_dump(mode="json"))
        for name, resource in resources.items()
    }


async def record_event(
    db: Executor,
    space_id: int,
    type_: str,
    *,
    public: dict[str, Any] | None,
    moderators: dict[str, Any],
    recipient_id: int | None = None,
    personal: dict[str, Any] | None = None,
) -> Event:
    """Take the space's next seq and write the event; call inside the change's transaction.

    An event that withdraws a comment's (or a participant's question's) text
    also withdraws it from its earlier events in the log.
    """
    row = await event_queries.insert_next_event(
        db, space_id, type_, public, moderators, recipient_id, personal
    )
    event = Event.from_row(row)
    redaction = event.redaction()
    if redaction is not None:
        key, resource_id, withdrawn = redaction
        erase = withdrawn.get(WITHDRAWABLE[key]) == "deleted"
        await event_queries.withdraw_comment_text(
            db, space_id, resource_id, withdrawn, erase_for_moderators=erase, key=key
        )
    if redaction is not None and redaction[0] == "comment":
        comment_id, withdrawn = redaction[1], redaction[2]
        # Screens' spotlight states carry the comment too.
        for earlier in await event_queries.list_spotlight_events_of_comment(db, space_id, comment_id):
            redacted = Event.from_row(earlier).without_text_of(comment_id, withdrawn)
            await event_queries.update_event_payloads(
                db, space_id, earlier.seq, redacted.public, redacted.moderators, redacted.personal
            )
    return event
