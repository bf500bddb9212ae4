"""Events: what changed in a space, numbered, and what each audience may see of it.

Every action writes its event in its own transaction (`record_event`) and
publishes it after commit. An event has two payloads: `public` (None when the
public must not see the event at all) and `moderators`.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import orjson
from pydantic import BaseModel

from server.queries import Executor
from server.queries import events as event_queries
from server.queries.events import EventRow

Audience = Literal["public", "moderators"]
AUDIENCES: tuple[Audience, ...] = ("public", "moderators")


@dataclass(frozen=True, slots=True)
class Event:
    space_id: int
    seq: int
    type: str
    at: datetime
    public: dict[str, Any] | None
    moderators: dict[str, Any]

    @classmethod
    def from_row(cls, row: EventRow) -> "Event":
        return cls(row.space_id, row.seq, row.type, row.at, row.public, row.moderators)

    def data_for(self, audience: Audience) -> dict[str, Any] | None:
        return self.moderators if audience == "moderators" else self.public

    def wire(self, audience: Audience) -> dict[str, Any] | None:
        """The event as a client of `audience` receives it, or None if it may not see it."""
        data = self.data_for(audience)
        if data is None:
            return None
        return {"seq": self.seq, "type": self.type, "at": self.at, "data": data}

    def to_bus(self) -> bytes:
        return orjson.dumps(
            {
                "space_id": self.space_id,
                "seq": self.seq,
                "type": self.type,
                "at": self.at,
                "public": self.public,
                "moderators": self.moderators,
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
        )


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
) -> Event:
    """Take the space's next seq and write the event; call inside the change's transaction."""
    seq = await event_queries.take_next_seq(db, space_id)
    row = await event_queries.insert_event(db, space_id, seq, type_, public, moderators)
    return Event.from_row(row)
