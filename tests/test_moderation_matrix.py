"""Who may do each moderation action: every action by every role, through the running server.

Each case starts from its own fresh target (a pending comment to approve, a
claim of the caller's own to release, …), so an allowed role succeeds and a
refused one is refused for its role, not for the state it found.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.helpers import Api
from tests.moderation import ROLES, SLUG, Role, Scene, make_scene

Request = tuple[str, str, dict[str, Any] | None]
Expected = dict[Role, tuple[int, str | None]]


def moderators_only(success: int = 200) -> Expected:
    return {
        "anonymous": (401, "not_authenticated"),
        "participant": (403, "not_moderator"),
        "other_moderator": (403, "not_moderator"),
        "moderator": (success, None),
        "admin": (success, None),
    }


LOGGED_IN: Expected = {
    "anonymous": (401, "not_authenticated"),
    "participant": (201, None),
    "other_moderator": (201, None),
    "moderator": (201, None),
    "admin": (201, None),
}
ANYONE: Expected = dict.fromkeys(ROLES, (200, None))
# PATCH of a space existed before moderation; its refusals keep their code.
SPACE_STEWARDS: Expected = {
    "anonymous": (401, "not_authenticated"),
    "participant": (403, "forbidden"),
    "other_moderator": (403, "forbidden"),
    "moderator": (200, None),
    "admin": (200, None),
}


@dataclass(frozen=True)
class Action:
    name: str
    prepare: Callable[[Scene, Role], Awaitable[Request]]
    expected: Expected


def decision(state: str, action: str, **fields: Any) -> Callable[[Scene, Role], Awaitable[Request]]:
    async def prepare(scene: Scene, role: Role) -> Request:
        if state == "pending":
            comment = await scene.pending()
        elif state == "hidden":
            comment = await scene.hidden()
        else:
            comment = await scene.published()
            if state in ("pinned", "answer"):
                await scene.decided(comment["id"], "pin" if state == "pinned" else "mark_answer")
            if state == "flagged":
                assert (await scene.flag(comment["id"], scene.participant)).status_code == 201
        return "POST", f"/comments/{comment['id']}/decisions", {"action": action} | fields

    return prepare


async def edit(scene: Scene, role: Role) -> Request:
    comment = await scene.published()
    return "PATCH", f"/comments/{comment['id']}/moderation", {"body": "Tidied up.", "reason": "clarity"}


async def claim(scene: Scene, role: Role) -> Request:
    comment = await scene.published()
    return "POST", f"/comments/{comment['id']}/claim", None


async def release(scene: Scene, role: Role) -> Request:
    comment = await scene.published()
    # The caller's own claim when they may hold one; otherwise the moderator's.
    holder: Role = role if role in ("moderator", "admin") else "moderator"
    await scene.ok(holder, "POST", f"/comments/{comment['id']}/claim")
    return "DELETE", f"/comments/{comment['id']}/claim", None


async def flag(scene: Scene, role: Role) -> Request:
    comment = await scene.published()
    return "POST", f"/comments/{comment['id']}/flags", {"reason": "spam"}


async def queue(scene: Scene, role: Role) -> Request:
    await scene.pending()
    return "GET", f"/spaces/{SLUG}/queue?kind=pending", None


async def held_list(scene: Scene, role: Role) -> Request:
    return "GET", f"/spaces/{SLUG}/held-participants", None


async def hold(scene: Scene, role: Role) -> Request:
    return "PUT", f"/spaces/{SLUG}/held-participants/{scene.author.id}", {"reason": "spam", "note": "Ads."}


async def unhold(scene: Scene, role: Role) -> Request:
    await scene.ok("moderator", "PUT", f"/spaces/{SLUG}/held-participants/{scene.author.id}", {})
    return "DELETE", f"/spaces/{SLUG}/held-participants/{scene.author.id}", None


async def spotlight_get(scene: Scene, role: Role) -> Request:
    return "GET", f"/spaces/{SLUG}/spotlight", None


async def spotlight_set(scene: Scene, role: Role) -> Request:
    comment = await scene.published()
    return "PUT", f"/spaces/{SLUG}/spotlight", {"comment_id": comment["id"]}


async def spotlight_clear(scene: Scene, role: Role) -> Request:
    comment = await scene.published()
    await scene.ok("moderator", "PUT", f"/spaces/{SLUG}/spotlight", {"comment_id": comment["id"]})
    return "DELETE", f"/spaces/{SLUG}/spotlight", None


async def _queued(scene: Scene) -> list[int]:
    comment = await scene.published()
    state = await scene.ok(
        "moderator", "POST", f"/spaces/{SLUG}/spotlight/next", {"comment_id": comment["id"]}
    )
    return [item["id"] for item in state["next"]]


async def spotlight_enqueue(scene: Scene, role: Role) -> Request:
    comment = await scene.published()
    return "POST", f"/spaces/{SLUG}/spotlight/next", {"comment_id": comment["id"]}


async def spotlight_reorder(scene: Scene, role: Role) -> Request:
    state = await scene.ok(None, "GET", f"/spaces/{SLUG}/spotlight")
    queued = [item["id"] for item in state["next"]]
    while len(queued) < 2:
        queued = await _queued(scene)
    return "PUT", f"/spaces/{SLUG}/spotlight/next", {"item_ids": queued[::-1]}


async def spotlight_remove(scene: Scene, role: Role) -> Request:
    queued = await _queued(scene)
    return "DELETE", f"/spaces/{SLUG}/spotlight/next/{queued[-1]}", None


async def spotlight_advance(scene: Scene, role: Role) -> Request:
    await _queued(scene)
    return "POST", f"/spaces/{SLUG}/spotlight/advance", None


async def moderation_mode(scene: Scene, role: Role) -> Request:
    return "PATCH", f"/spaces/{SLUG}", {"moderation": "pre"}


ACTIONS = [
    Action("approve", decision("pending", "approve"), moderators_only()),
    Action("reject", decision("pending", "reject", reason="spam"), moderators_only()),
    Action("hide", decision("published", "hide", reason="offensive", note="Insult."), moderators_only()),
    Action("restore", decision("hidden", "restore"), moderators_only()),
    Action("pin", decision("published", "pin"), moderators_only()),
    Action("unpin", decision("pinned", "unpin"), moderators_only()),
    Action("mark_answer", decision("published", "mark_answer"), moderators_only()),
    Action("unmark_answer", decision("answer", "unmark_answer"), moderators_only()),
    Action("dismiss_flags", decision("flagged", "dismiss_flags"), moderators_only()),
    Action("edit_as_moderator", edit, moderators_only()),
    Action("claim", claim, moderators_only()),
    Action("release_claim", release, moderators_only()),
    Action("flag", flag, LOGGED_IN),
    Action("queue", queue, moderators_only()),
    Action("list_held", held_list, moderators_only()),
    Action("hold_participant", hold, moderators_only()),
    Action("lift_hold", unhold, moderators_only()),
    Action("spotlight_get", spotlight_get, ANYONE),
    Action("spotlight_set", spotlight_set, moderators_only()),
    Action("spotlight_clear", spotlight_clear, moderators_only()),
    Action("spotlight_enqueue", spotlight_enqueue, moderators_only(201)),
    Action("spotlight_reorder", spotlight_reorder, moderators_only()),
    Action("spotlight_remove", spotlight_remove, moderators_only()),
    Action("spotlight_advance", spotlight_advance, moderators_only()),
    Action("moderation_mode", moderation_mode, SPACE_STEWARDS),
]


def test_the_matrix_covers_every_role_for_every_action() -> None:
    assert all(set(action.expected) == set(ROLES) for action in ACTIONS)
    assert len(ACTIONS) * len(ROLES) == 125


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
async def test_each_role_gets_exactly_the_expected_answer(api: Api, action: Action) -> None:
    scene = await make_scene(api)
    for role in ROLES:
        method, path, body = await action.prepare(scene, role)
        response = await scene.request(role, method, path, body)
        status, code = action.expected[role]
        assert response.status_code == status, (action.name, role, response.text)
        if code is not None:
            error = response.json()["error"]
            assert (error["code"], set(error)) == (code, {"code", "message", "details"}), (role, error)
