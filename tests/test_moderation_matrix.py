"""Who may do each moderation action: every action by every role, through the running server.

Each case starts from its own fresh target (a pending comment to approve, a
claim of the caller's own to release, …), so an allowed role succeeds and a
refused one is refused for its role, not for the state it found. Every cell
also checks what was written: a refusal writes nothing; a moderation action
writes exactly one audit entry, carried by the event it wrote with it.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

import pytest

from tests.helpers import Api, fetch_rows
from tests.moderation import SLUG, Scene, make_scene
from tests.roles import EVERYONE, POSTERS, ROLES, STEWARDS, Expected, Role, expect

Request = tuple[str, str, dict[str, Any] | None]
# What a successful call writes: an audit entry and its event(s), only events
# (a flag is a participant's act, not moderation), or nothing (a read).
Writes = Literal["audited", "event", "nothing"]


def moderators_only(success: int = 200) -> Expected:
    return expect(STEWARDS, success)


FLAGGERS = expect(POSTERS, 201, {"muted": (403, "muted")})
ANYONE = expect(EVERYONE)
# The participant deletes their own question; everyone else signed in is not its author.
AUTHOR_ONLY = expect(
    {"participant"},
    refusals=dict.fromkeys(("muted", "moderator", "other_moderator", "admin"), (403, "not_author")),
)
# PATCH of a space existed before moderation; its refusals keep their code.
SIGNED_IN_NON_STEWARDS: tuple[Role, ...] = ("participant", "muted", "other_moderator")
SPACE_STEWARDS = expect(STEWARDS, refusals=dict.fromkeys(SIGNED_IN_NON_STEWARDS, (403, "forbidden")))


@dataclass(frozen=True)
class Action:
    name: str
    prepare: Callable[[Scene, Role], Awaitable[Request]]
    expected: Expected
    writes: Writes = "audited"


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


def question_decision(state: str, action: str, **fields: Any) -> Callable[[Scene, Role], Awaitable[Request]]:
    """A decision on a participant's own question, through the same rules as a comment's."""

    async def prepare(scene: Scene, role: Role) -> Request:
        if state == "pending":
            question = await scene.pending_question()
        elif state == "hidden":
            question = await scene.hidden_question()
        else:
            question = await scene.pose()
            if state == "flagged":
                flagged = await scene.request(
                    scene.participant, "POST", f"/questions/{question['id']}/flags", {"reason": "spam"}
                )
                assert flagged.status_code == 201, flagged.text
        return "POST", f"/questions/{question['id']}/decisions", {"action": action} | fields

    return prepare


async def flag_question(scene: Scene, role: Role) -> Request:
    question = await scene.pose()
    return "POST", f"/questions/{question['id']}/flags", {"reason": "spam"}


async def delete_question(scene: Scene, role: Role) -> Request:
    # The participant's own question: only its author deletes it; moderators hide or reject.
    question = await scene.pose(author=scene.participant)
    return "DELETE", f"/questions/{question['id']}", None


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
    await scene.ok("admin", "PATCH", f"/spaces/{SLUG}", {"moderation": "post"})
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
    Action("flag", flag, FLAGGERS, "event"),
    Action("queue", queue, moderators_only(), "nothing"),
    Action("list_held", held_list, moderators_only(), "nothing"),
    Action("hold_participant", hold, moderators_only()),
    Action("lift_hold", unhold, moderators_only()),
    Action("spotlight_get", spotlight_get, ANYONE, "nothing"),
    Action("spotlight_set", spotlight_set, moderators_only()),
    Action("spotlight_clear", spotlight_clear, moderators_only()),
    Action("spotlight_enqueue", spotlight_enqueue, moderators_only(201)),
    Action("spotlight_reorder", spotlight_reorder, moderators_only()),
    Action("spotlight_remove", spotlight_remove, moderators_only()),
    Action("spotlight_advance", spotlight_advance, moderators_only()),
    Action("moderation_mode", moderation_mode, SPACE_STEWARDS),
    Action("approve_question", question_decision("pending", "approve"), moderators_only()),
    Action("reject_question", question_decision("pending", "reject", reason="spam"), moderators_only()),
    Action("hide_question", question_decision("published", "hide", reason="off_topic"), moderators_only()),
    Action("restore_question", question_decision("hidden", "restore"), moderators_only()),
    Action("dismiss_question_flags", question_decision("flagged", "dismiss_flags"), moderators_only()),
    Action("flag_question", flag_question, FLAGGERS, "event"),
    Action("delete_own_question", delete_question, AUTHOR_ONLY, "event"),
]


def test_the_matrix_covers_every_role_for_every_action() -> None:
    assert all(set(action.expected) == set(ROLES) for action in ACTIONS)
    assert len(ACTIONS) * len(ROLES) == 32 * 7 == 224


async def _written_since(scene: Scene, audit_id: int, seq: int) -> tuple[list[int], list[dict[str, Any]]]:
    """Audit entry ids after `audit_id`, and the moderators' payloads of the space's events after `seq`."""
    url = scene.api.server.settings.database_url
    assert url is not None
    audit = await fetch_rows(url, "SELECT id FROM audit_log WHERE id > $1 ORDER BY id", audit_id)
    events = await fetch_rows(
        url,
        """SELECT e.moderators FROM events e JOIN spaces s ON s.id = e.space_id
           WHERE s.slug = $1 AND e.seq > $2 ORDER BY e.seq""",
        SLUG,
        seq,
    )
    return [row["id"] for row in audit], [row["moderators"] for row in events]


async def _log_heads(scene: Scene) -> tuple[int, int]:
    url = scene.api.server.settings.database_url
    assert url is not None
    [row] = await fetch_rows(
        url,
        """SELECT (SELECT coalesce(max(id), 0) FROM audit_log) AS audit,
                  (SELECT event_seq FROM spaces WHERE slug = $1) AS seq""",
        SLUG,
    )
    return row["audit"], row["seq"]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
async def test_each_role_gets_exactly_the_expected_answer_and_writes_accordingly(
    api: Api, action: Action
) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    for role in ROLES:
        method, path, body = await action.prepare(scene, role)
        audit_id, seq = await _log_heads(scene)
        response = await scene.request(role, method, path, body)
        status, code = action.expected[role]
        assert response.status_code == status, (action.name, role, response.text)
        audit, events = await _written_since(scene, audit_id, seq)
        if code is not None:
            error = response.json()["error"]
            assert (error["code"], set(error)) == (code, {"code", "message", "details"}), (role, error)
            assert (audit, events) == ([], []), (action.name, role, "a refusal writes nothing")
        elif action.writes == "nothing":
            assert (audit, events) == ([], []), (action.name, role)
        elif action.writes == "event":
            assert audit == [] and events, (action.name, role)
        else:
            assert len(audit) == 1 and events, (action.name, role, audit, events)
            assert events[0]["audit"]["id"] == audit[0], (action.name, role, events[0])
