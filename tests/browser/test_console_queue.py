"""The console's queue in a real browser: compact items whose tools open on the item in
focus (on a desktop and on a phone), a moderator's edit beside the comment's earlier
versions, answers marked, and a mistaken hide undone from the hidden and rejected view."""

from typing import Any

import pytest
from playwright.async_api import Page, ViewportSize, expect

from tests.browser.support import DESKTOP, LIVE_MS, PHONE, Browsing, Consultation, open_consultation
from tests.browser.test_console import as_moderator, open_console, queue_item
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

# A comment of a few sentences, as consultations get them: four or five lines in a queue item.
LONG_TEXT = (
    "Our district shares one borehole between four villages. In the dry months the queue starts "
    "before dawn and the pump breaks twice a season. A water committee with a rota and a repair "
    "fund would help, and the council should publish the borehole's readings every week."
)
# With a reason list, a note field and every button on each item, these 14 comments made the
# queue panel 3,456 px tall on a desktop and 6,338 px on a phone (pages of 3,957 and 8,383 px);
# compact, with one item open, 1,618 and 2,266 px. The bounds sit between the two.
QUEUE_MAX_PX = {"desktop": 2_000, "phone": 3_600}


async def fourteen_pending(api: Api, water: Consultation) -> None:
    for n in range(14):
        author = water.alice if n % 2 else water.bob
        await api.comment(author, water.questions[n % 2]["id"], f"Point {n + 1}. {LONG_TEXT}")


async def queue_height(page: Page) -> float:
    box = await page.locator("#queue").bounding_box()
    assert box is not None
    return box["height"]


@pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
async def test_fourteen_pending_comments_make_a_compact_queue_with_tools_on_the_item_in_focus_only(
    api: Api, browsing: Browsing, device: str, viewport: ViewportSize
) -> None:
    water = await open_consultation(api, moderation="pre")
    await fourteen_pending(api, water)
    page = await browsing.page(water.moderator, viewport=viewport)
    await page.goto(f"/#/console/{water.slug}")
    items = page.locator(".queue-item")
    await expect(items).to_have_count(14)
    await expect(page.locator(".queue-tab", has_text="Pending")).to_have_text("Pending (14)")

    # One item, the first, has its tools open; the others show none.
    await expect(page.locator(".queue-tools")).to_have_count(1)
    await expect(items.first.get_by_role("button", name="Approve")).to_be_visible()
    await expect(page.locator(".queue-reason")).to_have_count(1)
    assert await queue_height(page) < QUEUE_MAX_PX[device]

    # Moving to another item moves the tools with it, by click and by keyboard.
    await items.nth(5).click()
    await expect(items.nth(5).get_by_role("button", name="Approve")).to_be_visible()
    await expect(items.first.get_by_role("button", name="Approve")).to_have_count(0)
    await page.keyboard.press("j")
    await expect(items.nth(6)).to_be_focused()
    await expect(page.locator(".queue-tools")).to_have_count(1)
    await expect(items.nth(6).get_by_role("button", name="Reject")).to_be_visible()
    assert await queue_height(page) < QUEUE_MAX_PX[device]
    # On a phone nothing spills out sideways.
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


async def test_a_moderator_edits_a_comment_beside_its_earlier_versions_and_participants_see_the_new_text(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    comment = await api.comment(water.alice, water.questions[0]["id"], "Call Bob on 555-0100 about wells.")
    reader = await browsing.page(water.bob)
    await reader.goto(water.url())
    await expect(reader.locator(f"#comment-{comment['id']}")).to_contain_text("555-0100")
    console = await open_console(browsing, water, "Recent")

    await queue_item(console, "555-0100").get_by_role("button", name="Edit text").click()
    editor = console.locator(".comment-editor")
    await expect(editor.get_by_role("heading", name="Edit the comment by Alice Martin")).to_be_visible()
    await expect(editor.locator(".console-revisions")).to_have_text("No earlier version.")
    text = editor.get_by_label("Text (Markdown)")
    await expect(text).to_have_value("Call Bob on 555-0100 about wells.")
    await text.fill("Call Bob [number removed] about wells.")
    await editor.get_by_label("Reason").select_option("personal_data")
    await editor.get_by_role("button", name="Save the new text").click()

    await expect(editor.locator(".form-saved")).to_have_text("The new text is published.")
    earlier = editor.locator(".console-revisions .revision")
    await expect(earlier).to_have_count(1)
    await expect(earlier).to_contain_text("Call Bob on 555-0100 about wells.")
    await expect(earlier).to_contain_text("replaced by a moderator")
    seen = reader.locator(f"#comment-{comment['id']}")
    await expect(seen).to_contain_text("[number removed]", timeout=LIVE_MS)
    await expect(seen).not_to_contain_text("555-0100")
    await editor.get_by_role("button", name="Close").click()
    await expect(queue_item(console, "[number removed]")).to_contain_text("Edited by a moderator")
    await expect(queue_item(console, "[number removed]")).to_be_focused()


async def test_a_moderator_marks_an_answer_from_the_queue_and_participants_see_it_live(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    comment = await api.comment(water.alice, water.questions[0]["id"], "The ministry funds the pumps.")
    reader = await browsing.page(water.bob)
    await reader.goto(water.url())
    console = await open_console(browsing, water, "Recent")
    item = queue_item(console, "funds the pumps")

    await item.get_by_role("button", name="Mark as answer").click()

    await expect(reader.locator(f"#comment-{comment['id']} .badge-answer")).to_be_visible(timeout=LIVE_MS)
    await expect(item.locator(".badge-answer")).to_have_text("Answer")
    await item.get_by_role("button", name="Unmark answer").click()
    await expect(reader.locator(f"#comment-{comment['id']} .badge-answer")).to_have_count(0, timeout=LIVE_MS)
    await expect(item.get_by_role("button", name="Mark as answer")).to_be_visible()


async def test_a_mistaken_hide_is_undone_from_the_hidden_and_rejected_view(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    kept = await api.comment(water.alice, water.questions[0]["id"], "Wells need fences, not fines.")
    reader = await browsing.page(water.bob)
    await reader.goto(water.url())
    console = await open_console(browsing, water, "Hidden and rejected")
    await expect(console.locator(".queue-empty")).to_be_visible()

    hidden: Any = await as_moderator(
        api, water, "POST", f"/comments/{kept['id']}/decisions", action="hide", reason="offensive"
    )
    assert hidden["status"] == "hidden"
    item = queue_item(console, "Wells need fences")
    await expect(item).to_be_visible(timeout=LIVE_MS)
    await expect(item.locator(".badge-hidden")).to_have_text("Hidden")
    await expect(reader.locator(f"#comment-{kept['id']} .tombstone")).to_be_visible(timeout=LIVE_MS)

    await item.get_by_role("button", name="Restore").click()

    await expect(item).to_have_count(0, timeout=LIVE_MS)
    await expect(reader.locator(f"#comment-{kept['id']}")).to_contain_text(
        "Wells need fences", timeout=LIVE_MS
    )
    await console.locator(".queue-tab", has_text="Recent").click()
    await expect(queue_item(console, "Wells need fences")).to_be_visible()
