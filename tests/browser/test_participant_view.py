"""The participant view in a real browser: reading, posting, replying, drafts, support,
closing, and catching up after the network comes back."""

import re

import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.support import LIVE_MS, LOAD_MS, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


def question(page: Page, number: int) -> Locator:
    return page.locator(".question").nth(number - 1)


def comment(page: Page, text: str) -> Locator:
    return page.locator(".comment", has_text=text)


async def test_a_reader_who_is_not_logged_in_reads_everything_and_is_invited_to_log_in(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    first = await api.comment(water.alice, water.questions[0]["id"], "Shared wells, **managed** locally.")
    await api.comment(water.bob, water.questions[0]["id"], "Who pays for them?", parent_id=first["id"])
    page = await browsing.page()
    await page.goto(water.url())

    await expect(page.get_by_role("heading", level=1)).to_have_text("Water and climate roundtable")
    await expect(page.locator(".intro strong")).to_have_text("spring")  # the server's sanitised HTML
    await expect(page.locator(".space-aside")).to_contain_text("Maya Moderator")
    await expect(page.locator(".space-aside")).to_contain_text("secretariat@example.org")
    await expect(page.locator(".space-status")).to_contain_text("Open for comments")
    await expect(question(page, 1).locator("h3")).to_have_text("Question 1 How should water be shared?")
    await expect(question(page, 1).locator(".question-body em")).to_have_text("droughts")
    await expect(question(page, 2).locator("h3")).to_contain_text("Question 2")
    await expect(comment(page, "Shared wells").locator(".comment-body strong")).to_have_text("managed")
    await expect(comment(page, "Shared wells")).to_contain_text("Water Council")
    reply = comment(page, "Who pays for them?")
    await expect(reply).to_contain_text("in reply to Alice Martin")
    # The reply sits in its parent's thread.
    await expect(page.locator(f"#comment-{first['id']}-replies")).to_contain_text("Who pays for them?")
    await expect(question(page, 1).get_by_role("link", name="Log in to post")).to_be_visible()
    await expect(page.locator("textarea:visible")).to_have_count(0)
    await expect(page.locator(".support-button")).to_have_count(0)


async def test_a_comment_posted_by_one_participant_appears_for_another_without_touching_their_draft(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    await api.comment(water.bob, water.questions[0]["id"], "An earlier thought.")
    alice = await browsing.page(water.alice)
    bob = await browsing.page(water.bob)
    await alice.goto(water.url())
    await bob.goto(water.url())
    draft = question(bob, 1).locator("textarea")
    await draft.click()
    await draft.press_sequentially("Half a thou")
    await draft.press("ArrowLeft")  # the caret is inside the word, as in mid-edit

    await question(alice, 1).locator("textarea").fill("Rainwater tanks in **every** school.")
    await question(alice, 1).get_by_role("button", name="Post comment").click()

    arrived = comment(bob, "Rainwater tanks in")
    await expect(arrived).to_be_visible(timeout=LIVE_MS)
    await expect(arrived).to_have_class(re.compile(r"\bis-new\b"))
    await expect(arrived.locator("strong")).to_have_text("every")
    await expect(draft).to_have_value("Half a thou")
    await expect(draft).to_be_focused()
    assert await draft.evaluate("(el) => el.selectionStart") == len("Half a thou") - 1
    # The author sees their own comment once, not highlighted as news.
    await expect(comment(alice, "Rainwater tanks in")).to_have_count(1)
    await expect(comment(alice, "Rainwater tanks in")).not_to_have_class(re.compile(r"\bis-new\b"))
    await expect(question(alice, 1).locator("textarea")).to_have_value("")
    await expect(question(bob, 1).locator(".question-count")).to_have_text("2 comments")


async def test_a_reply_is_written_in_context_and_shows_whom_it_answers(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    await api.comment(water.alice, water.questions[0]["id"], "Metering helps.")
    alice = await browsing.page(water.alice)
    bob = await browsing.page(water.bob)
    await alice.goto(water.url())
    await bob.goto(water.url())

    parent = comment(bob, "Metering helps.")
    await parent.get_by_role("button", name="Reply").click()
    box = parent.locator(".reply-slot textarea")
    await expect(box).to_be_focused()
    await expect(box).to_have_accessible_name("Your reply to Alice Martin")
    await box.fill("Not for the poorest households.")
    await parent.get_by_role("button", name="Post reply").click()

    for page in (bob, alice):
        thread = page.locator(".comment-item", has=comment(page, "Metering helps.")).locator(
            ":scope > .replies"
        )
        reply = thread.locator(".comment", has_text="Not for the poorest households.")
        await expect(reply).to_be_visible(timeout=LIVE_MS)
        await expect(reply).to_contain_text("in reply to Alice Martin")
    await expect(parent.locator(".reply-slot textarea")).to_have_count(0)

    # Threads fold away and open again.
    toggle = alice.get_by_role("button", name="Hide 1 reply")
    await toggle.click()
    await expect(alice.get_by_text("Not for the poorest households.")).to_be_hidden()
    await expect(alice.get_by_role("button", name="Show 1 reply")).to_have_attribute("aria-expanded", "false")
    await alice.get_by_role("button", name="Show 1 reply").click()
    await expect(alice.get_by_text("Not for the poorest households.")).to_be_visible()


async def test_drafts_and_reply_drafts_survive_a_reload(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    await api.comment(water.alice, water.questions[1]["id"], "Youth councils.")
    page = await browsing.page(water.bob)
    await page.goto(water.url())
    await question(page, 1).locator("textarea").fill("A draft I will finish later")
    await comment(page, "Youth councils.").get_by_role("button", name="Reply").click()
    await comment(page, "Youth councils.").locator("textarea").fill("A reply, unfinished")

    await page.reload()

    await expect(question(page, 1).locator(".composer-area textarea")).to_have_value(
        "A draft I will finish later"
    )
    await expect(comment(page, "Youth councils.").locator("textarea")).to_have_value("A reply, unfinished")
    await expect(question(page, 2).locator(".composer-area textarea")).to_have_value("")


async def test_the_author_sees_their_held_comment_waiting_for_moderation_and_others_do_not(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api, moderation="pre")
    alice = await browsing.page(water.alice)
    bob = await browsing.page(water.bob)
    await alice.goto(water.url())
    await bob.goto(water.url())
    await question(alice, 1).locator("textarea").fill("Held for the moderators.")
    await question(alice, 1).get_by_role("button", name="Post comment").click()

    held = comment(alice, "Held for the moderators.")
    await expect(held.locator(".badge-pending")).to_have_text("Waiting for moderation")
    await expect(alice.locator("#announcer")).to_have_text("Your comment is waiting for moderation.")
    await alice.reload()  # the author's own held comment comes back from the API after a reload
    await expect(held.locator(".badge-pending")).to_have_text("Waiting for moderation")
    await expect(comment(bob, "Held for the moderators.")).to_have_count(0)
    await expect(question(bob, 1).locator(".thread-empty")).to_be_visible()


async def test_support_is_counted_remembered_and_taken_back(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    await api.comment(water.alice, water.questions[0]["id"], "Protect the aquifers.")
    alice = await browsing.page(water.alice)
    bob = await browsing.page(water.bob)
    await alice.goto(water.url())
    await bob.goto(water.url())
    button = comment(bob, "Protect the aquifers.").locator(".support-button")
    await expect(button).to_have_attribute("aria-pressed", "false")
    await expect(comment(alice, "Protect the aquifers.").locator(".support-button")).to_have_count(0)  # own

    await button.click()
    await expect(button).to_have_attribute("aria-pressed", "true")
    await expect(button).to_be_focused()
    await expect(comment(bob, "Protect the aquifers.").locator(".support-count")).to_have_text("1 supporter")
    await bob.reload()
    await expect(button).to_have_attribute("aria-pressed", "true")
    await button.click()
    await expect(button).to_have_attribute("aria-pressed", "false")
    await expect(comment(bob, "Protect the aquifers.").locator(".support-count")).to_have_count(0)


async def test_closing_a_question_then_the_space_hides_the_composers_live(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    await api.comment(water.alice, water.questions[0]["id"], "Before closing.")
    admin = await api.admin()
    page = await browsing.page(water.bob)
    await page.goto(water.url())
    await expect(page.locator(".composer-area textarea")).to_have_count(2)

    response = await api.http.patch(
        f"/api/v1/questions/{water.questions[0]['id']}", json={"status": "closed"}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    await expect(question(page, 1).locator(".notice")).to_have_text(
        "This question is closed: no new comments.", timeout=LIVE_MS
    )
    await expect(question(page, 1).locator(".badge-closed")).to_have_text("Closed")
    await expect(question(page, 1).locator("textarea:visible")).to_have_count(0)
    await expect(question(page, 1).get_by_role("button", name="Reply")).to_have_count(0)
    await expect(question(page, 2).locator("textarea")).to_have_count(1)

    response = await api.http.patch(
        f"/api/v1/spaces/{water.slug}", json={"status": "closed"}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    await expect(page.locator(".space-header .notice")).to_contain_text(
        "This consultation is closed", timeout=LIVE_MS
    )
    await expect(page.locator("textarea:visible")).to_have_count(0)
    await expect(question(page, 2).locator(".notice")).to_have_text(
        "Comments are closed in this consultation."
    )


async def test_a_view_cut_off_from_the_network_catches_up_without_a_reload_or_duplicates(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    for n in range(3):
        await api.comment(water.alice, water.questions[0]["id"], f"Before the cut {n}.")
    page = await browsing.page(water.bob)
    await page.goto(water.url())
    await expect(page.locator(".comment")).to_have_count(3)
    await expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    await page.evaluate("window.__sameDocument = true")
    await question(page, 2).locator("textarea").fill("Typed before the cut")

    await page.context.set_offline(True)
    await expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
    await expect(page.locator("#connection")).to_have_text("Offline")
    missed = [
        await api.comment(water.alice, water.questions[0]["id"], f"While offline {n}.") for n in range(3)
    ]
    await page.context.set_offline(False)

    await expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=LOAD_MS)
    await expect(page.locator(".comment")).to_have_count(6, timeout=LOAD_MS)
    ids = await page.locator(".comment-item").evaluate_all("(items) => items.map((i) => i.dataset.commentId)")
    assert sorted(ids, key=int) == sorted({*ids}, key=int)
    assert {str(c["id"]) for c in missed} <= set(ids)
    assert await page.evaluate("window.__sameDocument") is True  # caught up without a reload
    await expect(question(page, 2).locator("textarea")).to_have_value("Typed before the cut")

    # And it keeps following: the next comment arrives live.
    await api.comment(water.alice, water.questions[0]["id"], "After the cut.")
    await expect(comment(page, "After the cut.")).to_be_visible(timeout=LIVE_MS)
    await expect(page.locator(".comment")).to_have_count(7)


async def test_threads_can_be_read_newest_first_and_filtered_by_language(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    qid = water.questions[0]["id"]
    await api.comment(water.alice, qid, "First, in English.", lang="en")
    await api.comment(water.bob, qid, "Ensuite, en français.", lang="fr")
    await api.comment(water.alice, qid, "Por último, en español.", lang="es")
    page = await browsing.page()
    await page.goto(water.url())
    first_thread = question(page, 1).locator(".thread > .comment-item").first

    await expect(first_thread).to_contain_text("First, in English.")
    await question(page, 1).get_by_label("Order").select_option("newest")
    await expect(first_thread).to_contain_text("Por último, en español.")
    await question(page, 1).get_by_label("Show").select_option("fr")
    await expect(question(page, 1).locator(".comment:visible")).to_have_count(1)
    await expect(question(page, 1).locator(".comment:visible")).to_contain_text("Ensuite, en français.")
    await question(page, 1).get_by_label("Show").select_option("")
    await expect(question(page, 1).locator(".comment:visible")).to_have_count(3)


async def test_the_preview_shows_the_servers_rendering_of_the_markdown(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    page = await browsing.page(water.alice)
    await page.goto(water.url())
    box = question(page, 1).locator(".composer-area textarea")
    await box.fill("**Bold** idea, see [the report](https://example.org/report) <script>window.x=1</script>")
    await question(page, 1).get_by_role("button", name="Preview").click()
    preview = question(page, 1).locator(".composer-preview")
    await expect(preview.locator("strong")).to_have_text("Bold")
    await expect(preview.locator("a")).to_have_attribute("href", "https://example.org/report")
    await expect(preview).to_contain_text("<script>window.x=1</script>")  # shown as text
    await expect(preview.locator("script")).to_have_count(0)
    await question(page, 1).get_by_role("button", name="Preview").click()
    await expect(box).to_be_visible()
    await expect(box).to_have_value(re.compile(r"^\*\*Bold\*\* idea"))


async def test_registering_editing_the_profile_logging_out_and_in_through_the_forms(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    page = await browsing.page()
    await page.goto(water.url())
    await question(page, 1).get_by_role("link", name="or create an account").click()
    await page.get_by_label("Name shown with your comments").fill("Carla Diaz")
    await page.get_by_label("Organisation (optional)").fill("River Basin NGO")
    await page.get_by_label("Email").fill("carla@example.org")
    await page.get_by_label("Password (at least 8 characters)").fill("a long enough password")
    await page.get_by_role("button", name="Create the account").click()

    # Back on the space, logged in, with a composer.
    await expect(page.get_by_role("heading", level=1)).to_have_text("Water and climate roundtable")
    await expect(page.locator(".account-name")).to_have_text("Carla Diaz")
    await expect(question(page, 1).locator(".composer-area textarea")).to_be_visible()

    await page.locator(".account-name").click()
    await page.get_by_label("Organisation (optional)").fill("Delta Institute")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    me = await page.request.get("/api/v1/me")
    assert (await me.json())["affiliation"] == "Delta Institute"

    await page.get_by_role("button", name="Log out").first.click()
    await expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    await page.get_by_role("link", name="Log in", exact=True).click()
    await page.get_by_label("Email").fill("carla@example.org")
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("alert")).to_have_text("The email or the password is wrong.")
    await page.get_by_label("Password").fill("a long enough password")
    await page.get_by_role("button", name="Log in").click()
    await expect(page.locator(".account-name")).to_have_text("Carla Diaz")


async def test_a_comment_arriving_above_does_not_move_what_the_reader_is_reading(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    for n in range(12):
        await api.comment(water.alice, water.questions[0]["id"], f"Earlier contribution {n}.")
    await api.comment(water.alice, water.questions[1]["id"], "The one being read.")
    page = await browsing.page(water.bob, viewport={"width": 1280, "height": 600})
    await page.goto(water.url())
    reading = comment(page, "The one being read.")
    await reading.scroll_into_view_if_needed()
    await page.evaluate("window.scrollBy(0, -150)")  # mid-page, reading question 2
    before = await reading.evaluate("(el) => el.getBoundingClientRect().top")
    assert 0 < before < 600

    for n in range(3):
        await api.comment(water.moderator, water.questions[0]["id"], f"Arrived above {n}.")
    await expect(comment(page, "Arrived above 2.")).to_be_attached(timeout=LIVE_MS)
    after = await reading.evaluate("(el) => el.getBoundingClientRect().top")
    assert abs(after - before) <= 1, (before, after)


async def test_an_edit_to_a_comment_being_answered_leaves_the_reply_draft_alone(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    posted = await api.comment(water.alice, water.questions[0]["id"], "Dams are the answer.")
    page = await browsing.page(water.bob)
    await page.goto(water.url())
    parent = comment(page, "Dams are the answer.")
    await parent.get_by_role("button", name="Reply").click()
    await parent.locator("textarea").press_sequentially("I am not so sure")

    edited = await api.http.patch(
        f"/api/v1/comments/{posted['id']}", json={"body": "Small dams may help."}, headers=water.alice.headers
    )
    assert edited.status_code == 200, edited.text
    updated = comment(page, "Small dams may help.")
    await expect(updated).to_contain_text("(edited)", timeout=LIVE_MS)
    await expect(updated.locator("textarea")).to_have_value("I am not so sure")
    await expect(updated.locator("textarea")).to_be_focused()
