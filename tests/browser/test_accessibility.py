"""Accessibility: axe-core finds no serious or critical violation, everything works
from the keyboard with a visible focus, new comments are announced politely and
throttled, and motion stops for readers who ask for less."""

import re
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.browser.support import AXE_JS, LIVE_MS, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

# WCAG 2.1 A and AA, and axe's best practices.
AXE_RUN = """async (within) => {
  const result = await axe.run(within ? document.querySelector(within) : document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
}"""
# client/announcer.js: ANNOUNCE_EVERY_MS
ANNOUNCE_EVERY_MS = 5_000


def axe_script() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: `make test` fetches axe-core (make browser-deps)")
    return AXE_JS.read_text(encoding="utf-8")


async def serious_violations(page: Page, within: str | None = None) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings in the page, or in the element `within` selects."""
    # Let highlights and entrance animations finish: axe measures colours as drawn.
    await page.wait_for_function("document.getAnimations().every((a) => a.playState !== 'running')")
    violations: list[dict[str, Any]] = await page.evaluate(AXE_RUN, within)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


async def test_axe_finds_no_serious_or_critical_violation_in_the_participant_view_and_the_screen(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    first = await api.comment(water.alice, water.questions[0]["id"], "Shared wells, **managed** locally.")
    await api.comment(water.bob, water.questions[0]["id"], "Qui paie ?", lang="fr", parent_id=first["id"])
    await api.comment(water.bob, water.questions[1]["id"], "Las comunidades rurales.", lang="es")
    axe = (axe_script(),)

    reader = await browsing.page(water.bob, init_scripts=axe)
    await reader.goto(water.url())
    await expect(reader.locator(".comment")).to_have_count(3)
    await reader.locator(".support-button").first.click()
    await reader.locator(".reply-button").first.click()
    assert await serious_violations(reader) == []

    anonymous = await browsing.page(init_scripts=axe)
    await anonymous.goto(water.url())
    await expect(anonymous.locator(".comment")).to_have_count(3)
    assert await serious_violations(anonymous) == []
    await anonymous.goto("/#/")
    await expect(anonymous.locator(".space-card")).to_have_count(1)
    assert await serious_violations(anonymous) == []
    await anonymous.goto("/#/login")
    await expect(anonymous.locator("form")).to_be_visible()
    assert await serious_violations(anonymous) == []

    screen = await browsing.page(init_scripts=axe)
    await screen.goto(water.screen_url)
    await expect(screen.locator(".wall-item")).to_have_count(3)
    assert await serious_violations(screen) == []


async def test_a_participant_can_read_reply_and_post_with_the_keyboard_alone(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    await api.comment(water.alice, water.questions[0]["id"], "Keyboard users welcome.")
    page = await browsing.page(water.bob)
    await page.goto(water.url())
    await expect(page.locator(".comment")).to_have_count(1)

    async def tab_to(locator: Any, limit: int = 60) -> None:
        for _ in range(limit):
            await page.keyboard.press("Tab")
            if await locator.evaluate("(el) => el === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {locator}")

    skip = page.get_by_role("link", name="Skip to content")
    await tab_to(skip)
    await page.keyboard.press("Enter")
    await expect(page.locator("main")).to_be_focused()

    reply = page.locator(".reply-button").first
    await tab_to(reply)
    outline = await reply.evaluate(
        "(el) => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]"
    )
    assert outline[0] != "none" and float(outline[1].removesuffix("px")) >= 2, outline
    await page.keyboard.press("Enter")
    await expect(page.locator(".reply-slot textarea")).to_be_focused()
    await page.keyboard.type("Thanks, replying by keyboard.")
    await page.keyboard.press("Control+Enter")
    posted = page.locator(".comment", has_text="Thanks, replying by keyboard.")
    await expect(posted).to_be_visible()
    await expect(posted).to_be_focused()  # focus follows the new reply

    composer = page.locator(".composer-area textarea").first
    await tab_to(composer)
    await page.keyboard.type("And a new thread.")
    await tab_to(page.locator(".composer-area").first.get_by_role("button", name="Post comment"))
    await page.keyboard.press("Enter")
    await expect(page.locator(".comment", has_text="And a new thread.")).to_be_visible()


async def test_new_comments_are_announced_politely_at_most_once_per_interval(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    page = await browsing.page(water.bob)
    await page.goto(water.url())
    region = page.locator("#announcer")
    await expect(region).to_have_attribute("aria-live", "polite")
    await expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    await page.evaluate("""() => {
      window.__announced = [];
      new MutationObserver(() => {
        const text = document.getElementById('announcer').textContent;
        if (text) window.__announced.push([text, Date.now()]);
      }).observe(document.getElementById('announcer'), {childList: true, characterData: true, subtree: true});
    }""")

    await api.comment(water.alice, water.questions[0]["id"], "First news.")
    await expect(region).to_have_text("1 new comment", timeout=LIVE_MS * 2)
    for n in range(3):
        await api.comment(water.alice, water.questions[1]["id"], f"More news {n}.")
    await expect(page.locator(".comment")).to_have_count(4, timeout=LIVE_MS)
    await expect(region).to_have_text("1 new comment")  # not yet: still within the interval
    await expect(region).to_have_text("3 new comments", timeout=ANNOUNCE_EVERY_MS + 2_000)

    announced = await page.evaluate("window.__announced")
    assert [text for text, _ in announced] == ["1 new comment", "3 new comments"]
    assert announced[1][1] - announced[0][1] >= ANNOUNCE_EVERY_MS - 100


async def test_new_comments_fade_in_unless_the_reader_prefers_reduced_motion(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    moving = await browsing.page()
    still = await browsing.page(reduced_motion=True)
    for page in (moving, still):
        await page.goto(water.url())
        await expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    await api.comment(water.alice, water.questions[0]["id"], "Fresh.")

    animations = []
    for page in (moving, still):
        fresh = page.locator(".comment", has_text="Fresh.")
        await expect(fresh).to_have_class(re.compile(r"\bis-new\b"), timeout=LIVE_MS)
        animations.append(await fresh.evaluate("(el) => getComputedStyle(el).animationName"))
    assert animations == ["fade-new", "none"]


async def test_axe_finds_no_serious_or_critical_violation_in_the_console_the_screen_and_an_announcement(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api, moderation="pre")
    headers = water.moderator.headers
    held = await api.comment(water.alice, water.questions[0]["id"], "Waiting for *review*.")
    shown = await api.comment(water.bob, water.questions[1]["id"], "Déjà publié.", lang="fr")
    for path, body in (
        (f"/comments/{shown['id']}/decisions", {"action": "approve"}),
        (f"/spaces/{water.slug}/spotlight", {"comment_id": shown["id"]}),
        (f"/spaces/{water.slug}/announcements", {"body": "Break until **15:00**."}),
    ):
        method = "PUT" if path.endswith("/spotlight") else "POST"
        response = await api.http.request(method, f"/api/v1{path}", json=body, headers=headers)
        assert response.status_code < 300, response.text
    screens = await api.http.post(
        f"/api/v1/spaces/{water.slug}/screens", json={"name": "Hall"}, headers=headers
    )
    token = screens.json()["token"]
    axe = (axe_script(),)

    console = await browsing.page(water.moderator, init_scripts=axe)
    await console.goto(f"/#/console/{water.slug}")
    await expect(console.locator(f".queue-item[data-comment-id='{held['id']}']")).to_be_visible()
    await expect(console.locator(".audit-entry").first).to_be_visible()
    assert await serious_violations(console) == []
    await console.locator(".author-button").first.click()
    await expect(console.locator(".author-dialog")).to_be_visible()
    assert await serious_violations(console) == []

    screen = await browsing.page(init_scripts=axe)
    await screen.goto(f"{water.screen_url}?token={token}")
    await expect(screen.locator(".screen-spotlight")).to_contain_text("Déjà publié.")
    await expect(screen.locator(".screen-announcement")).to_contain_text("15:00")
    assert await serious_violations(screen) == []

    reader = await browsing.page(water.alice, init_scripts=axe)
    await reader.goto(water.url())
    await expect(reader.locator(".announcement-banner")).to_contain_text("15:00")
    await expect(reader.locator(".comment")).to_have_count(2)  # the published one and her own, waiting
    assert await serious_violations(reader) == []
