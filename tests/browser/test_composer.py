"""The comment composer in a real browser: every refusal is explained beside the box, in the
reader's language, with the time until it passes when there is one; the text stays."""

import re

import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.support import LIVE_MS, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


def first_composer(page: Page) -> Locator:
    return page.locator(".question").first.locator("form.composer")


async def test_an_empty_or_blank_comment_is_refused_beside_the_box_and_nothing_is_posted(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    page = await browsing.page(water.alice)
    await page.goto(water.url())
    composer = first_composer(page)
    box = composer.locator("textarea")
    error = composer.locator(".form-error")

    await composer.get_by_role("button", name="Post comment").click()
    await expect(error).to_be_visible()
    await expect(error).to_have_text("Write something first.")
    await expect(box).to_have_attribute("aria-invalid", "true")
    await expect(box).to_have_accessible_description(re.compile("Write something first."))

    await box.fill("   \n  ")
    await box.press("Control+Enter")
    await expect(error).to_have_text("Write something first.")
    await expect(box).to_have_value("   \n  ")
    await expect(page.locator(".comment")).to_have_count(0)

    # Writing something and posting clears the refusal.
    await box.fill("Shared wells.")
    await composer.get_by_role("button", name="Post comment").click()
    await expect(page.locator(".comment", has_text="Shared wells.")).to_be_visible(timeout=LIVE_MS)
    await expect(error).to_be_hidden()
    await expect(box).not_to_have_attribute("aria-invalid", "true")


async def test_a_post_refused_by_slow_mode_says_in_how_many_seconds_and_keeps_the_text(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    response = await api.http.put(
        f"/api/v1/spaces/{water.slug}/slow-mode", json={"seconds": 600, "reason": "volume"},
        headers=water.moderator.headers,
    )
    assert response.status_code == 200, response.text
    await api.comment(water.bob, water.questions[0]["id"], "My first thought.")
    page = await browsing.page(water.bob, locale="fr-FR")
    await page.goto(water.url())
    composer = first_composer(page)
    box = composer.locator("textarea")

    await box.fill("Une deuxième idée.")
    await composer.get_by_role("button", name="Publier").click()

    error = composer.locator(".form-error")
    await expect(error).to_be_visible()
    await expect(error).to_have_text(
        re.compile(r"Le mode lent est activé : vous pourrez publier à nouveau dans \d+ secondes\.")
    )
    seconds = int(re.findall(r"\d+", await error.inner_text())[0])
    assert 500 < seconds <= 600
    await expect(box).to_have_value("Une deuxième idée.")
    await expect(box).to_be_focused()
    await expect(page.locator(".comment")).to_have_count(1)
