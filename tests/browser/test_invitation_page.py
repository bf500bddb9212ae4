"""The page an invitation link opens, in a real browser: the console hands out a link,
not a raw token; the link names the space, asks a visitor to log in first, joins on one
click, and says in the reader's language why a revoked link no longer works."""

import pytest
from playwright.async_api import expect

from tests.browser.support import Browsing, open_consultation
from tests.browser.test_accessibility import axe_script, serious_violations
from tests.browser.test_console import as_moderator
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def test_an_invitation_link_from_the_console_names_the_space_and_joins_on_one_click(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api, posting="invited")
    console = await browsing.page(water.moderator)
    await console.goto(f"/#/console/{water.slug}")
    await console.get_by_text("New invitation link").click()
    await console.get_by_label("Whom it is for (moderators only)").fill("Farmers")
    await console.get_by_role("button", name="Create the link").click()
    link = await console.get_by_label("Invitation link", exact=True).input_value()
    assert "/#/invitation/" in link

    visitor = await browsing.page()
    await visitor.goto(link)
    await expect(visitor.locator("h1")).to_have_text("Water and climate roundtable")
    await expect(visitor.locator(".invitation-sign-in").get_by_role("link", name="Log in")).to_have_attribute(
        "href", "#/login?next=" + link[link.index("#") :].replace("/", "%2F").replace("#", "%23")
    )

    bob = await browsing.page(water.bob, init_scripts=(axe_script(),))
    await bob.goto(link)
    join = bob.get_by_role("button", name="Join \u201cWater and climate roundtable\u201d")
    await expect(join).to_be_visible()
    assert await serious_violations(bob) == []
    await join.click()
    await expect(bob.locator(".invitation-status")).to_have_text("You have joined. You can now take part.")
    await bob.get_by_role("link", name="Go to the consultation").click()
    await expect(bob.locator("textarea").first).to_be_visible()
    assert await browsing.problems() == []


async def test_a_revoked_invitation_link_says_so_in_three_languages(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api, posting="invited")
    link = await as_moderator(api, water, "POST", f"/spaces/{water.slug}/invitations", label="Old")
    await as_moderator(api, water, "DELETE", f"/spaces/{water.slug}/invitations/{link['id']}")
    for locale, words in (
        ("en-GB", "This invitation link was withdrawn by the moderators."),
        ("fr-FR", "Ce lien d\u2019invitation a \u00e9t\u00e9 retir\u00e9 par les mod\u00e9rateurs."),
        ("es-ES", "Los moderadores retiraron este enlace de invitación."),
    ):
        page = await browsing.page(water.alice, locale=locale)
        await page.goto(f"/#/invitation/{link['token']}")
        await expect(page.get_by_role("alert")).to_have_text(words)
