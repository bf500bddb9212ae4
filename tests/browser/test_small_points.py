"""The smaller points a newcomer notices: dates in the browser's own conventions with the
time zone, plural forms, the contact address as a link, a "Live" dot only on live pages, no
error logged when an anonymous reader opens a page, and no keyboard hint on phones."""

import re

import pytest
from playwright.async_api import ConsoleMessage, expect

from tests.browser.support import PHONE, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def test_dates_follow_the_browsers_locale_and_name_the_time_zone(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    await api.comment(water.alice, water.questions[0]["id"], "Wells first.")
    british = await browsing.page(locale="en-GB")
    await british.goto(water.url())
    # "1 Dec 2026, 03:22 UTC": day before month, a 24-hour clock, and the zone.
    await expect(british.locator(".comment time")).to_have_text(
        re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d \S+$")
    )
    american = await browsing.page(locale="en-US")
    await american.goto(water.url())
    # "Dec 1, 2026, 3:22 AM UTC"
    await expect(american.locator(".comment time")).to_have_text(
        re.compile(r"^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M \S+$")
    )


async def test_one_moderator_is_named_in_the_singular_and_the_contact_is_a_mail_link(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    page = await browsing.page()
    await page.goto(water.url())
    aside = page.locator(".space-aside")
    await expect(aside.get_by_role("heading", name="Moderator", exact=True)).to_be_visible()
    await expect(aside.get_by_role("link", name="secretariat@example.org")).to_have_attribute(
        "href", "mailto:secretariat@example.org"
    )
    await api.moderator(water.slug, "Second Steward")
    await page.reload()
    await expect(aside.get_by_role("heading", name="Moderators", exact=True)).to_be_visible()


async def test_the_live_dot_shows_only_on_live_pages(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    page = await browsing.page()
    await page.goto("/#/")
    await expect(page.locator(".space-card")).to_have_count(1)
    await expect(page.locator("#connection")).to_be_hidden()
    await page.goto("/#/login")
    await expect(page.locator("#connection")).to_be_hidden()
    await page.goto(water.url())
    await expect(page.locator("#connection")).to_be_visible()
    await expect(page.locator("#connection")).to_have_attribute("data-state", "live")


async def test_an_anonymous_page_load_logs_no_error(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    page = await browsing.page()
    logged: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            logged.append(message.text)

    page.on("console", keep)
    await page.goto(water.url())
    await expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    await expect(page.locator(".login-prompt").first).to_be_visible()
    assert logged == []


async def test_phones_get_no_ctrl_enter_hint(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    desktop = await browsing.page(water.alice)
    await desktop.goto(water.url())
    await expect(desktop.locator(".composer-area .shortcut-hint").first).to_have_text("Ctrl+Enter posts.")
    phone = await browsing.page(water.alice, viewport=PHONE)
    await phone.goto(water.url())
    await expect(phone.locator(".composer-area .hint").first).to_be_visible()
    await expect(phone.locator(".composer-area .shortcut-hint").first).to_be_hidden()
