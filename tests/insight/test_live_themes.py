"""Languages and themes in a running consultation: detected languages for moderators, French
and Spanish comments on one point placed in one theme live, moderators' names surviving a
regrouping, the screens' theme cloud, similar comments across languages, and no hidden text
or vector reaching anyone who may not see it."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from server.actions.themes import REGROUP_MIN_UNPLACED, REGROUP_UNPLACED_SHARE
from server.insight.worker import InsightWorker
from server.running.settings import Settings
from tests.helpers import Api, RunningServer, User, assert_error, fetch_rows, start_server
from tests.insight.conftest import load_fixture
from tests.live import live_client
from tests.space_helpers import screen_token

# Embedding the fixture's 54 comments and grouping them takes a few seconds on a busy machine.
SETTLE_TIMEOUT_SECS = 60
POLL_SECS = 0.1


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        redis_url=None,
        themes_enabled=True,
        rate_post_per_account="1000/60",
        rate_post_per_address="1000/60",
    )


@pytest.fixture
async def server(settings: Settings, insight_worker: InsightWorker) -> AsyncIterator[RunningServer]:
    async with start_server(settings, insight_worker) as running:
        yield running


async def settled(database_url: str, sql: str, *args: Any) -> None:
    """Wait (bounded) until a query says the keeper has caught up."""
    async with asyncio.timeout(SETTLE_TIMEOUT_SECS):
        while True:
            if (await fetch_rows(database_url, sql, *args))[0]["done"]:
                return
            await asyncio.sleep(POLL_SECS)


async def theme_of(database_url: str, comment_id: int) -> int | None:
    rows = await fetch_rows(
        database_url, "SELECT theme_id FROM theme_members WHERE comment_id = $1", comment_id
    )
    return rows[0]["theme_id"] if rows else None


async def grouped_consultation(api: Api, database_url: str) -> dict[str, Any]:
    """A space whose question holds the themed fixture's 54 comments, embedded and grouped."""
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water", "What should the basin plan change?")
    authors = {lang: await api.register(language=lang) for lang in ("en", "fr", "es")}
    posted: dict[str, list[int]] = {}
    for item in load_fixture("themes.json")["comments"]:
        comment = await api.comment(authors[item["lang"]], question["id"], item["text"])
        posted.setdefault(item["theme"], []).append(comment["id"])
    # Comments waiting unplaced are reason enough for the keeper to group them by itself: wait
    # until it has placed all 54 and has no regrouping left to do, so that ours is the last.
    await settled(
        database_url,
        """SELECT placed.total = 54
                  AND NOT (placed.unplaced >= $2 AND placed.unplaced >= $3 * grouped.n) AS done
           FROM (SELECT count(*) AS total, count(*) FILTER (WHERE theme_id IS NULL) AS unplaced
                 FROM theme_members WHERE question_id = $1) placed,
                (SELECT coalesce(max(comments), 0) AS n
                 FROM theme_groupings WHERE question_id = $1) grouped""",
        question["id"],
        REGROUP_MIN_UNPLACED,
        REGROUP_UNPLACED_SHARE,
    )
    response = await api.http.post(
        f"/api/v1/questions/{question['id']}/themes/regroup", headers=moderator.headers
    )
    assert response.status_code == 200, response.text
    return {
        "moderator": moderator,
        "question": question,
        "authors": authors,
        "posted": posted,
        "themes": response.json(),
    }


def majority_theme(themes_by_comment: dict[int, int | None], comment_ids: list[int]) -> int:
    themes = [t for t in (themes_by_comment[c] for c in comment_ids) if t is not None]
    return max(set(themes), key=themes.count)


async def memberships(database_url: str, question_id: int) -> dict[int, int | None]:
    rows = await fetch_rows(
        database_url, "SELECT comment_id, theme_id FROM theme_members WHERE question_id = $1", question_id
    )
    return {r["comment_id"]: r["theme_id"] for r in rows}


