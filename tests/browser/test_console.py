"""The moderator console in a real browser: decisions reach participants and screens
within a second, pre-moderation from waiting to published, the spotlight on a screen,
moderation from the keyboard alone, and the console closed to everyone else."""

import re
from typing import Any

import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.support import LIVE_MS, Browsing, Consultation, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def screen_token(api: Api, water: Consultation) -> str:
    response = await api.http.post(
        f"/api/v1/spaces/{water.slug}/screens", json={"name": "Plenary hall"}, headers=water.moderator.headers
    )
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


async def open_console(browsing: Browsing, water: Consultation, kind: str = "Pending") -> Page:
    page = await browsing.page(water.moderator)
    await page.goto(f"/#/console/{water.slug}")
    await expect(page.locator("#console-title")).to_have_text(water_title(water))
    await page.locator(".queue-tab", has_text=kind).click()
    await expect(page.locator(".queue-tab", has_text=kind)).to_have_attribute("aria-pressed", "true")
    return page


def water_title(water: Consultation) -> str:
    return "Water and climate roundtable"


def queue_item(page: Page, text: str) -> Locator:
    return page.locator(".queue-item", has_text=text)


async def as_moderator(api: Api, water: Consultation, method: str, path: str, **body: Any) -> Any:
    response = await api.http.request(
        method, f"/api/v1{path}", json=body or None, headers=water.moderator.headers
    )
    assert response.status_code < 300, response.text
    return response.json()


