"""The screen on a 16:9 wall at 720p and 1080p: with an announcement and a spotlight on,
the wall still shows several whole comments, every figure is in sight, and the spotlight
names the question its comment answers."""

import pytest
from playwright.async_api import Page, ViewportSize, expect

from tests.browser.support import LIVE_MS, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

WALLS: dict[str, ViewportSize] = {
    "720p": {"width": 1280, "height": 720},
    "1080p": {"width": 1920, "height": 1080},
}
# Comments a room should be able to read at once beside an announcement and a spotlight.
MIN_WHOLE_COMMENTS = 4


async def whole_comments_in_sight(page: Page) -> int:
    return int(
        await page.evaluate(
            """() => [...document.querySelectorAll('.wall-item')].filter((item) => {
                 const box = item.getBoundingClientRect();
                 return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
               }).length"""
        )
    )


@pytest.mark.parametrize("wall", sorted(WALLS))
async def test_the_screen_uses_a_16_9_wall_and_the_spotlight_names_its_question(
    wall: str, api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    first, second = water.questions[0]["id"], water.questions[1]["id"]
    for n in range(6):
        await api.comment(
            water.alice, first, f"Contribution {n}: shared wells and metered pipes for every village."
        )
    chosen = await api.comment(water.bob, second, "Les éleveurs nomades manquent à la table.", lang="fr")
    for path, body in (
        (f"/api/v1/spaces/{water.slug}/announcements", {"body": "Break until **15:00**, then question 2."}),
    ):
        response = await api.http.post(path, json=body, headers=water.moderator.headers)
        assert response.status_code == 201, response.text
    response = await api.http.put(
        f"/api/v1/spaces/{water.slug}/spotlight",
        json={"comment_id": chosen["id"]},
        headers=water.moderator.headers,
    )
    assert response.status_code == 200, response.text

    screen = await browsing.page(viewport=WALLS[wall])
    await screen.goto(water.screen_url)
    spotlight = screen.locator(".screen-spotlight")
    await expect(spotlight.locator(".spotlight-context")).to_have_text(
        "Q2 Who is missing from the table?", timeout=LIVE_MS
    )
    await expect(screen.locator(".screen-announcement")).to_contain_text("15:00")
    await expect(screen.locator(".wall-item")).to_have_count(7)

    assert await whole_comments_in_sight(screen) >= MIN_WHOLE_COMMENTS
    for figure in (".counter-big", ".counter-list li", ".chart", ".counter-note", ".screen-announcement"):
        await expect(screen.locator(figure).last).to_be_in_viewport(ratio=1)
    await expect(spotlight).to_be_in_viewport(ratio=1)
    overflow = await screen.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow
