"""The note page: a moderator starts from the generated draft, saves and publishes it;
a reader sees the published note with its sources; a stale save shows the conflict."""

import pytest
from playwright.async_api import expect

from tests.browser.support import Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

BOB_SAID = "Il faut des puits partagés entre les villages."


async def test_a_moderator_drafts_saves_and_publishes_and_a_reader_sees_the_sources(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    said = await api.comment(water.bob, water.questions[0]["id"], BOB_SAID, lang="fr")
    marker = f"[^c{said['id']}:0-{len(BOB_SAID)}]"
    page = await browsing.page(water.moderator)
    await page.goto(f"/#/note/{water.slug}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Background note")
    await expect(page.get_by_text("The background note has not been published yet.")).to_be_visible()
    await page.get_by_role("button", name="Add a generated draft").click()
    editor = page.get_by_role("textbox", name="The note, in Markdown")
    await expect(editor).to_have_value(
        "# How should water be shared?\n\n1 participant, writing in French, contributed 1 comment or reply "
        f"to this question; the most supported are quoted below.{marker} “{BOB_SAID}”{marker}, "
        "wrote one participant in French; no participant has supported it yet.\n"
    )
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator(".note-status")).to_have_text("Version 1")
    await expect(page.locator(".note-preview")).to_contain_text("Unsourced sentences: 0.")
    await expect(page.locator(".note-coverage")).to_contain_text("Participants cited: 1 of 1")
    await page.get_by_role("button", name="Publish this version").click()
    await expect(page.locator(".note-published")).to_contain_text(BOB_SAID)

    reader = await browsing.page()
    await reader.goto(f"/#/note/{water.slug}")
    sources = reader.locator(".note-sources li")
    await expect(sources).to_have_count(1)
    await expect(sources).to_contain_text(f"{BOB_SAID} — Participant 1")
    await expect(reader.locator(".note-editor")).to_have_count(0)

    # Another writer saves meanwhile: this page's next save is refused and shows their text.
    response = await api.http.put(
        f"/api/v1/spaces/{water.slug}/note",
        json={"markdown": "Someone else's version.", "lang": "en", "base_version": 1},
        headers=water.moderator.headers,
    )
    assert response.status_code == 200, response.text
    await editor.fill("My own edit.")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("alert")).to_contain_text("Someone saved version 2 meanwhile")
    await expect(page.locator(".note-current")).to_have_text("Someone else's version.")
    await expect(editor).to_have_value("My own edit.")
    assert await browsing.problems() == []
