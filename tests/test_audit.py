"""Reading the audit log: filters, pages, CSV and JSON exports, and append-only storage."""

import csv
import io
from datetime import datetime

import asyncpg
import pytest

from server.api.audit import CSV_COLUMNS, safe_cell
from tests.helpers import Api, assert_error, fetch_rows
from tests.moderation import SLUG, make_scene
from tests.space_helpers import as_admin, ok


async def steward_some(api: Api) -> dict[str, int]:
    """A few moderation actions in `water`, one with a note that tries to be a formula."""
    await api.space("water")
    await api.space("air")
    moderator = await api.moderator("water")
    sarah = await api.register("Sarah")
    h = moderator.headers
    await ok(
        await api.http.post("/api/v1/spaces/water/lock", json={"reason": "pause", "note": "Lunch"}, headers=h)
    )
    await ok(await api.http.delete("/api/v1/spaces/water/lock", headers=h))
    body = {"user_id": sarah.id, "kind": "muted", "reason": "spam", "note": '=HYPERLINK("http://evil","x")'}
    await ok(await api.http.post("/api/v1/spaces/water/restrictions", json=body, headers=h), 201)
    await ok(await api.http.post("/api/v1/spaces/water/screens", json={"name": "@wall"}, headers=h), 201)
    await ok(await as_admin(api, "POST", "/api/v1/spaces/air/lock", {"reason": "spam"}))
    return {"moderator": moderator.id, "sarah": sarah.id}


async def test_a_spaces_audit_log_is_newest_first_filtered_and_paged(api: Api) -> None:
    ids = await steward_some(api)
    page = await ok(await as_admin(api, "GET", "/api/v1/spaces/water/audit"))
    actions = [e["action"] for e in page["items"]]
    assert actions == ["screen.create", "participant.mute", "space.unlock", "space.lock"]
    assert page["next_cursor"] is None
    assert all(e["actor_id"] == ids["moderator"] and e["actor_name"] == "Moderator" for e in page["items"])

    first = await ok(await as_admin(api, "GET", "/api/v1/spaces/water/audit?limit=3"))
    assert [e["action"] for e in first["items"]] == actions[:3]
    rest = await ok(
        await as_admin(api, "GET", f"/api/v1/spaces/water/audit?limit=3&cursor={first['next_cursor']}")
    )
    assert [e["action"] for e in rest["items"]] == actions[3:] and rest["next_cursor"] is None

    by_target = await ok(
        await as_admin(api, "GET", f"/api/v1/spaces/water/audit?target_type=user&target_id={ids['sarah']}")
    )
    assert [e["action"] for e in by_target["items"]] == ["participant.mute"]
    by_action = await ok(await as_admin(api, "GET", "/api/v1/spaces/water/audit?action=space.lock"))
    [lock] = by_action["items"]
    assert (lock["reason"], lock["note"]) == ("pause", "Lunch")
    by_reason = await ok(await as_admin(api, "GET", "/api/v1/spaces/water/audit?reason=spam"))
    assert [e["action"] for e in by_reason["items"]] == ["participant.mute"]
    by_actor = await ok(await as_admin(api, "GET", f"/api/v1/spaces/water/audit?actor_id={ids['sarah']}"))
    assert by_actor["items"] == []
    at = datetime.fromisoformat(lock["at"])
    since = await ok(
        await api.http.get(
            "/api/v1/spaces/water/audit",
            params={
                "since": at.isoformat(),
                "until": datetime.fromisoformat(page["items"][0]["at"]).isoformat(),
            },
            headers=(await api.admin()).headers,
        )
    )
    assert [e["action"] for e in since["items"]] == ["participant.mute", "space.unlock", "space.lock"]
    for params, code in ((("cursor", "abc"), "invalid_cursor"), (("since", "yesterday"), "invalid_query")):
        response = await as_admin(api, "GET", f"/api/v1/spaces/water/audit?{params[0]}={params[1]}")
        assert_error(response, 422 if code == "invalid_query" else 400, code)


async def test_the_audit_log_downloads_as_csv_safe_from_formulas(api: Api) -> None:
    await steward_some(api)
    response = await as_admin(api, "GET", "/api/v1/spaces/water/audit?format=csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="roundtable-audit-water-') and disposition.endswith(
        '.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_action = {row[2]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert list(by_action) == ["screen.create", "participant.mute", "space.unlock", "space.lock"]
    assert by_action["participant.mute"]["note"] == '\'=HYPERLINK("http://evil","x")'
    assert by_action["screen.create"]["note"] == "'@wall"
    assert by_action["space.lock"]["reason"] == "pause"
    assert by_action["space.unlock"]["details"].startswith('{"locked_secs":')
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), row
    assert [safe_cell(v) for v in ("+1", "-1", "plain", None, 5)] == ["'+1", "'-1", "plain", "", "5"]


async def test_the_audit_log_downloads_as_json_with_the_filters_applied(api: Api) -> None:
    await steward_some(api)
    response = await as_admin(api, "GET", "/api/v1/spaces/water/audit?format=json&target_type=space")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].endswith('.json"')
    exported = response.json()
    assert exported["log"] == "water"
    assert [e["action"] for e in exported["items"]] == ["space.unlock", "space.lock"]
    assert set(exported["items"][0]) == {
        "id",
        "action",
        "actor_id",
        "actor_name",
        "target_type",
        "target_id",
        "target_label",
        "target_author",
        "reason",
        "note",
        "details",
        "at",
    }


async def test_the_audit_log_is_append_only(api: Api, database_url: str) -> None:
    await steward_some(api)
    for sql in ("UPDATE audit_log SET note = 'rewritten'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await fetch_rows(database_url, sql)
    assert (await fetch_rows(database_url, "SELECT count(*) AS n FROM audit_log"))[0]["n"] == 5
    for method in ("PATCH", "DELETE", "PUT", "POST"):
        assert_error(await as_admin(api, method, "/api/v1/spaces/water/audit"), 405, "method_not_allowed")


async def test_audit_entries_name_their_targets_in_words(api: Api) -> None:
    scene = await make_scene(api, allow_participant_questions=True)
    long_text = "The weir should stay open all winter long, because the fish need to pass upstream."
    comment = await scene.published(long_text)
    await scene.decided(comment["id"], "hide", reason="off_topic")
    question = await scene.pose("Who pays for the dam?")
    await scene.decided_question(question["id"], "hide", reason="off_topic")
    await scene.ok("moderator", "PUT", f"/spaces/{SLUG}/held-participants/{scene.participant.id}", {})
    log = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/audit")
    named = {(e["action"], e["target_id"]): (e["target_label"], e["target_author"]) for e in log["items"]}
    label, author = named[("comment.hide", comment["id"])]
    assert long_text.startswith(label.removesuffix("…")) and label.endswith("…")
    assert author == "Alice Author"
    assert named[("question.hide", question["id"])] == ("Who pays for the dam?", None)
    assert named[("participant.hold", scene.participant.id)] == ("Pat Participant", None)
