"""The shell's routes: the list of spaces, a space, the console's place, unknown
addresses, and a space that does not exist."""

import pytest
from playwright.async_api import expect

from tests.browser.support import Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def test_the_routes_lead_to_their_views_without_reloading(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    page = await browsing.page()
    await page.goto("/")
    await page.evaluate("window.__sameDocument = true")

    await page.get_by_role("link", name="Water and climate roundtable").click()
    await expect(page).to_have_url(f"{browsing.base_url}/#/spaces/{water.slug}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Water and climate roundtable")

    await page.goto(f"/#/console/{water.slug}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Moderator console")
    # Not logged in: not a moderator, and offered the login.
    await expect(page.locator(".notice")).to_contain_text("You are not a moderator of this consultation")
    await expect(page.get_by_role("link", name="Log in").last).to_be_visible()
    await page.get_by_role("link", name="Back to the consultation").click()
    await expect(page.locator(".question")).to_have_count(2)

    await page.goto("/#/nowhere/at/all")
    await expect(page.get_by_role("heading", level=1)).to_have_text("This page does not exist")
    await page.goto("/#/spaces/no-such-space")
    await expect(page.get_by_role("heading", level=1)).to_have_text("This consultation does not exist")
    assert await page.evaluate("window.__sameDocument") is True

    await page.goto(f"/#/screen/{water.slug}?lang=fr")
    await expect(page.locator("body")).to_have_class("kiosk")
    await expect(page.locator(".app-header")).to_be_hidden()
    await expect(page.locator("html")).to_have_attribute("lang", "fr")
    await expect(page.locator(".screen-label").first).to_have_text("En discussion")
    await expect(page.locator(".screen-freshness")).to_have_text("En direct")

    await page.goto(f"/#/screen/{water.slug}?token=not-a-token&lang=en")
    await expect(page.locator(".screen-refused")).to_have_text(
        "Its screen token is unknown or was revoked. Ask a moderator for a new screen address."
    )
