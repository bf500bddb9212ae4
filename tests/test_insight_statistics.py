"""Live statistics: the numbers agree with counts taken straight from SQL, each
audience sees its part, and screens get coalesced updates, not one per comment."""

import asyncio
from typing import Any

from tests.helpers import Api, RunningServer, User, fetch_rows
from tests.live import live_client
from tests.space_helpers import screen_token


async def build_fixture_space(api: Api) -> dict[str, Any]:
    """Two questions, authors with and without affiliation, three languages,
    replies two deep, supports, a hidden comment and a deleted one."""
    await api.space("water")
    moderator = await api.moderator("water")
    first = await api.question("water", "Who pays for water?")
    second = await api.question("water", "What should change?")
    ana = await api.register("Ana", affiliation="City Council", language="es")
    bo = await api.register("Bo", affiliation="City Council")
    chloe = await api.register("Chloé", affiliation=None, language="fr")
    root = await api.comment(ana, first["id"], "El agua es un derecho.", lang="es")
    reply = await api.comment(bo, first["id"], "Agreed.", parent_id=root["id"])
    await api.comment(chloe, first["id"], "D'accord aussi.", parent_id=reply["id"], lang="fr")
    await api.comment(chloe, second["id"], "Des compteurs partout.", lang="fr")
    await api.comment(bo, second["id"], "Metering first.")
    hidden = await api.comment(bo, second["id"], "Buy my pumps.")
    deleted = await api.comment(ana, second["id"], "Borrador.", lang="es")
    for supporter, comment in ((bo, root), (chloe, root), (ana, reply)):
        response = await api.http.post(f"/api/v1/comments/{comment['id']}/support", headers=supporter.headers)
        assert response.status_code == 200, response.text
    response = await api.http.post(
        f"/api/v1/comments/{hidden['id']}/decisions",
        json={"action": "hide", "reason": "spam"},
        headers=moderator.headers,
    )
    assert response.status_code == 200, response.text
    response = await api.http.delete(f"/api/v1/comments/{deleted['id']}", headers=ana.headers)
    assert response.status_code == 200, response.text
    return {
        "moderator": moderator,
        "ana": ana,
        "root": root,
        "reply": reply,
        "questions": [first["id"], second["id"]],
    }


async def sql_counts(database_url: str) -> dict[str, Any]:
    """The same numbers, counted independently of server/queries/statistics.py."""
    published = "FROM comments WHERE status = 'published'"
    [totals] = await fetch_rows(
        database_url,
        f"""SELECT (SELECT count(*) {published} AND parent_id IS NULL) AS comments,
                   (SELECT count(*) {published} AND parent_id IS NOT NULL) AS replies,
                   (SELECT count(DISTINCT author_id) {published}) AS participants,
                   (SELECT count(*) FROM supports s JOIN comments c ON c.id = s.comment_id
                     WHERE c.status = 'published') AS supports""",
    )
    languages = await fetch_rows(database_url, f"SELECT lang, count(*) AS n {published} GROUP BY lang")
    affiliations = await fetch_rows(
        database_url,
        """SELECT u.affiliation, count(*) AS n FROM comments c JOIN users u ON u.id = c.author_id
           WHERE c.status = 'published' AND u.affiliation IS NOT NULL GROUP BY u.affiliation""",
    )
    statuses = await fetch_rows(database_url, "SELECT status, count(*) AS n FROM comments GROUP BY status")
    return {
        "totals": totals,
        "languages": {r["lang"]: r["n"] for r in languages},
        "affiliations": {r["affiliation"]: r["n"] for r in affiliations},
        "statuses": {r["status"]: r["n"] for r in statuses},
    }


