"""The console's side panels in a real browser: the spotlight's next items reordered by
keyboard and by drag, participants held and released, invitation links created (the token
shown once) and revoked, and private notes on a participant, all followed live."""

from typing import Any

import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.support import LIVE_MS, Browsing, Consultation, open_consultation
from tests.browser.test_console import as_moderator, open_console, queue_item
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def queue_three_for_screens(api: Api, water: Consultation) -> list[dict[str, Any]]:
    comments = []
    for text in ("Alpha wells.", "Bravo tanks.", "Charlie pumps."):
        comment = await api.comment(water.alice, water.questions[0]["id"], text)
        await as_moderator(
            api, water, "POST", f"/spaces/{water.slug}/spotlight/next", comment_id=comment["id"]
        )
        comments.append(comment)
    return comments


def next_bodies(page: Page) -> Locator:
    return page.locator(".spotlight-next .spotlight-body")


async def server_order(api: Api, water: Consultation) -> list[str]:
    spotlight = (await api.http.get(f"/api/v1/spaces/{water.slug}/spotlight")).json()
    return [item["comment"]["body"] for item in spotlight["next"]]


async def test_the_spotlight_queue_is_reordered_with_the_keyboard_and_screens_follow(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    await queue_three_for_screens(api, water)
    console = await open_console(browsing, water)
    await expect(console.locator(".spotlight-next .spotlight-next-item")).to_have_count(3)

    down = console.get_by_role("button", name="Move item 1 down")
    await down.focus()
    await console.keyboard.press("Enter")

    await expect(next_bodies(console)).to_have_text(
        ["Bravo tanks.", "Alpha wells.", "Charlie pumps."], timeout=LIVE_MS
    )
    assert await server_order(api, water) == ["Bravo tanks.", "Alpha wells.", "Charlie pumps."]
    # The focus follows the item, so it can keep moving.
    await expect(console.get_by_role("button", name="Move item 2 down")).to_be_focused()
    await console.keyboard.press("Enter")
    await expect(next_bodies(console)).to_have_text(
        ["Bravo tanks.", "Charlie pumps.", "Alpha wells."], timeout=LIVE_MS
    )
    await expect(console.get_by_role("button", name="Move item 3 up")).to_be_focused()
    await expect(console.get_by_role("button", name="Move item 1 up")).to_be_disabled()


async def test_the_spotlight_queue_is_reordered_by_drag_and_drop(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    await queue_three_for_screens(api, water)
    console = await open_console(browsing, water)
    other = await open_console(browsing, water)
    items = console.locator(".spotlight-next .spotlight-next-item")
    await expect(items).to_have_count(3)

    await items.nth(2).drag_to(items.nth(0))

    await expect(next_bodies(console)).to_have_text(
        ["Charlie pumps.", "Alpha wells.", "Bravo tanks."], timeout=LIVE_MS
    )
    await expect(next_bodies(other)).to_have_text(
        ["Charlie pumps.", "Alpha wells.", "Bravo tanks."], timeout=LIVE_MS
    )
    assert await server_order(api, water) == ["Charlie pumps.", "Alpha wells.", "Bravo tanks."]


async def test_a_participant_is_held_from_the_queue_and_released_from_the_held_panel(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    await api.comment(water.alice, water.questions[0]["id"], "Buy cheap pumps at example.com")
    console = await open_console(browsing, water, "Recent")
    other = await open_console(browsing, water)
    holds = console.locator("#holds")
    await expect(holds.locator(".hint").last).to_have_text("Nobody is held.")

    await queue_item(console, "cheap pumps").get_by_role("button", name="Alice Martin…").click()
    dialog = console.locator(".author-dialog")
    await dialog.get_by_role("button", name="Hold comments for review").click()
    await expect(dialog.locator(".form-saved")).to_have_text("Their comments now wait for a moderator.")
    await dialog.get_by_role("button", name="Close").click()

    await expect(holds.locator(".hold-item")).to_contain_text("Alice Martin")
    await expect(other.locator("#holds .hold-item")).to_contain_text("Alice Martin", timeout=LIVE_MS)
    held = await api.comment(water.alice, water.questions[0]["id"], "Now I wait.")
    assert held["status"] == "pending"

    await holds.get_by_role("button", name="Release the comments of Alice Martin").click()

    await expect(holds.locator(".hold-item")).to_have_count(0, timeout=LIVE_MS)
    await expect(other.locator("#holds .hold-item")).to_have_count(0, timeout=LIVE_MS)
    free = await api.comment(water.alice, water.questions[0]["id"], "Published at once.")
    assert free["status"] == "published"


async def test_an_invitation_link_is_created_shown_once_and_revoked(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api, posting="invited")
    console = await open_console(browsing, water)
    other = await open_console(browsing, water)
    panel = console.locator("#invitations")
    await expect(panel.locator(".invitation-list")).to_have_text("No invitation link yet.")

    await panel.get_by_text("New invitation link").click()
    await panel.get_by_label("Whom it is for (moderators only)").fill("Farmers' union")
    await panel.get_by_label("Uses at most").fill("20")
    await panel.get_by_role("button", name="Create the link").click()

    link = await panel.get_by_label("Invitation link").input_value()
    assert "#/invitation/" in link
    token = link.rsplit("/", 1)[-1]
    assert len(token) > 20
    item = panel.locator(".invitation-item", has_text="Farmers' union")
    await expect(item).to_contain_text("Active")
    await expect(item).to_contain_text("used 0 of 20 times")
    await expect(other.locator("#invitations .invitation-item")).to_contain_text(
        "Farmers' union", timeout=LIVE_MS
    )
    # The token works, and the console counts its use live.
    accepted = await api.http.post(
        "/api/v1/invitations/accept", json={"token": token}, headers=water.bob.headers
    )
    assert accepted.status_code in (200, 201), accepted.text
    await expect(item).to_contain_text("used 1 of 20 times", timeout=LIVE_MS)
    # Shown once: the list never carries it.
    await console.reload()
    await expect(console.locator("#invitations .invitation-item")).to_have_count(1)
    await expect(console.locator("#invitations").get_by_label("Invitation link")).to_have_count(0)

    await console.get_by_role("button", name="Revoke the invitation “Farmers' union”").click()

    await expect(console.locator("#invitations .invitation-item")).to_contain_text("Revoked")
    await expect(other.locator("#invitations .invitation-item")).to_contain_text("Revoked", timeout=LIVE_MS)
    refused = await api.http.post(
        "/api/v1/invitations/accept", json={"token": token}, headers=water.alice.headers
    )
    assert refused.status_code >= 400


async def test_private_notes_on_a_participant_are_listed_added_and_deleted_live(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    await api.comment(water.alice, water.questions[0]["id"], "Sharp words again.")
    console = await open_console(browsing, water, "Recent")
    await queue_item(console, "Sharp words").get_by_role("button", name="Alice Martin…").click()
    dialog = console.locator(".author-dialog")
    await expect(dialog.locator(".note-list")).to_have_text("No note yet.")

    await dialog.get_by_label("Private note on this person").fill("Warned once by phone.")
    await dialog.get_by_role("button", name="Add the note").click()
    await expect(dialog.locator(".note-item")).to_contain_text("Warned once by phone.")
    await expect(dialog.locator(".note-item")).to_contain_text("Maya Moderator")
    # Another moderator's note on her appears while the dialog is open.
    await as_moderator(
        api,
        water,
        "POST",
        f"/spaces/{water.slug}/notes",
        target_type="user",
        target_id=water.alice.id,
        body="Asked for a call back.",
    )
    await expect(dialog.locator(".note-item")).to_have_count(2, timeout=LIVE_MS)

    await dialog.locator(".note-item", has_text="Warned once").get_by_role("button", name="Delete").click()
    await expect(dialog.locator(".note-item")).to_have_count(1, timeout=LIVE_MS)
    await expect(dialog.locator(".note-item")).to_contain_text("Asked for a call back.")
