"""Where comment moderation meets stewarding: flags are writes held by locks,
mutes, bans and suspensions; moderators keep moderating a locked space; a
deleted comment is `comment_deleted` to every action; the audit log's reading
and exports hold the comment-moderation entries too."""

import csv
import io
from typing import Any

from tests.helpers import Api, assert_error
from tests.moderation import SLUG, Scene, make_scene
from tests.roles import Role
from tests.space_helpers import as_admin, ok


async def restrict(scene: Scene, user_id: int, kind: str, **fields: Any) -> None:
    body = {"user_id": user_id, "kind": kind, "reason": "spam"} | fields
    await scene.ok("moderator", "POST", f"/spaces/{SLUG}/restrictions", body)


async def test_a_flag_is_a_write_refused_to_the_muted_and_banned_with_until_and_reason(api: Api) -> None:
    scene = await make_scene(api)
    comment = await scene.published()
    muted = assert_error(await scene.flag(comment["id"], "muted"), 403, "muted")
    assert muted["details"]["reason"] == "spam" and muted["details"]["until"] is not None
    await restrict(scene, scene.participant.id, "banned")
    banned = assert_error(await scene.flag(comment["id"], "participant"), 403, "banned")
    assert banned["details"] == {"until": None, "reason": "spam"}
    flagged = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=flagged")
    assert flagged["items"] == [] and flagged["counts"]["flagged"] == 0


async def test_a_locked_space_takes_no_flag_but_its_moderators_keep_moderating(api: Api) -> None:
    scene = await make_scene(api)
    comment = await scene.published()
    pending = await scene.pending()
    await scene.ok("moderator", "POST", f"/spaces/{SLUG}/lock", {"reason": "pause"})

    refused = assert_error(await scene.flag(comment["id"], "participant"), 403, "space_locked")
    assert set(refused["details"]) == {"locked_at", "reason"} and refused["details"]["reason"] == "pause"

    await scene.ok("moderator", "POST", f"/comments/{comment['id']}/claim")
    assert (await scene.decided(comment["id"], "hide", reason="offensive"))["status"] == "hidden"
    assert (await scene.decided(pending["id"], "approve"))["status"] == "published"
    await scene.ok("admin", "PUT", f"/spaces/{SLUG}/spotlight", {"comment_id": pending["id"]})
    await scene.ok("moderator", "PUT", f"/spaces/{SLUG}/held-participants/{scene.author.id}", {})


async def test_a_suspended_moderator_can_no_longer_moderate(api: Api) -> None:
    scene = await make_scene(api)
    comment = await scene.published()
    suspension = f"/api/v1/users/{scene.moderator.id}/suspension"
    await ok(await as_admin(api, "POST", suspension, {"reason": "spam"}), 201)
    claim = await scene.request("moderator", "POST", f"/comments/{comment['id']}/claim")
    assert_error(claim, 401, "not_authenticated")
    assert_error(await scene.decide(comment["id"], "hide", reason="spam"), 401, "not_authenticated")


async def test_every_action_on_a_deleted_comment_is_comment_deleted(api: Api) -> None:
    scene = await make_scene(api)
    comment = await scene.published("Soon withdrawn.")
    await scene.ok("moderator", "POST", f"/comments/{comment['id']}/claim")
    await scene.ok(scene.author, "DELETE", f"/comments/{comment['id']}")
    path = f"/comments/{comment['id']}"
    attempts: list[tuple[Role, str, str, dict[str, Any] | None]] = [
        ("moderator", "POST", f"{path}/decisions", {"action": action} | extra)
        for action, extra in (
            ("approve", {}),
            ("reject", {"reason": "spam"}),
            ("hide", {"reason": "spam"}),
            ("restore", {}),
            ("pin", {}),
            ("unpin", {}),
            ("mark_answer", {}),
            ("unmark_answer", {}),
            ("dismiss_flags", {}),
        )
    ]
    attempts += [
        ("moderator", "PATCH", f"{path}/moderation", {"body": "Rewritten."}),
        ("admin", "POST", f"{path}/claim", None),
        ("moderator", "DELETE", f"{path}/claim", None),
        ("participant", "POST", f"{path}/flags", {"reason": "spam"}),
        ("moderator", "PUT", f"/spaces/{SLUG}/spotlight", {"comment_id": comment["id"]}),
        ("moderator", "POST", f"/spaces/{SLUG}/spotlight/next", {"comment_id": comment["id"]}),
    ]
    for role, method, target, body in attempts:
        assert_error(await scene.request(role, method, target, body), 409, "comment_deleted")