async def test_statistics_match_counts_computed_in_sql(api: Api, database_url: str) -> None:
    scene = await build_fixture_space(api)
    expected = await sql_counts(database_url)
    response = await api.http.get("/api/v1/spaces/water/statistics", headers=scene["moderator"].headers)
    assert response.status_code == 200, response.text
    stats = response.json()
    totals = stats["totals"]
    assert {k: totals[k] for k in ("comments", "replies", "participants", "supports")} == expected["totals"]
    assert totals == {"comments": 3, "replies": 2, "participants": 3, "supports": 3, "max_depth": 2}
    assert {r["lang"]: r["comments"] for r in stats["languages"]} == expected["languages"]
    assert {r["affiliation"]: r["comments"] for r in stats["affiliations"]} == expected["affiliations"]
    assert {r["depth"]: r["comments"] for r in stats["depths"]} == {0: 3, 1: 1, 2: 1}
    first, second = scene["questions"]
    by_question = {q["question_id"]: q for q in stats["questions"]}
    assert by_question[first] | {"question_id": 0} == {
        "question_id": 0,
        "comments": 1,
        "replies": 2,
        "participants": 3,
        "supports": 3,
        "max_depth": 2,
    }
    assert (by_question[second]["comments"], by_question[second]["participants"]) == (2, 2)
    assert [(c["id"], c["support_count"]) for c in stats["most_supported"]] == [
        (scene["root"]["id"], 2),
        (scene["reply"]["id"], 1),
    ]
    assert len(stats["per_minute"]) == 60
    assert sum(m["comments"] for m in stats["per_minute"]) == 5
    statuses = expected["statuses"]
    assert stats["moderation"] == {
        "published": statuses["published"],
        "pending": 0,
        "hidden_by_moderators": statuses["hidden"],
        "hidden_by_flags": 0,
        "rejected": 0,
        "deleted_by_authors": statuses["deleted"],
    }


async def test_moderation_outcomes_are_hidden_from_participants_and_the_public(api: Api) -> None:
    scene = await build_fixture_space(api)
    readers: list[dict[str, str]] = [scene["ana"].headers, {}]
    for headers in readers:
        response = await api.http.get("/api/v1/spaces/water/statistics", headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["moderation"] is None
        assert response.json()["totals"]["comments"] == 3


async def test_statistics_of_a_draft_space_are_not_found_for_participants(api: Api) -> None:
    await api.space("draft-space", status="draft")
    reader = await api.register()
    response = await api.http.get("/api/v1/spaces/draft-space/statistics", headers=reader.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "space_not_found"


async def test_screen_gets_few_coalesced_statistics_for_many_comments(
    api: Api, server: RunningServer
) -> None:
    await api.space("water")
    question = await api.question("water")
    screen = await screen_token(api, "water")
    authors: list[User] = [await api.register() for _ in range(4)]
    comments = 40
    async with live_client(f"{server.ws_url}?screen_token={screen['token']}") as live:
        snapshot = await live.subscribe("water")
        assert snapshot["state"]["statistics"]["totals"]["comments"] == 0
        assert snapshot["state"]["statistics"]["moderation"] is None
        await asyncio.gather(
            *(api.comment(authors[i % 4], question["id"], f"Point {i}.") for i in range(comments))
        )
        updates: list[dict[str, Any]] = []
        async with asyncio.timeout(15):
            while not updates or updates[-1]["statistics"]["totals"]["comments"] < comments:
                updates.append(await live.receive_type("statistics"))
    assert updates[-1]["statistics"]["totals"]["participants"] == 4
    assert updates[-1]["statistics"]["moderation"] is None
    # Coalesced: at most one message per interval (1 s by default), never one per comment.
    assert len(updates) < comments // 4
    counts = [u["statistics"]["totals"]["comments"] for u in updates]
    assert counts == sorted(set(counts)), "each update carries news, never the same numbers twice"


async def test_newly_joined_moderator_snapshot_agrees_with_live_statistics(
    api: Api, server: RunningServer
) -> None:
    scene = await build_fixture_space(api)
    response = await api.http.get("/api/v1/spaces/water/statistics", headers=scene["moderator"].headers)
    from_api = response.json()
    async with live_client(server.ws_url, scene["moderator"].token) as live:
        snapshot = await live.subscribe("water")
    from_snapshot = snapshot["state"]["statistics"]
    assert from_snapshot["seq"] == snapshot["seq"] == from_api["seq"]
    assert {k: v for k, v in from_snapshot.items() if k != "per_minute"} == {
        k: v for k, v in from_api.items() if k != "per_minute"
    }
