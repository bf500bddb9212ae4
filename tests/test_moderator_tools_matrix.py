"""Who may do what: every stewarding action by every role, through one running server.

Each case builds its own space (with its moderator, a muted participant, a
question and a screen token), so the cases are independent of their order;
the server and the role-holders are shared by the module to keep the matrix fast.
"""

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from server.running.settings import Settings
from tests.helpers import TEMPLATE_DB, Api, User, assert_error, fresh_database, start_server
from tests.roles import EVERYONE, POSTERS, ROLES, STEWARDS, Answer, People, Role, cast_roles, expect
from tests.space_helpers import ok

_slugs = itertools.count(1)


@dataclass
class World:
    api: Api
    people: People


@dataclass
class Scene:
    """One case's own space, and who holds each role in it."""

    world: World
    slug: str
    question_id: int
    headers: dict[Role, dict[str, str]]

    @property
    def api(self) -> Api:
        return self.world.api


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(postgres_server_url: str, template_url: str) -> AsyncIterator[World]:
    async with (
        fresh_database(postgres_server_url, TEMPLATE_DB) as url,
        # The admin poses a question in every case's space: more than the default limit allows.
        start_server(
            Settings(
                database_url=url,
                redis_url=None,
                rate_question_per_account="10000/600",
                rate_question_per_address="10000/600",
            )
        ) as server,
        httpx.AsyncClient(base_url=server.url, timeout=10) as http,
    ):
        api = Api(http, server)
        await api.space("elsewhere")
        people = People(
            participant=await api.register("Pat Participant"),
            muted=await api.register("Mo Muted"),
            moderator=await api.register("Mira Moderator"),
            other_moderator=await api.moderator("elsewhere", "Otto Elsewhere"),
        )
        yield World(api, people)


async def scene(world: World) -> Scene:
    slug = f"space-{next(_slugs)}"
    await world.api.space(slug)
    question = await world.api.question(slug)
    return Scene(world, slug, question["id"], await cast_roles(world.api, slug, world.people))


Request = tuple[str, str, dict[str, Any] | None]


@dataclass(frozen=True)
class Action:
    name: str
    prepare: Callable[[Scene], Awaitable[Request]]
    allowed: frozenset[Role]
    success: int = 200
    # Refusals that differ from a stewarding action's (401 / not_moderator / screen_read_only).
    refusals: dict[Role, Answer] = field(default_factory=dict)

    def expected(self, role: Role) -> Answer:
        return expect(self.allowed, self.success, self.refusals)[role]


ADMIN_ONLY_REFUSALS: dict[Role, Answer] = {
    "participant": (403, "forbidden"),
    "muted": (403, "forbidden"),
    "moderator": (403, "forbidden"),
    "other_moderator": (403, "forbidden"),
}
QUESTION_EDIT_REFUSALS: dict[Role, Answer] = {
    "participant": (403, "forbidden"),
    "muted": (403, "forbidden"),
    "other_moderator": (403, "forbidden"),
}


def future(minutes: int = 60) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()


async def admin_post(s: Scene, path: str, body: dict[str, Any]) -> dict[str, Any]:
    admin = await s.api.admin()
    return await ok(await s.api.http.post(path, json=body, headers=admin.headers), 201)


async def throwaway(s: Scene) -> User:
    return await s.api.register("Throwaway")


async def _lock(s: Scene) -> Request:
    return "POST", f"/api/v1/spaces/{s.slug}/lock", {"reason": "pause", "note": "Coffee break"}


async def _unlock(s: Scene) -> Request:
    admin = await s.api.admin()
    await ok(
        await s.api.http.post(
            f"/api/v1/spaces/{s.slug}/lock", json={"reason": "pause"}, headers=admin.headers
        )
    )
    return "DELETE", f"/api/v1/spaces/{s.slug}/lock", None


async def _space_slow(s: Scene) -> Request:
    return "PUT", f"/api/v1/spaces/{s.slug}/slow-mode", {"seconds": 30, "reason": "volume"}


async def _question_slow(s: Scene) -> Request:
    return "PUT", f"/api/v1/questions/{s.question_id}/slow-mode", {"seconds": 30, "reason": "volume"}


async def _list_announcements(s: Scene) -> Request:
    return "GET", f"/api/v1/spaces/{s.slug}/announcements", None


async def _announce(s: Scene) -> Request:
    return "POST", f"/api/v1/spaces/{s.slug}/announcements", {"body": "Back at **three**."}


