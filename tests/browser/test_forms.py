"""Forms that say what is wrong: registration and the profile mark each field at fault
beside it, before sending and when the server refuses; the composer counts down near its
limit and says by how much a pasted text is too long instead of cutting it."""

import pytest
from playwright.async_api import Page, expect

from tests.browser.support import Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

# client/views/composer.js and server/schemas/comments.py: COMMENT_MAX_CHARS
COMMENT_MAX_CHARS = 10_000


async def field_error(page: Page, field_label: str) -> str:
    """The error line the field is marked invalid with (the one its aria-describedby names)."""
    box = page.get_by_label(field_label, exact=True)
    await expect(box).to_have_attribute("aria-invalid", "true")
    described = await box.get_attribute("aria-describedby")
    assert described
    return await page.locator(f"#{described}").inner_text()


async def test_registration_marks_each_field_at_fault_and_sends_nothing_until_they_are_right(
    api: Api, browsing: Browsing
) -> None:
    taken = await api.register("Taken Already")
    page = await browsing.page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.url.endswith("/auth/register") else None)
    await page.goto("/#/register")
    await page.get_by_label("Email").fill("not an address")
    await page.get_by_label("Password (at least 8 characters)").fill("short")
    await page.get_by_role("button", name="Create the account").click()

    assert await field_error(page, "Name shown with your comments") == "Fill this in."
    assert await field_error(page, "Email") == "Enter an email address such as name@example.org."
    assert await field_error(page, "Password (at least 8 characters)") == "At least 8 characters."
    await expect(page.get_by_label("Organisation (optional)")).not_to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_role("alert")).to_have_text("Check the fields marked above.")
    await expect(page.get_by_label("Name shown with your comments")).to_be_focused()
    assert requests == []

    # Put right, a field clears itself; a refusal from the server lands on its field too.
    await page.get_by_label("Name shown with your comments").fill("Carla Diaz")
    await expect(page.get_by_label("Name shown with your comments")).not_to_have_attribute(
        "aria-invalid", "true"
    )
    await page.get_by_label("Email").fill(taken.email)
    await page.get_by_label("Password (at least 8 characters)").fill("a long enough password")
    await page.get_by_role("button", name="Create the account").click()
    assert await field_error(page, "Email") == "An account with this email already exists."
    await expect(page.get_by_label("Password (at least 8 characters)")).not_to_have_attribute(
        "aria-invalid", "true"
    )
    await expect(page.get_by_label("Email")).to_be_focused()


async def test_the_profile_refuses_a_blank_name_beside_the_field(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    page = await browsing.page(water.alice)
    await page.goto("/#/profile")
    await page.get_by_label("Name shown with your comments").fill("   ")
    await page.get_by_role("button", name="Save").click()
    assert await field_error(page, "Name shown with your comments") == "Fill this in."
    me = await page.request.get("/api/v1/me")
    assert (await me.json())["display_name"] == "Alice Martin"


async def test_the_composer_counts_down_near_the_limit_and_refuses_a_paste_over_it(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    page = await browsing.page(water.alice)
    await page.goto(water.url())
    composer = page.locator(".question").first.locator(".composer-area")
    box = composer.locator("textarea")
    counter = composer.locator(".char-counter")
    await box.fill("A short thought.")
    await expect(counter).to_be_hidden()

    await box.fill("x" * (COMMENT_MAX_CHARS - 10))
    await expect(counter).to_have_text("10 characters left")
    await box.fill("y" * (COMMENT_MAX_CHARS + 1))  # as a paste would: nothing is cut
    await expect(box).to_have_value("y" * (COMMENT_MAX_CHARS + 1))
    await expect(counter).to_have_text("1 character too many")
    await composer.get_by_role("button", name="Post").click()
    await expect(composer.get_by_role("alert")).to_have_text(
        "A comment can be at most 10,000 characters long: shorten it, or split it into two."
    )
    await expect(page.locator(".thread .comment")).to_have_count(0)
