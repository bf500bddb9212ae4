"""Paths a participant expects to work: a mention leads to a profile page, logging in
returns to the question one was on, jump links reach any question, Escape closes the
reply, flag and delete forms, the composer says what Markdown it takes, and a long comment
opens folded with "Show more"."""

import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.support import Browsing, open_consultation
from tests.helpers import PASSWORD, Api, fetch_rows

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


def question_section(page: Page, number: int) -> Locator:
    return page.locator(".question").nth(number - 1)


async def test_a_mention_leads_to_the_participants_profile_page(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    await api.comment(water.bob, water.questions[0]["id"], f"As @{water.alice.handle} said, wells first.")
    page = await browsing.page()
    await page.goto(water.url())
    await page.get_by_role("link", name=f"@{water.alice.handle}").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Alice Martin")
    await expect(page.locator(".user-facts")).to_contain_text("Water Council")
    await expect(page.locator(".user-facts")).to_contain_text(f"@{water.alice.handle}")
    assert page.url.endswith(f"/#/users/{water.alice.handle}")
    await page.goto("/#/users/nobody_at_all")
    await expect(page.get_by_role("heading", level=1)).to_have_text("No participant has this name")


async def test_a_mention_stored_with_the_old_address_leads_to_the_profile_page_too(
    api: Api, browsing: Browsing, database_url: str
) -> None:
    water = await open_consultation(api)
    posted = await api.comment(water.bob, water.questions[0]["id"], f"Thanks @{water.alice.handle}.")
    # Comments written before mentions led to the client linked to /users/<handle>.
    await fetch_rows(
        database_url,
        "UPDATE comments SET body_html = replace(body_html, '/#/users/', '/users/')"
        " WHERE id = $1 RETURNING id",
        posted["id"],
    )
    page = await browsing.page()
    await page.goto(water.url())
    mention = page.get_by_role("link", name=f"@{water.alice.handle}")
    await expect(mention).to_have_attribute("href", f"/#/users/{water.alice.handle}")
    await mention.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Alice Martin")


async def test_logging_in_from_the_second_question_returns_to_it(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    page = await browsing.page(viewport={"width": 1280, "height": 600})
    await page.goto(water.url())
    await question_section(page, 2).get_by_role("link", name="Log in to post").click()
    await page.get_by_label("Email").fill(water.alice.email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()

    heading = question_section(page, 2).get_by_role("heading", level=3)
    await expect(heading).to_be_focused()
    await expect(heading).to_be_in_viewport()
    await expect(question_section(page, 2).locator(".composer-area textarea")).to_be_visible()


async def test_jump_links_lead_to_each_question_and_the_keyboard_goes_on_from_there(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    page = await browsing.page(water.alice, viewport={"width": 1280, "height": 600})
    await page.goto(water.url())
    jump = page.get_by_role("navigation", name="Go to a question")
    await expect(jump.get_by_role("link")).to_have_text(
        ["1. How should water be shared?", "2. Who is missing from the table?"]
    )
    await jump.get_by_role("link", name="2. Who is missing from the table?").click()
    heading = question_section(page, 2).get_by_role("heading", level=3)
    await expect(heading).to_be_focused()
    await expect(heading).to_be_in_viewport()
    assert page.url.endswith(water.url())  # still the same page, nothing remounted


async def test_escape_closes_the_reply_flag_and_delete_forms(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    await api.comment(water.bob, water.questions[0]["id"], "Shared wells.")
    await api.comment(water.alice, water.questions[0]["id"], "My own view.")
    page = await browsing.page(water.alice)
    await page.goto(water.url())
    theirs = page.locator(".comment", has_text="Shared wells.")
    mine = page.locator(".comment", has_text="My own view.")

    await theirs.get_by_role("button", name="Reply").click()
    await theirs.locator("textarea").press_sequentially("Half a tho")
    await page.keyboard.press("Escape")
    await expect(theirs.locator(".composer-reply")).to_have_count(0)
    await expect(theirs.get_by_role("button", name="Reply")).to_be_focused()

    await theirs.get_by_role("button", name="Flag").click()
    await page.keyboard.press("Escape")
    await expect(theirs.locator(".flag-form")).to_have_count(0)
    await expect(theirs.get_by_role("button", name="Flag")).to_be_focused()

    await mine.get_by_role("button", name="Delete").click()
    await page.keyboard.press("Escape")
    await expect(mine.locator(".delete-form")).to_have_count(0)
    await expect(mine.locator(".comment-body")).to_have_text("My own view.")


async def test_the_composer_says_what_markdown_it_takes_and_what_it_does_not(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    page = await browsing.page(water.alice)
    await page.goto(water.url())
    composer = question_section(page, 1).locator(".composer-area")
    help_text = composer.locator(".markdown-help")
    await expect(help_text.locator("li")).to_have_count(8)
    await expect(help_text.locator("li").first).to_be_hidden()  # folded until asked
    await help_text.get_by_text("Formatting").click()
    await expect(help_text.locator("li").first).to_have_text("**bold** bold")
    await expect(help_text).to_contain_text("Headings, tables, images and HTML are not supported")


async def test_a_long_comment_opens_folded_and_unfolds_on_show_more(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    long_text = "\n\n".join(
        f"Paragraph {n}: " + "the basin needs shared monitoring. " * 12 for n in range(15)
    )
    await api.comment(water.bob, water.questions[0]["id"], long_text)
    await api.comment(water.bob, water.questions[0]["id"], "A short one.")
    page = await browsing.page()
    await page.goto(water.url())
    long_comment = page.locator(".comment", has_text="Paragraph 0")
    body = long_comment.locator(".comment-body")
    more = long_comment.get_by_role("button", name="Show more")
    await expect(more).to_have_attribute("aria-expanded", "false")
    folded = await body.evaluate("(el) => el.getBoundingClientRect().height")
    assert folded < 400, folded
    await expect(page.locator(".comment", has_text="A short one.").locator(".show-more")).to_be_hidden()

    await more.click()
    less = long_comment.get_by_role("button", name="Show less")
    await expect(less).to_have_attribute("aria-expanded", "true")
    unfolded = await body.evaluate("(el) => el.getBoundingClientRect().height")
    assert unfolded > 4 * folded, (folded, unfolded)
    await less.click()
    await expect(long_comment.get_by_role("button", name="Show more")).to_be_visible()
