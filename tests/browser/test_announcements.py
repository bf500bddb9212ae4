"""Announcements are hard to miss: a bar that stays at the top of the window while the
reader scrolls, saying who announced it and when."""

import pytest
from playwright.async_api import expect

from tests.browser.support import LIVE_MS, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def test_an_announcement_stays_in_sight_with_its_author_and_time_while_the_reader_scrolls(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    for n in range(10):
        await api.comment(water.bob, water.questions[0]["id"], f"Contribution {n}.")
    page = await browsing.page(water.alice, viewport={"width": 1280, "height": 600})
    await page.goto(water.url())
    await page.locator(".question").nth(1).scroll_into_view_if_needed()

    response = await api.http.post(
        f"/api/v1/spaces/{water.slug}/announcements",
        json={"body": "Break until **15:00**."},
        headers=water.moderator.headers,
    )
    assert response.status_code == 201, response.text
    bar = page.locator(".announcement")
    await expect(bar.locator("strong")).to_have_text("15:00", timeout=LIVE_MS)
    await expect(bar).to_be_in_viewport()
    await expect(bar.locator(".announcement-author")).to_have_text("Maya Moderator")
    await expect(bar.locator("time")).to_have_attribute("datetime", response.json()["created_at"])
    await expect(bar.locator("time")).not_to_be_empty()

    await page.mouse.wheel(0, 2000)
    await expect(page.locator(".question").nth(1).locator(".composer-area")).to_be_in_viewport()
    box = await bar.bounding_box()
    assert box is not None and 0 <= box["y"] < 50, box
