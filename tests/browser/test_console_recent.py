"""The console's recent queue keeps itself current: comments that age out of the window
leave it (and its count) without a reload, although no event announces it."""

import asyncio
from typing import Any

import pytest
from playwright.async_api import expect

from server.running.settings import Settings
from tests.browser.support import LIVE_MS, Browsing, open_consultation
from tests.browser.test_console import queue_item
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

# A window short enough for a comment to age out during the test.
RECENT_SECS = 2.0
# client/views/console/queue.js: RECENT_REFRESH_MS, and a second more.
PAST_REFRESH = "00:31"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, redis_url=None, queue_recent_secs=RECENT_SECS)


async def test_the_recent_queue_drops_a_comment_that_ages_out_of_its_window_by_itself(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    console = await browsing.page(water.moderator)
    # The page's clock is ours, so the console's refresh comes when the test says.
    await console.clock.install()
    await console.goto(f"/#/console/{water.slug}")
    await console.locator(".queue-tab", has_text="Recent").click()
    tab = console.locator(".queue-tab", has_text="Recent")
    await expect(tab).to_have_attribute("aria-pressed", "true")

    await api.comment(water.alice, water.questions[0]["id"], "Fresh for a moment.")
    item = queue_item(console, "Fresh for a moment.")
    await expect(item).to_be_visible(timeout=LIVE_MS)
    await expect(tab).to_have_text("Recent (1)")

    # Wait, bounded, until the server no longer counts it as recent.
    async with asyncio.timeout(10):
        while True:
            response = await api.http.get(
                f"/api/v1/spaces/{water.slug}/queue?kind=recent", headers=water.moderator.headers
            )
            page: dict[str, Any] = response.json()
            if page["counts"]["recent"] == 0:
                break
            await asyncio.sleep(0.2)
    # No event says so: until the console reads the queue again, the item stays.
    await expect(item).to_be_visible()

    await console.clock.fast_forward(PAST_REFRESH)

    await expect(item).to_have_count(0, timeout=LIVE_MS)
    await expect(tab).to_have_text("Recent (0)")
    await expect(console.locator(".queue-empty")).to_be_visible()
