"""The seven roles every authorisation matrix covers, who holds them in a space,
and how an endpoint for the space's moderators refuses the others.

Both matrices (comment moderation, stewarding) cast their spaces with
`cast_roles` and build their expected answers with `expect`.
"""

from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Literal, get_args

from tests.helpers import Api, User
from tests.space_helpers import as_admin, ok, screen_token

Role = Literal["anonymous", "participant", "muted", "moderator", "other_moderator", "admin", "screen"]
ROLES: tuple[Role, ...] = get_args(Role)
# (status, error code); the code is None for a success.
Answer = tuple[int, str | None]
Expected = dict[Role, Answer]


@dataclass(frozen=True)
class People:
    """The accounts behind the personal roles; `other_moderator` already moderates another space."""

    participant: User
    muted: User
    moderator: User
    other_moderator: User


async def cast_roles(api: Api, slug: str, people: People) -> dict[Role, dict[str, str]]:
    """Make `moderator` the space's moderator, mute `muted` there for an hour, and give the
    space a screen token; return the headers each role sends."""
    admin = await api.admin()
    await ok(
        await as_admin(api, "POST", f"/api/v1/spaces/{slug}/moderators", {"user_id": people.moderator.id}),
        201,
    )
    mute = {"user_id": people.muted.id, "kind": "muted", "duration_secs": 3600, "reason": "spam"}
    await ok(await as_admin(api, "POST", f"/api/v1/spaces/{slug}/restrictions", mute), 201)
    screen = await screen_token(api, slug)
    return {
        "anonymous": {},
        "participant": people.participant.headers,
        "muted": people.muted.headers,
        "moderator": people.moderator.headers,
        "other_moderator": people.other_moderator.headers,
        "admin": admin.headers,
        "screen": {"Authorization": f"Screen {screen['token']}"},
    }


def refusal(role: Role) -> Answer:
    """How an endpoint for the space's moderators refuses a role that may not call it."""
    if role == "anonymous":
        return 401, "not_authenticated"
    if role == "screen":
        return 403, "screen_read_only"
    return 403, "not_moderator"


def expect(allowed: Set[Role], success: int = 200, refusals: Mapping[Role, Answer] | None = None) -> Expected:
    """`success` for the allowed roles; every other one refused as `refusals` says, else by `refusal`."""
    return {
        role: (success, None) if role in allowed else (refusals or {}).get(role, refusal(role))
        for role in ROLES
    }


STEWARDS: frozenset[Role] = frozenset({"moderator", "admin"})
# Signed-in people who may post in the space: everyone but the muted one.
POSTERS: frozenset[Role] = frozenset({"participant", "moderator", "other_moderator", "admin"})
EVERYONE: frozenset[Role] = frozenset(ROLES)