async def moderate_some(scene: Scene) -> dict[str, int]:
    """A hide, a claim and its release, an approval, a hold, a spotlight and an automatic hide by flags."""
    hidden = await scene.published("Rude.")
    await scene.ok("moderator", "POST", f"/comments/{hidden['id']}/claim")
    await scene.decided(hidden["id"], "hide", reason="offensive", note="Insult.")
    released = await scene.published("Claimed and let go.")
    await scene.ok("moderator", "POST", f"/comments/{released['id']}/claim")
    await scene.ok("moderator", "DELETE", f"/comments/{released['id']}/claim")
    approved = await scene.pending()
    await scene.decided(approved["id"], "approve")
    await scene.ok("moderator", "PUT", f"/spaces/{SLUG}/spotlight", {"comment_id": released["id"]})
    await scene.give_standing(scene.participant)
    by_flags = await scene.published("Cheap watches.")
    for flagger in (scene.participant, scene.moderator, scene.admin):
        assert (await scene.flag(by_flags["id"], flagger)).status_code == 201
    return {
        "hidden": hidden["id"],
        "released": released["id"],
        "approved": approved["id"],
        "by_flags": by_flags["id"],
    }


async def test_the_audit_log_holds_comment_moderation_and_filters_it(api: Api) -> None:
    scene = await make_scene(api)
    ids = await moderate_some(scene)
    log = f"/spaces/{SLUG}/audit"
    comments = await scene.ok("moderator", "GET", f"{log}?target_type=comment")
    assert [(e["action"], e["target_id"]) for e in comments["items"]] == [
        ("comment.hide", ids["by_flags"]),
        ("spotlight.set", ids["released"]),
        ("comment.approve", ids["approved"]),
        ("comment.release", ids["released"]),
        ("comment.claim", ids["released"]),
        ("comment.hide", ids["hidden"]),
        ("comment.claim", ids["hidden"]),
    ]
    hides = await scene.ok("moderator", "GET", f"{log}?action=comment.hide")
    assert [(e["actor_id"], e["reason"], e["details"].get("by")) for e in hides["items"]] == [
        (None, "spam", "flags"),
        (scene.moderator.id, "offensive", None),
    ]
    one = await scene.ok("moderator", "GET", f"{log}?target_type=comment&target_id={ids['hidden']}")
    assert [e["action"] for e in one["items"]] == ["comment.hide", "comment.claim"]
    mine = await scene.ok("moderator", "GET", f"{log}?actor_id={scene.moderator.id}")
    assert [e["action"] for e in mine["items"]] == [
        "spotlight.set",
        "comment.approve",
        "comment.release",
        "comment.claim",
        "comment.hide",
        "comment.claim",
        "participant.hold",
    ]

    response = await scene.request("moderator", "GET", f"{log}?format=csv&action=comment.hide")
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["target_id"], r["actor_id"], r["actor_name"], r["note"]) for r in rows] == [
        (str(ids["by_flags"]), "", "", ""),
        (str(ids["hidden"]), str(scene.moderator.id), "Maya Moderator", "Insult."),
    ]
    response = await scene.request("moderator", "GET", f"{log}?format=json&action=participant.hold")
    [hold] = response.json()["items"]
    assert (hold["target_type"], hold["target_id"]) == ("user", scene.held_author.id)
