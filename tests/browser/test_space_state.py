"""One state for the space that every part of the participant view reads: a paused space says
so everywhere and offers no button that would only be refused; pinned comments lead their
thread; nobody is told that they themselves are writing."""

import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.support import LIVE_MS, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


def thread_texts(page: Page) -> Locator:
    return page.locator(".question").first.locator(".thread > .comment-item > .comment .comment-body")


async def test_a_locked_space_reads_as_paused_everywhere_and_offers_no_support_button(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    await api.comment(water.bob, water.questions[0]["id"], "Shared wells.")
    page = await browsing.page(water.alice)
    await page.goto(water.url())
    await expect(page.locator(".support-button")).to_have_count(1)

    response = await api.http.post(
        f"/api/v1/spaces/{water.slug}/lock", json={"reason": "pause"}, headers=water.moderator.headers
    )
    assert response.status_code == 200, response.text

    await expect(page.locator(".space-status")).to_contain_text("Paused by the moderators", timeout=LIVE_MS)
    await expect(page.locator(".space-status")).not_to_contain_text("Open for comments")
    await expect(page.locator(".support-button")).to_have_count(0)
    notice = page.locator(".question").first.locator(".composer-area .notice")
    await expect(notice).to_have_text(
        "The moderators have paused this consultation: comments are closed until they resume it."
    )
    await expect(page.get_by_text("see above")).to_have_count(0)


async def test_a_pinned_comment_is_marked_and_leads_its_thread_live(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    question_id = water.questions[0]["id"]
    await api.comment(water.alice, question_id, "First in time.")
    later = await api.comment(water.bob, question_id, "Worth reading first.")
    page = await browsing.page(water.alice)
    await page.goto(water.url())
    await expect(thread_texts(page)).to_have_text(["First in time.", "Worth reading first."])

    response = await api.http.post(
        f"/api/v1/comments/{later['id']}/decisions", json={"action": "pin"}, headers=water.moderator.headers
    )
    assert response.status_code == 200, response.text

    await expect(thread_texts(page)).to_have_text(["Worth reading first.", "First in time."], timeout=LIVE_MS)
    pinned = page.locator(".comment", has_text="Worth reading first.")
    await expect(pinned.locator(".badge-pinned")).to_have_text("Pinned")
    # Newest first or oldest first, the pinned comment stays on top.
    await page.locator(".question").first.get_by_label("Order").select_option("newest")
    await expect(thread_texts(page)).to_have_text(["Worth reading first.", "First in time."])


async def test_a_writer_is_not_counted_among_those_writing_on_their_own_page(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    alice = await browsing.page(water.alice)
    bob = await browsing.page(water.bob)
    await alice.goto(water.url())
    await bob.goto(water.url())
    await expect(bob.locator("#connection")).to_have_attribute("data-state", "live")

    await alice.locator(".question").first.locator("textarea").press_sequentially("Rain")
    # Writing signals travel with presence, pushed once per presence interval (1 s):
    # allow a whole interval beside the live delay.
    await expect(bob.locator(".question").first.locator(".question-writing")).to_have_text(
        "1 person is writing…", timeout=LIVE_MS + 2_000
    )
    await expect(alice.locator(".question").first.locator(".question-writing")).to_be_hidden()


async def test_pinned_and_answered_comments_lead_the_screens_wall_live(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    question_id = water.questions[0]["id"]
    answer = await api.comment(water.moderator, question_id, "The ministry will answer by June.")
    pinned = await api.comment(water.alice, question_id, "Wells first, then pipes.")
    await api.comment(water.bob, question_id, "Newest of all.")
    screen = await browsing.page()
    await screen.goto(water.screen_url)
    wall = screen.locator(".wall-item .wall-body")
    await expect(wall).to_have_text(
        ["Newest of all.", "Wells first, then pipes.", "The ministry will answer by June."]
    )

    for comment_id, action in ((answer["id"], "mark_answer"), (pinned["id"], "pin")):
        response = await api.http.post(
            f"/api/v1/comments/{comment_id}/decisions",
            json={"action": action},
            headers=water.moderator.headers,
        )
        assert response.status_code == 200, response.text

    await expect(wall).to_have_text(
        ["Wells first, then pipes.", "The ministry will answer by June.", "Newest of all."], timeout=LIVE_MS
    )
    await expect(screen.locator(".wall-item").first.locator(".badge-pinned")).to_have_text("Pinned")
    await expect(screen.locator(".wall-item").nth(1).locator(".badge-answer")).to_be_visible()
    # A newer comment arrives below them, not above.
    await api.comment(water.bob, question_id, "Later still.")
    await expect(wall).to_have_text(
        ["Wells first, then pipes.", "The ministry will answer by June.", "Later still.", "Newest of all."],
        timeout=LIVE_MS,
    )
    # A fresh screen draws the same order from its snapshot.
    await screen.reload()
    await expect(wall).to_have_text(
        ["Wells first, then pipes.", "The ministry will answer by June.", "Later still.", "Newest of all."]
    )