async def test_moderators_see_a_mismatch_between_declared_and_detected_language(api: Api) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water")
    author = await api.register(language="en")
    # Declared English, written in Spanish.
    comment = await api.comment(
        author,
        question["id"],
        "Los pozos de riego sin control están secando el acuífero del valle.",
        lang="en",
    )
    assert "language_check" not in comment or comment["language_check"] is None
    response = await api.http.get(
        "/api/v1/spaces/water/queue", params={"kind": "recent"}, headers=moderator.headers
    )
    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    assert item["comment"]["language_check"] == {"detected": ["es"], "declared": True, "mismatch": True}
    # Undeclared (the profile's English), detected Spanish: statistics count it as Spanish.
    await api.comment(
        author, question["id"], "Las mujeres indígenas deben participar en el consejo de cuenca."
    )
    statistics = (await api.http.get("/api/v1/spaces/water/statistics")).json()
    assert {row["lang"]: row["comments"] for row in statistics["languages"]} == {"en": 1, "es": 1}


async def test_french_and_spanish_comments_on_one_point_land_in_one_theme_live(
    api: Api, server: RunningServer, database_url: str
) -> None:
    scene = await grouped_consultation(api, database_url)
    question_id = scene["question"]["id"]
    assert len(scene["themes"]["themes"]) >= 4
    before = await memberships(database_url, question_id)
    groundwater = majority_theme(before, scene["posted"]["groundwater"])
    new = {
        c["lang"]: c["text"]
        for c in load_fixture("themes.json")["new_comments"]
        if c["theme"] == "groundwater"
    }
    moderator, reader = scene["moderator"], await api.register()
    async with (
        live_client(server.ws_url, moderator.token) as moderators,
        live_client(server.ws_url, reader.token) as participant,
    ):
        await moderators.subscribe("water")
        await participant.subscribe("water")
        french = await api.comment(scene["authors"]["fr"], question_id, new["fr"])
        spanish = await api.comment(scene["authors"]["es"], question_id, new["es"])
        await settled(
            database_url,
            "SELECT count(theme_id) = 2 AS done FROM theme_members WHERE comment_id = ANY($1::bigint[])",
            [french["id"], spanish["id"]],
        )
        # A public event after the theme updates: once both connections have it, they have had
        # every event before it they may see.
        marker = await api.comment(reader, question_id, "Thank you for organising this.")
        await moderators.events_through(marker["event_seq"])
        await participant.events_through(marker["event_seq"])
    updates = [e for e in moderators.seen if e["type"] == "theme.updated"]
    assert await theme_of(database_url, french["id"]) == groundwater
    assert await theme_of(database_url, spanish["id"]) == groundwater
    assert updates, "moderators are told of the placement"
    text = json.dumps(updates)
    assert "vector" not in text and new["fr"][:30] not in text
    assert not [e for e in participant.seen if e["type"] == "theme.updated"]


async def test_a_renamed_theme_keeps_its_name_through_a_regrouping(api: Api, database_url: str) -> None:
    scene = await grouped_consultation(api, database_url)
    question_id, moderator = scene["question"]["id"], scene["moderator"]
    groundwater = majority_theme(await memberships(database_url, question_id), scene["posted"]["groundwater"])
    response = await api.http.patch(
        f"/api/v1/questions/{question_id}/themes/{groundwater}",
        json={"name": "Aquifers"},
        headers=moderator.headers,
    )
    assert response.status_code == 200, response.text
    response = await api.http.post(
        f"/api/v1/questions/{question_id}/themes/regroup", headers=moderator.headers
    )
    assert response.status_code == 200, response.text
    regrouped = response.json()
    assert regrouped["stability"] is not None and regrouped["stability"] > 0.8
    successor = majority_theme(await memberships(database_url, question_id), scene["posted"]["groundwater"])
    assert successor != groundwater  # themes are replaced, the name carried over
    [named] = [t for t in regrouped["themes"] if t["name"] == "Aquifers"]
    assert named["id"] == successor and named["label"] == "Aquifers"
    audit = await fetch_rows(database_url, "SELECT action FROM audit_log WHERE target_type = 'theme'")
    assert [r["action"] for r in audit] == ["theme.rename"]
    # Participants may not see or steer themes.
    participant = scene["authors"]["fr"]
    assert_error(
        await api.http.get(f"/api/v1/questions/{question_id}/themes", headers=participant.headers),
        403,
        "not_moderator",
    )


