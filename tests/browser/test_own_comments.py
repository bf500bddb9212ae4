"""A participant's own comments in a real browser: edited in place with the earlier versions
on show, deleted after a second word, and both seen live by everyone else."""

import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.support import LIVE_MS, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


def comment(page: Page, text: str) -> Locator:
    return page.locator(".comment", has_text=text)


async def test_an_author_edits_their_comment_and_sees_its_earlier_version(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    await api.comment(water.alice, water.questions[0]["id"], "Metering helps **everyone**.")
    await api.comment(water.bob, water.questions[0]["id"], "Not the poorest.")
    alice = await browsing.page(water.alice)
    bob = await browsing.page(water.bob)
    await alice.goto(water.url())
    await bob.goto(water.url())

    # Only one's own comments can be edited or deleted.
    await expect(comment(alice, "Not the poorest.").get_by_role("button", name="Edit")).to_have_count(0)
    await expect(comment(bob, "Metering helps").get_by_role("button", name="Edit")).to_have_count(0)
    mine = comment(alice, "Metering helps")
    await mine.get_by_role("button", name="Edit").click()
    box = mine.get_by_role("textbox", name="Edit your comment")
    await expect(box).to_be_focused()
    await expect(box).to_have_value("Metering helps **everyone**.")
    await box.fill("Metering helps, with a free first block.")
    await mine.get_by_role("button", name="Save changes").click()

    # The edit's live event can redraw the text a moment before the answer closes the form.
    await expect(mine.locator(".composer-edit")).to_have_count(0)
    edited = comment(alice, "with a free first block")
    await expect(edited.get_by_role("textbox")).to_have_count(0)
    await expect(edited.locator(".comment-body")).to_have_text("Metering helps, with a free first block.")
    await expect(edited.get_by_role("button", name="Edit")).to_be_focused()
    await edited.get_by_text("(edited: earlier versions)").click()
    await expect(edited.locator(".revision-body")).to_have_text(["Metering helps **everyone**."])
    # Everyone else sees the new text, marked as edited.
    theirs = comment(bob, "with a free first block")
    await expect(theirs).to_be_visible(timeout=LIVE_MS)
    await expect(theirs.locator(".comment-edited")).to_have_text("(edited)")


async def test_an_author_deletes_their_comment_after_confirming_and_it_becomes_a_tombstone(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    await api.comment(water.alice, water.questions[0]["id"], "A thought I regret.")
    alice = await browsing.page(water.alice)
    bob = await browsing.page(water.bob)
    await alice.goto(water.url())
    await bob.goto(water.url())

    mine = comment(alice, "A thought I regret.")
    await mine.get_by_role("button", name="Delete").click()
    await mine.get_by_role("button", name="Keep it").click()
    await expect(mine.get_by_role("button", name="Delete")).to_be_focused()
    await expect(mine.locator(".comment-body")).to_have_text("A thought I regret.")

    await mine.get_by_role("button", name="Delete").click()
    await mine.get_by_role("button", name="Delete comment").click()
    for page in (alice, bob):
        tombstone = page.locator(".comment.is-tombstone .comment-body")
        await expect(tombstone).to_have_text("This comment was deleted by its author.", timeout=LIVE_MS)
        await expect(page.get_by_text("A thought I regret.")).to_have_count(0)
