"""The console's audit log in a real browser: entries in words in the reader's language
(a comment by its author and opening words, not its number),
filtered by action, moderator, target, reason and time, with downloads that carry the
same filters, and new entries arriving live when they match."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import expect

from tests.browser.support import LIVE_MS, Browsing, open_consultation
from tests.browser.test_console import as_moderator, open_console
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


def hid(author: str, excerpt: str) -> str:
    """How the log says a comment was hidden: by its author and its opening words."""
    return f"hid {author}\u2019s comment \u201c{excerpt}\u201d"


async def test_the_audit_log_reads_in_words_and_filters_by_action_reason_moderator_and_target(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    spam = await api.comment(water.alice, water.questions[0]["id"], "Cheap watches!")
    rude = await api.comment(water.bob, water.questions[0]["id"], "You are all fools.")
    await as_moderator(api, water, "POST", f"/comments/{spam['id']}/decisions", action="hide", reason="spam")
    await as_moderator(
        api,
        water,
        "POST",
        f"/comments/{rude['id']}/decisions",
        action="hide",
        reason="offensive",
        note="Second time today.",
    )
    await as_moderator(api, water, "POST", f"/spaces/{water.slug}/lock", reason="pause")
    console = await open_console(browsing, water)
    log = console.locator("#audit")

    entries = log.locator(".audit-entry")
    # Newest first; the admin's questions, posted before, come after these three.
    await expect(entries).to_have_count(5)
    await expect(entries.nth(4)).to_contain_text("posted the question “")
    await expect(entries.nth(0)).to_contain_text("Maya Moderator locked the space: Planned pause")
    await expect(entries.nth(1)).to_contain_text(
        "Maya Moderator " + hid("Bob Okafor", "You are all fools.") + ": Offensive"
    )
    await expect(entries.nth(1)).to_contain_text("Second time today.")
    await expect(entries.nth(2)).to_contain_text(
        "Maya Moderator " + hid("Alice Martin", "Cheap watches!") + ": Spam"
    )
    await expect(log).not_to_contain_text("comment.hide")

    await log.get_by_text("Filter the log").click()
    await log.get_by_label("What was done").select_option(label="Someone hid a comment")
    await log.get_by_label("Reason").select_option("spam")
    await log.get_by_label("By").select_option(label="Maya Moderator")
    await log.get_by_role("button", name="Show matching entries").click()
    await expect(entries).to_have_count(1)
    await expect(entries).to_contain_text(hid("Alice Martin", "Cheap watches!") + ": Spam")
    csv = await log.get_by_role("link", name="Download CSV").get_attribute("href")
    assert csv is not None
    query = parse_qs(urlsplit(csv).query)
    assert query == {
        "action": ["comment.hide"],
        "actor_id": [str(water.moderator.id)],
        "reason": ["spam"],
        "format": ["csv"],
    }
    download = await api.http.get(csv, headers=water.moderator.headers)
    assert download.status_code == 200
    assert len(download.text.strip().splitlines()) == 2  # the header and the one entry

    # A matching entry arrives live; one that does not match stays out.
    await as_moderator(api, water, "DELETE", f"/spaces/{water.slug}/lock")
    again = await api.comment(water.alice, water.questions[1]["id"], "More cheap watches!")
    await as_moderator(api, water, "POST", f"/comments/{again['id']}/decisions", action="hide", reason="spam")
    await expect(entries).to_have_count(2, timeout=LIVE_MS)
    await expect(entries.first).to_contain_text(hid("Alice Martin", "More cheap watches!") + ": Spam")

    await log.get_by_role("button", name="Clear the filters").click()
    await log.get_by_label("On", exact=True).select_option(label="a comment")
    await log.get_by_label("Number").fill(str(rude["id"]))
    await log.get_by_role("button", name="Show matching entries").click()
    await expect(entries).to_have_count(1)
    await expect(entries).to_contain_text("Offensive")


async def test_the_audit_log_speaks_french_and_spanish(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    spam = await api.comment(water.alice, water.questions[0]["id"], "Cheap watches!")
    await as_moderator(api, water, "POST", f"/comments/{spam['id']}/decisions", action="hide", reason="spam")
    for locale, words in (
        ("fr-FR", "Maya Moderator a masqué le commentaire « Cheap watches! » (Alice Martin) : Spam"),
        ("es-ES", "Maya Moderator ocultó el comentario «Cheap watches!» (Alice Martin): "),
    ):
        page = await browsing.page(water.moderator, locale=locale)
        await page.goto(f"/#/console/{water.slug}")
        await expect(page.locator(".audit-entry").first).to_contain_text(words)
