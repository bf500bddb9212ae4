"""The console's queue of participants' questions in a real browser: a waiting question
arrives live, is approved, hidden with a reason and restored from the removed view."""

import pytest
from playwright.async_api import Page, expect

from tests.browser.support import LIVE_MS, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def show(console: Page, tab: str) -> None:
    await console.locator("#question-queue .question-queue-tab", has_text=tab).click()


async def test_a_participants_question_is_approved_hidden_and_restored_from_the_console(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api, moderation="pre", allow_participant_questions=True)
    console = await browsing.page(water.moderator)
    await console.goto(f"/#/console/{water.slug}")
    queue = console.locator("#question-queue")
    await expect(queue.locator(".question-queue-empty")).to_be_visible()

    posed = await api.http.post(
        f"/api/v1/spaces/{water.slug}/questions", json={"title": "Who pays?"}, headers=water.alice.headers
    )
    assert posed.status_code == 201, posed.text
    item = queue.locator(".question-queue-item", has_text="Who pays?")
    await expect(item).to_contain_text("Waiting", timeout=LIVE_MS)
    await item.get_by_role("button", name="Approve").click()
    await expect(item).to_have_count(0)

    await show(console, "Recent")
    await item.get_by_role("button", name="Hide").click()
    await expect(item.get_by_role("alert")).to_have_text("Choose a reason first.")
    await item.get_by_label("Reason").select_option("off_topic")
    await item.get_by_role("button", name="Hide").click()
    await expect(item).to_have_count(0)

    await show(console, "Hidden and rejected")
    await expect(item).to_contain_text("Hidden")
    await item.get_by_role("button", name="Restore").click()
    await expect(item).to_have_count(0)
    reader = await browsing.page()
    await reader.goto(water.url())
    await expect(reader.locator(".question-title", has_text="Who pays?")).to_be_visible()
    assert await browsing.problems() == []
