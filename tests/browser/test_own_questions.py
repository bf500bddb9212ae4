"""A participant poses their own question from the participant view; under
pre-moderation it waits, seen by its author as waiting and by nobody else,
until a moderator approves it."""

import pytest
from playwright.async_api import expect

from tests.browser.support import LIVE_MS, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def test_a_participant_poses_a_question_that_waits_under_pre_moderation(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api, moderation="pre", allow_participant_questions=True)
    alice = await browsing.page(water.alice)
    bob = await browsing.page(water.bob)
    anonymous = await browsing.page()
    for page in (alice, bob, anonymous):
        await page.goto(water.url())
    # Only a signed-in participant is offered the form.
    await expect(anonymous.get_by_role("button", name="Send your question")).to_have_count(0)

    await alice.get_by_role("textbox", name="Your question").fill("Who pays for the pipes?")
    await alice.get_by_role("button", name="Send your question").click()
    await expect(alice.locator(".own-question-result")).to_have_text(
        "Your question is waiting for moderation."
    )
    await expect(alice.get_by_role("textbox", name="Your question")).to_have_value("")

    mine = alice.locator(".question", has_text="Who pays for the pipes?")
    await expect(mine.get_by_text("Waiting for moderation")).to_be_visible(timeout=LIVE_MS)
    for other in (bob, anonymous):
        await expect(other.get_by_text("Who pays for the pipes?")).to_have_count(0)

    queue = await api.http.get(
        f"/api/v1/spaces/{water.slug}/queue?kind=pending", headers=water.moderator.headers
    )
    [waiting] = queue.json()["questions"]
    approved = await api.http.post(
        f"/api/v1/questions/{waiting['question']['id']}/decisions",
        json={"action": "approve"},
        headers=water.moderator.headers,
    )
    assert approved.status_code == 200, approved.text
    for page in (alice, bob, anonymous):
        await expect(page.locator(".question-title", has_text="Who pays for the pipes?")).to_be_visible(
            timeout=LIVE_MS
        )
    await expect(mine.get_by_text("Waiting for moderation")).to_have_count(0)