async def _dismiss(s: Scene) -> Request:
    made = await admin_post(s, f"/api/v1/spaces/{s.slug}/announcements", {"body": "Soon gone."})
    return "DELETE", f"/api/v1/spaces/{s.slug}/announcements/{made['id']}", None


async def _list_restrictions(s: Scene) -> Request:
    return "GET", f"/api/v1/spaces/{s.slug}/restrictions", None


async def _restrict(s: Scene) -> Request:
    user = await throwaway(s)
    body = {"user_id": user.id, "kind": "banned", "reason": "spam", "note": "Link farm"}
    return "POST", f"/api/v1/spaces/{s.slug}/restrictions", body


async def _lift(s: Scene) -> Request:
    user = await throwaway(s)
    await admin_post(
        s, f"/api/v1/spaces/{s.slug}/restrictions", {"user_id": user.id, "kind": "muted", "reason": "spam"}
    )
    return "DELETE", f"/api/v1/spaces/{s.slug}/restrictions/{user.id}", None


async def _suspend(s: Scene) -> Request:
    user = await throwaway(s)
    return "POST", f"/api/v1/users/{user.id}/suspension", {"reason": "impersonation"}


async def _unsuspend(s: Scene) -> Request:
    user = await throwaway(s)
    await admin_post(s, f"/api/v1/users/{user.id}/suspension", {"reason": "spam"})
    return "DELETE", f"/api/v1/users/{user.id}/suspension", None


async def _list_invitations(s: Scene) -> Request:
    return "GET", f"/api/v1/spaces/{s.slug}/invitations", None


async def _invite_link(s: Scene) -> Request:
    return "POST", f"/api/v1/spaces/{s.slug}/invitations", {"label": "Member states", "max_uses": 5}


async def _revoke_link(s: Scene) -> Request:
    made = await admin_post(s, f"/api/v1/spaces/{s.slug}/invitations", {"label": "x"})
    return "DELETE", f"/api/v1/spaces/{s.slug}/invitations/{made['id']}", None


async def _accept(s: Scene) -> Request:
    made = await admin_post(s, f"/api/v1/spaces/{s.slug}/invitations", {"label": "x"})
    return "POST", "/api/v1/invitations/accept", {"token": made["token"]}


async def _list_notes(s: Scene) -> Request:
    return "GET", f"/api/v1/spaces/{s.slug}/notes", None


async def _note(s: Scene) -> Request:
    participant = s.world.people.participant
    body = {"target_type": "user", "target_id": participant.id, "body": "Speaks for a coalition."}
    return "POST", f"/api/v1/spaces/{s.slug}/notes", body


async def _delete_note(s: Scene) -> Request:
    body = {"target_type": "user", "target_id": s.world.people.participant.id, "body": "Outdated."}
    made = await admin_post(s, f"/api/v1/spaces/{s.slug}/notes", body)
    return "DELETE", f"/api/v1/spaces/{s.slug}/notes/{made['id']}", None


async def _list_screens(s: Scene) -> Request:
    return "GET", f"/api/v1/spaces/{s.slug}/screens", None


async def _screen(s: Scene) -> Request:
    return "POST", f"/api/v1/spaces/{s.slug}/screens", {"name": "Hall B"}


async def _revoke_screen(s: Scene) -> Request:
    made = await admin_post(s, f"/api/v1/spaces/{s.slug}/screens", {"name": "Spare"})
    return "DELETE", f"/api/v1/spaces/{s.slug}/screens/{made['id']}", None


async def _space_audit(s: Scene) -> Request:
    return "GET", f"/api/v1/spaces/{s.slug}/audit", None


async def _site_audit(s: Scene) -> Request:
    return "GET", "/api/v1/audit", None


async def _schedule(s: Scene) -> Request:
    return "PATCH", f"/api/v1/questions/{s.question_id}", {"opens_at": future(), "closes_at": future(120)}


async def _close_with_remark(s: Scene) -> Request:
    body = {"status": "closed", "closing_remark": "Thank you: see the *summary*."}
    return "PATCH", f"/api/v1/questions/{s.question_id}", body


async def _scheduled_question(s: Scene) -> Request:
    return "POST", f"/api/v1/spaces/{s.slug}/questions", {"title": "Later?", "opens_at": future()}


async def _comment(s: Scene) -> Request:
    return "POST", f"/api/v1/questions/{s.question_id}/comments", {"body": "My view."}


