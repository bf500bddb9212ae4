"""Every result of a participant's own action is shown on the page, not only spoken to screen
readers: a post, a flag (new or repeated), a moderator removing one of their comments."""

import pytest
from playwright.async_api import Page, expect

from tests.browser.support import LIVE_MS, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def flag(page: Page, text: str) -> None:
    target = page.locator(".comment", has_text=text)
    await target.get_by_role("button", name="Flag").click()
    await target.get_by_label("Why?").select_option("spam")
    await target.get_by_role("button", name="Send to the moderators").click()


async def test_posting_and_flagging_are_confirmed_on_screen(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    await api.comment(water.bob, water.questions[0]["id"], "Buy cheap pumps here.")
    page = await browsing.page(water.alice)
    await page.goto(water.url())
    confirmation = page.locator("#confirmation")
    await expect(confirmation).to_be_hidden()

    composer = page.locator(".question").first.locator("form.composer")
    await composer.locator("textarea").fill("Shared wells.")
    await composer.get_by_role("button", name="Post comment").click()
    await expect(confirmation).to_be_visible()
    await expect(confirmation).to_have_text("Your comment was posted.")

    await flag(page, "Buy cheap pumps here.")
    await expect(confirmation).to_have_text("Thank you: the moderators will look at it.")
    await flag(page, "Buy cheap pumps here.")
    await expect(confirmation).to_have_text("You had already flagged this comment.")


async def test_a_moderator_removing_ones_comment_is_shown_to_its_author(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    mine = await api.comment(water.alice, water.questions[0]["id"], "Off the subject.")
    page = await browsing.page(water.alice)
    await page.goto(water.url())
    await expect(page.locator("#connection")).to_have_attribute("data-state", "live")

    response = await api.http.post(
        f"/api/v1/comments/{mine['id']}/decisions", json={"action": "hide", "reason": "off_topic"},
        headers=water.moderator.headers,
    )
    assert response.status_code == 200, response.text
    await expect(page.locator("#confirmation")).to_have_text(
        "One of your comments was removed by a moderator.", timeout=LIVE_MS
    )