async def test_a_comment_hidden_in_the_console_leaves_the_participant_view_and_the_screen_within_a_second(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    await api.comment(water.alice, water.questions[0]["id"], "Cheap watches at example.com!")
    await api.comment(water.alice, water.questions[0]["id"], "Shared wells work.")
    token = await screen_token(api, water)
    reader = await browsing.page(water.bob)
    await reader.goto(water.url())
    screen = await browsing.page()
    await screen.goto(f"{water.screen_url}?token={token}")
    await expect(screen.locator(".wall-item", has_text="Cheap watches")).to_be_visible()
    await expect(reader.locator(".comment", has_text="Cheap watches")).to_be_visible()
    console = await open_console(browsing, water, "Recent")

    item = queue_item(console, "Cheap watches")
    # Only the item in focus opens its tools.
    await expect(item.get_by_label("Reason")).to_have_count(0)
    await item.click()
    await item.get_by_label("Reason").select_option("spam")
    await item.get_by_label("Note for moderators").fill("Advertising.")
    await item.get_by_role("button", name="Hide").click()

    await expect(screen.locator(".wall-item", has_text="Cheap watches")).to_have_count(0, timeout=LIVE_MS)
    tombstone = reader.locator(".comment .tombstone")
    await expect(tombstone).to_contain_text("Removed by a moderator: Spam,", timeout=LIVE_MS)
    await expect(reader.locator(".comment", has_text="Cheap watches")).to_have_count(0)
    await expect(screen.locator(".wall-item", has_text="Shared wells work.")).to_be_visible()
    await expect(queue_item(console, "Cheap watches")).to_have_count(0)
    await expect(console.locator(".queue-tab", has_text="Recent")).to_have_text("Recent (1)")
    # The decision is in the live audit log, with its reason and note.
    entry = console.locator(".audit-entry", has_text="Maya Moderator hid Alice Martin\u2019s comment")
    await expect(entry).to_contain_text(": Spam")
    await expect(entry).to_contain_text("Advertising.")
    await expect(console.get_by_role("link", name="Download CSV")).to_have_attribute(
        "href", f"/api/v1/spaces/{water.slug}/audit?format=csv"
    )


async def test_under_pre_moderation_the_author_sees_waiting_until_a_moderator_approves_in_the_console(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api, moderation="pre")
    alice = await browsing.page(water.alice)
    bob = await browsing.page(water.bob)
    for page in (alice, bob):
        await page.goto(water.url())
        await expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    console = await open_console(browsing, water)
    await expect(console.locator(".queue-tab", has_text="Pending")).to_have_text("Pending (0)")

    await alice.locator(".question").first.locator("textarea").fill("Held for a *careful* look.")
    await alice.locator(".question").first.get_by_role("button", name="Post comment").click()
    mine = alice.locator(".comment", has_text="Held for a careful look.")
    await expect(mine.locator(".badge-pending")).to_have_text("Waiting for moderation")
    item = queue_item(console, "Held for a careful look.")
    await expect(item).to_be_visible(timeout=LIVE_MS)
    await expect(console.locator(".queue-tab", has_text="Pending")).to_have_text("Pending (1)")
    await expect(bob.locator(".comment")).to_have_count(0)

    await item.get_by_role("button", name="Approve").click()

    await expect(bob.locator(".comment", has_text="Held for a careful look.")).to_be_visible(timeout=LIVE_MS)
    await expect(mine.locator(".badge-pending")).to_have_count(0, timeout=LIVE_MS)
    await expect(mine).to_have_attribute("data-status", "published")
    await expect(alice.locator("#announcer")).to_have_text("Your comment was published.")
    await expect(item).to_have_count(0)
    await expect(console.locator(".queue-tab", has_text="Pending")).to_have_text("Pending (0)")


async def test_an_author_whose_held_comment_is_rejected_sees_why(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api, moderation="pre")
    held = await api.comment(water.alice, water.questions[0]["id"], "Call me on 555-0100.")
    alice = await browsing.page(water.alice)
    await alice.goto(water.url())
    mine = alice.locator(f"#comment-{held['id']}")
    await expect(mine.locator(".badge-pending")).to_be_visible()

    await as_moderator(
        api, water, "POST", f"/comments/{held['id']}/decisions", action="reject", reason="personal_data"
    )

    await expect(mine.locator(".tombstone")).to_contain_text(
        "Not published by a moderator: Personal data,", timeout=LIVE_MS
    )


async def test_the_screen_shows_a_spotlight_set_from_the_console_until_the_comment_is_hidden(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    chosen = await api.comment(water.alice, water.questions[0]["id"], "Rainwater tanks in **every** school.")
    token = await screen_token(api, water)
    screen = await browsing.page()
    await screen.goto(f"{water.screen_url}?token={token}")
    await expect(screen.locator(".wall-item")).to_have_count(1)
    await expect(screen.locator(".screen-spotlight")).to_be_hidden()
    console = await open_console(browsing, water, "Recent")

    await queue_item(console, "Rainwater tanks").get_by_role("button", name="Show on screens").click()

    spotlight = screen.locator(".screen-spotlight")
    await expect(spotlight).to_contain_text("Rainwater tanks in every school.", timeout=LIVE_MS)
    await expect(spotlight.locator("strong")).to_have_text("every")
    await expect(spotlight).to_contain_text("Alice Martin")
    await expect(console.locator(".spotlight-now")).to_contain_text("Rainwater tanks")
    await expect(screen.locator(".screen-question")).to_be_hidden()

    await as_moderator(
        api, water, "POST", f"/comments/{chosen['id']}/decisions", action="hide", reason="off_topic"
    )
    await expect(spotlight).to_be_hidden(timeout=LIVE_MS)
    await expect(screen.locator(".wall-item")).to_have_count(0)
    await expect(console.locator(".spotlight-now")).to_have_text("Nothing in the spotlight.")


async def test_a_moderator_approves_with_keyboard_shortcuts_that_do_not_fire_while_typing(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api, moderation="pre")
    await api.comment(water.alice, water.questions[0]["id"], "First in line.")
    await api.comment(water.bob, water.questions[1]["id"], "Second in line.")
    console = await open_console(browsing, water)
    first, second = queue_item(console, "First in line."), queue_item(console, "Second in line.")
    await expect(first).to_have_attribute("aria-current", "true")
    await expect(console.locator(".shortcuts")).to_contain_text("approve")

    await console.keyboard.press("j")
    await expect(second).to_have_attribute("aria-current", "true")
    await expect(second).to_be_focused()
    await console.keyboard.press("k")
    await expect(first).to_be_focused()
    await console.keyboard.press("a")

    await expect(first).to_have_count(0, timeout=LIVE_MS)
    await expect(second).to_be_focused()  # the next item takes its place
    await expect(console.locator(".queue-tab", has_text="Pending")).to_have_text("Pending (1)")
    note = second.get_by_label("Note for moderators")
    await note.focus()
    await console.keyboard.type("a note, not an approval")
    await expect(note).to_have_value("a note, not an approval")
    await expect(second).to_be_visible()
    await expect(console.locator(".queue-tab", has_text="Pending")).to_have_text("Pending (1)")
    # Hiding needs a reason: the shortcut asks for one instead of guessing.
    await console.keyboard.press("Escape")
    await second.focus()
    await console.keyboard.press("r")
    await expect(second.locator(".form-error")).to_have_text("Choose a reason first.")
    await expect(second.get_by_label("Reason")).to_be_focused()


async def test_the_console_is_closed_to_participants_and_linked_from_the_space_for_moderators(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    participant = await browsing.page(water.alice)
    await participant.goto(f"/#/console/{water.slug}")
    await expect(participant.locator(".not-moderator")).to_have_text(
        "You are not a moderator of this consultation, so its console is not open to you."
    )
    await participant.goto(water.url())
    await expect(participant.locator(".comment, .question").first).to_be_visible()
    await expect(participant.get_by_role("link", name="Moderator console")).to_have_count(0)

    moderator = await browsing.page(water.moderator)
    await moderator.goto(water.url())
    await moderator.get_by_role("link", name="Moderator console").click()
    await expect(moderator.locator("#console-title")).to_have_text(water_title(water))


async def test_a_flag_from_a_participant_reaches_the_flagged_queue_and_the_author_can_be_muted(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    await api.comment(water.alice, water.questions[0]["id"], "Everyone here is a fool.")
    console = await open_console(browsing, water, "Flagged")
    bob = await browsing.page(water.bob)
    await bob.goto(water.url())

    await bob.locator(".comment", has_text="fool").get_by_role("button", name="Flag").click()
    await bob.get_by_label("Why?").select_option("offensive")
    await bob.get_by_role("button", name="Send to the moderators").click()
    await expect(bob.locator("#announcer")).to_have_text("Thank you: the moderators will look at it.")

    item = queue_item(console, "fool")
    await expect(item.locator(".queue-flags")).to_contain_text("1 flag: Offensive", timeout=LIVE_MS)
    await expect(console.locator(".queue-tab", has_text="Flagged")).to_have_text("Flagged (1)")

    alice = await browsing.page(water.alice)
    await alice.goto(water.url())
    await expect(alice.locator(".composer-area textarea").first).to_be_visible()
    await item.get_by_role("button", name="Alice Martin…").click()
    dialog = console.locator(".author-dialog")
    await dialog.get_by_label("Action", exact=True).select_option("muted")
    await dialog.get_by_label("For", exact=True).select_option("3600")
    await dialog.get_by_label("Reason", exact=True).select_option("offensive")
    await dialog.get_by_role("button", name="Apply").click()
    await expect(dialog.locator(".form-saved")).to_have_text("Muted.")

    notice = alice.locator(".restriction-notice")
    await expect(notice).to_contain_text("You are muted in this consultation until", timeout=LIVE_MS)
    await expect(notice).to_contain_text("Reason: Offensive")
    await expect(alice.locator(".composer-area textarea")).to_have_count(0)

    await dialog.get_by_role("button", name="Lift mute or ban").click()
    await expect(notice).to_be_hidden(timeout=LIVE_MS)
    await expect(alice.locator(".composer-area textarea").first).to_be_visible()


async def test_participants_see_announcements_a_lock_and_a_scheduled_question_live(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    reader = await browsing.page(water.alice)
    await reader.goto(water.url())
    await expect(reader.locator(".composer-area textarea")).to_have_count(2)
    console = await open_console(browsing, water)

    await console.get_by_label("Announcement (Markdown)").fill("Break until **15:00**.")
    await console.get_by_role("button", name="Announce").click()
    banner = reader.locator(".announcement-banner")
    await expect(banner.locator("strong")).to_have_text("15:00", timeout=LIVE_MS)
    await console.locator(".announcement-item").get_by_role("button", name="Dismiss").click()
    await expect(banner).to_be_hidden(timeout=LIVE_MS)

    controls = console.locator("#controls")
    await controls.get_by_label("Reason").select_option("pause")
    await controls.get_by_role("button", name="Lock the space").click()
    await expect(reader.locator(".lock-notice")).to_contain_text("Planned pause", timeout=LIVE_MS)
    await expect(reader.locator(".composer-area textarea")).to_have_count(0)
    await controls.get_by_role("button", name="Unlock the space").click()
    await expect(reader.locator(".lock-notice")).to_be_hidden(timeout=LIVE_MS)

    later = await as_moderator(
        api,
        water,
        "POST",
        f"/spaces/{water.slug}/questions",
        title="What next year?",
        opens_at="2099-01-01T09:00:00Z",
    )
    scheduled = reader.locator(f"#question-{later['id']}")
    await expect(scheduled.locator(".question-scheduled")).to_contain_text(
        "This question opens for comments on", timeout=LIVE_MS
    )
    await expect(scheduled.locator(".countdown")).to_have_text(re.compile(r"^\(\d+ d \d+:\d\d:\d\d to go\)$"))
    await expect(scheduled.locator("textarea")).to_have_count(0)
