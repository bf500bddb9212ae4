"""Withdrawn text leaves themes at once: a comment hidden, rejected or deleted leaves its
theme's membership and counts, and the screens' cloud loses the concepts only it said."""

import asyncio
from typing import Any

from tests.helpers import Api, RunningServer, fetch_rows
from tests.live import LiveClient, live_client
from tests.space_helpers import screen_token
from tests.themes import store_theme, term

DROUGHT = "The drought has emptied our wells."
SEQUIA = "La sequía secó los pozos del pueblo."
PUMPS = "Buy my solar pumps, cheapest pumps in town."
TARIFFS = "Tariffs should rise with use."
# A theme as a grouping labels it (server/insight/labels.py): one concept said in two
# languages, and two that only one comment each said.
TERMS = [term("drought", "sequía"), term("solar pumps"), term("tariffs")]
# Statistics are coalesced (1 s by default): a few intervals.
UPDATE_TIMEOUT_SECS = 10


async def themed_space(api: Api, database_url: str) -> dict[str, Any]:
    """One question whose four comments form one stored theme."""
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water", "What about water?")
    ana = await api.register("Ana", language="es")
    bo = await api.register("Bo")
    comments = [
        await api.comment(bo, question["id"], DROUGHT),
        await api.comment(ana, question["id"], SEQUIA, lang="es"),
        await api.comment(bo, question["id"], PUMPS),
        await api.comment(ana, question["id"], TARIFFS, lang="en"),
    ]
    theme = await store_theme(database_url, question["id"], [c["id"] for c in comments], TERMS)
    return {
        "moderator": moderator,
        "ana": ana,
        "question": question,
        "theme": theme,
        "comments": comments,
    }


def cloud(statistics: dict[str, Any]) -> dict[str, int]:
    return {term["phrase"]: term["weight"] for term in statistics["cloud"]}


async def statistics_until(live: LiveClient, wanted: dict[str, int]) -> dict[str, Any]:
    """The screen's statistics updates, until the cloud is `wanted` (bounded)."""
    async with asyncio.timeout(UPDATE_TIMEOUT_SECS):
        while True:
            statistics: dict[str, Any] = (await live.receive_type("statistics"))["statistics"]
            if cloud(statistics) == wanted:
                return statistics


async def test_hidden_and_deleted_comments_leave_their_theme_and_the_screens_cloud_at_once(
    api: Api, server: RunningServer, database_url: str
) -> None:
    s = await themed_space(api, database_url)
    drought, sequia, pumps, tariffs = s["comments"]
    screen = await screen_token(api, "water")
    async with live_client(f"{server.ws_url}?screen_token={screen['token']}") as live:
        snapshot = await live.subscribe("water")
        assert cloud(snapshot["state"]["statistics"]) == {"drought": 4, "solar pumps": 4, "tariffs": 4}
        response = await api.http.post(
            f"/api/v1/comments/{pumps['id']}/decisions",
            json={"action": "hide", "reason": "spam"},
            headers=s["moderator"].headers,
        )
        assert response.status_code == 200, response.text
        await statistics_until(live, {"drought": 3, "tariffs": 3})
        response = await api.http.delete(f"/api/v1/comments/{tariffs['id']}", headers=s["ana"].headers)
        assert response.status_code == 200, response.text
        statistics = await statistics_until(live, {"drought": 2})
    assert statistics["themes"] == [{"question_id": s["question"]["id"], "themes": 1}]
    members = await fetch_rows(database_url, "SELECT comment_id FROM theme_members ORDER BY comment_id")
    assert [m["comment_id"] for m in members] == [drought["id"], sequia["id"]]
    [theme] = await fetch_rows(database_url, "SELECT terms FROM themes WHERE id = $1", s["theme"])
    assert theme["terms"] == TERMS[:1]


async def test_a_restored_comment_waits_to_be_placed_again(api: Api, database_url: str) -> None:
    s = await themed_space(api, database_url)
    pumps = s["comments"][2]
    for action in ("hide", "restore"):
        response = await api.http.post(
            f"/api/v1/comments/{pumps['id']}/decisions",
            json={"action": action, "reason": "spam"} if action == "hide" else {"action": action},
            headers=s["moderator"].headers,
        )
        assert response.status_code == 200, response.text
    [row] = await fetch_rows(
        database_url,
        """SELECT c.vector_pending, m.comment_id IS NOT NULL AS placed
           FROM comments c LEFT JOIN theme_members m ON m.comment_id = c.id WHERE c.id = $1""",
        pumps["id"],
    )
    # The themes keeper embeds and places it like a new comment (server/insight/keeper.py).
    assert row == {"vector_pending": True, "placed": False}
