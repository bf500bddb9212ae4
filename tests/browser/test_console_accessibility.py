"""The moderator console passes axe-core (no serious or critical violation) with every
panel in use: the compact queue with an item open, the comment editor beside its
revisions, the author's actions, the audit filters, invitations and the spotlight queue."""

import pytest
from playwright.async_api import Page, expect

from tests.browser.support import DESKTOP, PHONE, Browsing, open_consultation
from tests.browser.test_accessibility import axe_script, serious_violations
from tests.browser.test_console import as_moderator, queue_item
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def no_violations(page: Page) -> None:
    assert await serious_violations(page) == []


@pytest.mark.parametrize("phone", [False, True])
async def test_axe_finds_no_serious_or_critical_violation_in_the_console_panels(
    api: Api, browsing: Browsing, phone: bool
) -> None:
    water = await open_consultation(api)
    first = await api.comment(water.alice, water.questions[0]["id"], "Shared wells, **managed** locally.")
    await api.comment(water.bob, water.questions[1]["id"], "Les communes rurales.", lang="fr")
    await as_moderator(api, water, "POST", f"/spaces/{water.slug}/spotlight/next", comment_id=first["id"])
    await as_moderator(
        api, water, "PUT", f"/spaces/{water.slug}/held-participants/{water.bob.id}", note="New account."
    )
    await as_moderator(api, water, "POST", f"/spaces/{water.slug}/invitations", label="Farmers")
    page = await browsing.page(
        water.moderator, viewport=PHONE if phone else DESKTOP, init_scripts=(axe_script(),)
    )
    await page.goto(f"/#/console/{water.slug}")
    await page.locator(".queue-tab", has_text="Recent").click()
    await expect(page.locator(".queue-item")).to_have_count(2)
    await expect(page.locator(".queue-tools")).to_have_count(1)
    await expect(page.locator(".hold-item")).to_have_count(1)
    await expect(page.locator(".invitation-item")).to_have_count(1)
    await page.get_by_text("Filter the log").click()
    await page.get_by_text("New invitation link").click()
    await no_violations(page)

    await queue_item(page, "Shared wells").click()
    await queue_item(page, "Shared wells").get_by_role("button", name="Edit text").click()
    await expect(page.locator(".comment-editor .console-revisions")).to_have_text("No earlier version.")
    await no_violations(page)
    await page.keyboard.press("Escape")
    await expect(page.locator(".comment-editor")).to_be_hidden()

    await queue_item(page, "Shared wells").get_by_role("button", name="Alice Martin…").click()
    await expect(page.locator(".author-dialog .note-list")).to_have_text("No note yet.")
    await no_violations(page)


async def test_axe_finds_no_serious_violation_in_the_participants_questions_queue_in_three_languages(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api, moderation="pre", allow_participant_questions=True)
    posed = await api.http.post(
        f"/api/v1/spaces/{water.slug}/questions", json={"title": "Who pays?"}, headers=water.alice.headers
    )
    assert posed.status_code == 201, posed.text
    for locale in ("en-GB", "fr-FR", "es-ES"):
        page = await browsing.page(water.moderator, locale=locale, init_scripts=(axe_script(),))
        await page.goto(f"/#/console/{water.slug}")
        await expect(page.locator(".question-queue-item")).to_have_count(1)
        await no_violations(page)