async def test_screens_receive_the_theme_cloud_without_excluded_terms(
    api: Api, server: RunningServer, database_url: str
) -> None:
    scene = await grouped_consultation(api, database_url)
    screen = await screen_token(api, "water")
    async with live_client(f"{server.ws_url}?screen_token={screen['token']}") as wall:
        snapshot = await wall.subscribe("water")
        statistics = snapshot["state"]["statistics"]
        assert statistics["themes"] == [
            {"question_id": scene["question"]["id"], "themes": len(scene["themes"]["themes"])}
        ]
        cloud = [term["phrase"] for term in statistics["cloud"]]
        assert cloud and len(cloud) == len(set(cloud))
        excluded = cloud[0]
        response = await api.http.put(
            "/api/v1/spaces/water/themes/excluded-terms",
            json={"terms": [excluded.upper()]},
            headers=scene["moderator"].headers,
        )
        assert response.status_code == 200, response.text
        kept = await api.http.get(
            "/api/v1/spaces/water/themes/excluded-terms", headers=scene["moderator"].headers
        )
        assert kept.json() == {"terms": [excluded.lower()]}
        async with asyncio.timeout(SETTLE_TIMEOUT_SECS):
            while True:
                update = await wall.receive_type("statistics")
                phrases = [term["phrase"] for term in update["statistics"]["cloud"]]
                if excluded not in phrases:
                    break
    assert phrases and "vector" not in json.dumps(update)


async def test_similar_comments_cross_languages_and_never_show_hidden_ones_to_participants(
    api: Api, database_url: str
) -> None:
    scene = await grouped_consultation(api, database_url)
    moderator: User = scene["moderator"]
    reader = await api.register()
    groundwater = scene["posted"]["groundwater"]
    languages = {
        r["id"]: r["lang"]
        for r in await fetch_rows(
            database_url, "SELECT id, lang FROM comments WHERE id = ANY($1)", groundwater
        )
    }
    source = groundwater[0]

    async def similar(who: User) -> list[dict[str, Any]]:
        response = await api.http.get(f"/api/v1/comments/{source}/similar", headers=who.headers)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    found = await similar(reader)
    top = [item["comment"]["id"] for item in found[:5]]
    assert sum(1 for c in top if c in groundwater) >= 4
    assert {languages[c] for c in top if c in groundwater} - {languages[source]}, "other languages found"
    hidden = top[0]
    response = await api.http.post(
        f"/api/v1/comments/{hidden}/decisions",
        json={"action": "hide", "reason": "spam"},
        headers=moderator.headers,
    )
    assert response.status_code == 200, response.text
    assert hidden not in [item["comment"]["id"] for item in await similar(reader)]
    for_moderator = {item["comment"]["id"]: item["comment"] for item in await similar(moderator)}
    assert for_moderator[hidden]["body"] is not None


async def test_a_split_theme_becomes_two_that_hold_exactly_its_comments(api: Api, database_url: str) -> None:
    scene = await grouped_consultation(api, database_url)
    question_id, moderator = scene["question"]["id"], scene["moderator"]
    before = await memberships(database_url, question_id)
    theme = majority_theme(before, scene["posted"]["pollution"])
    members = {c for c, t in before.items() if t == theme}
    response = await api.http.post(
        f"/api/v1/questions/{question_id}/themes/{theme}/split", headers=moderator.headers
    )
    assert response.status_code == 200, response.text
    themes = {t["id"] for t in response.json()["themes"]}
    assert theme not in themes and len(themes) == len(scene["themes"]["themes"]) + 1
    after = await memberships(database_url, question_id)
    halves = {after[c] for c in members}
    assert len(halves) == 2 and halves <= themes
    assert {c for c, t in after.items() if t in halves} == members
    # Each theme lists its comments, so a console can show what it holds.
    for shown in response.json()["themes"]:
        assert sorted(shown["comment_ids"]) == sorted(c for c, t in after.items() if t == shown["id"])
        assert len(shown["comment_ids"]) == shown["comments"]
    assert_error(
        await api.http.post(
            f"/api/v1/questions/{question_id}/themes/{theme}/split", headers=moderator.headers
        ),
        404,
        "theme_not_found",
    )