async def _save_note(s: Scene) -> Request:
    return (
        "PUT",
        f"/api/v1/spaces/{s.slug}/note",
        {"markdown": "A sentence.", "lang": "en", "base_version": None},
    )


async def _saved_note(s: Scene) -> None:
    admin = await s.api.admin()
    body = {"markdown": "A sentence.", "lang": "en", "base_version": None}
    await ok(await s.api.http.put(f"/api/v1/spaces/{s.slug}/note", json=body, headers=admin.headers))


async def _publish_note(s: Scene) -> Request:
    await _saved_note(s)
    return "POST", f"/api/v1/spaces/{s.slug}/note/publish", {"version": 1}


async def _note_coverage(s: Scene) -> Request:
    await _saved_note(s)
    return "GET", f"/api/v1/spaces/{s.slug}/note/coverage", None


async def _read_published_note(s: Scene) -> Request:
    await _saved_note(s)
    admin = await s.api.admin()
    path = f"/api/v1/spaces/{s.slug}/note/publish"
    await ok(await s.api.http.post(path, json={"version": 1}, headers=admin.headers))
    return "GET", f"/api/v1/spaces/{s.slug}/note/published", None


ACTIONS = (
    Action("lock space", _lock, STEWARDS),
    Action("unlock space", _unlock, STEWARDS),
    Action("space slow mode", _space_slow, STEWARDS),
    Action("question slow mode", _question_slow, STEWARDS),
    Action("list announcements", _list_announcements, EVERYONE),
    Action("post announcement", _announce, STEWARDS, 201),
    Action("dismiss announcement", _dismiss, STEWARDS),
    Action("list restrictions", _list_restrictions, STEWARDS),
    Action("mute or ban", _restrict, STEWARDS, 201),
    Action("lift mute", _lift, STEWARDS),
    Action("suspend account", _suspend, frozenset({"admin"}), 201, ADMIN_ONLY_REFUSALS),
    Action("unsuspend account", _unsuspend, frozenset({"admin"}), 200, ADMIN_ONLY_REFUSALS),
    Action("list invitation links", _list_invitations, STEWARDS),
    Action("create invitation link", _invite_link, STEWARDS, 201),
    Action("revoke invitation link", _revoke_link, STEWARDS),
    Action(
        "accept invitation link",
        _accept,
        POSTERS,
        refusals={"muted": (403, "muted")},
    ),
    Action("list notes", _list_notes, STEWARDS),
    Action("write note", _note, STEWARDS, 201),
    Action("delete note", _delete_note, STEWARDS),
    Action("list screens", _list_screens, STEWARDS),
    Action("create screen token", _screen, STEWARDS, 201),
    Action("revoke screen token", _revoke_screen, STEWARDS),
    Action("read space audit log", _space_audit, STEWARDS),
    Action("read site audit log", _site_audit, frozenset({"admin"}), 200, ADMIN_ONLY_REFUSALS),
    Action("schedule question", _schedule, STEWARDS, refusals=QUESTION_EDIT_REFUSALS),
    Action("close question with remark", _close_with_remark, STEWARDS, refusals=QUESTION_EDIT_REFUSALS),
    Action(
        "post scheduled question",
        _scheduled_question,
        STEWARDS,
        201,
        QUESTION_EDIT_REFUSALS,
    ),
    Action("save background note", _save_note, STEWARDS),
    Action("publish background note", _publish_note, STEWARDS),
    Action("read note coverage", _note_coverage, STEWARDS),
    Action("read published note", _read_published_note, EVERYONE),
    Action(
        "post comment",
        _comment,
        POSTERS,
        201,
        {"muted": (403, "muted")},
    ),
)
CASES = [pytest.param(action, role, id=f"{action.name}-{role}") for action in ACTIONS for role in ROLES]


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("action", "role"), CASES)
async def test_each_role_may_do_exactly_what_the_matrix_says(
    world: World, action: Action, role: Role
) -> None:
    s = await scene(world)
    method, path, body = await action.prepare(s)
    response = await s.api.http.request(method, path, json=body, headers=s.headers[role])
    status, code = action.expected(role)
    if code is None:
        assert response.status_code == status, (action.name, role, response.text)
    else:
        assert_error(response, status, code)


def test_the_matrix_covers_every_role_for_every_action() -> None:
    assert len(CASES) == len(ACTIONS) * len(ROLES) == 224
