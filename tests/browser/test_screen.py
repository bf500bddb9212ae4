"""The big-screen display: a live wall that adds and removes comments within a second,
keeps a bounded DOM, counts what the room needs, and says when it is stale."""

import re

import pytest
from playwright.async_api import Locator, Page, expect

from server.running.settings import Settings
from tests.browser.support import LIVE_MS, LOAD_MS, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

# client/views/screen.js: WALL_MAX_ITEMS
WALL_MAX_ITEMS = 50


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Filling the wall takes more comments from one account than the posting limit allows a minute.
    return Settings(database_url=database_url, redis_url=None, rate_post_per_account="1000/60")


def wall_item(page: Page, text: str) -> Locator:
    return page.locator(".wall-item", has_text=text)


async def test_the_screen_shows_a_new_comment_live_and_removes_a_deleted_one(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    await api.comment(water.alice, water.questions[0]["id"], "Already there.")
    screen = await browsing.page()
    await screen.goto(water.screen_url)
    await expect(screen.locator(".screen-title")).to_have_text("Water and climate roundtable")
    await expect(wall_item(screen, "Already there.")).to_be_visible()

    posted = await api.comment(water.bob, water.questions[1]["id"], "Nuevas voces, *por favor*.", lang="es")
    item = wall_item(screen, "Nuevas voces")
    await expect(item).to_be_visible(timeout=LIVE_MS)
    await expect(item.locator(".lang-tag")).to_contain_text("ES")
    await expect(item.locator(".comment-author")).to_have_text("Bob Okafor")
    await expect(item.locator(".comment-affiliation")).to_have_text("Farmers Alliance")
    await expect(item.locator(".wall-body em")).to_have_text("por favor")
    await expect(screen.locator(".wall-item").first).to_contain_text("Nuevas voces")  # newest on top

    deleted = await api.http.delete(f"/api/v1/comments/{posted['id']}", headers=water.bob.headers)
    assert deleted.status_code == 200, deleted.text
    await expect(item).to_have_count(0, timeout=LIVE_MS)
    await expect(wall_item(screen, "Already there.")).to_be_visible()


async def test_the_wall_keeps_a_bounded_number_of_items_newest_first(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api)
    screen = await browsing.page()
    await screen.goto(water.screen_url)
    await expect(screen.locator(".screen-title")).to_be_visible()
    for n in range(WALL_MAX_ITEMS + 5):
        await api.comment(water.alice, water.questions[0]["id"], f"Contribution number {n}.")

    await expect(wall_item(screen, f"Contribution number {WALL_MAX_ITEMS + 4}.")).to_be_visible(
        timeout=LOAD_MS
    )
    await expect(screen.locator(".wall-item")).to_have_count(WALL_MAX_ITEMS)
    await expect(screen.locator(".wall-item").first).to_contain_text(
        f"Contribution number {WALL_MAX_ITEMS + 4}."
    )
    await expect(screen.locator(".wall-item").last).to_contain_text("Contribution number 5.")
    await expect(wall_item(screen, "Contribution number 4.")).to_have_count(0)
    # The question's count is of everything, not of what fits on the wall.
    await expect(screen.locator(".counter-list li").first).to_contain_text(str(WALL_MAX_ITEMS + 5))


async def test_the_screen_counts_people_comments_languages_and_the_rate_of_the_last_hour(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    first, second = water.questions[0]["id"], water.questions[1]["id"]
    await api.comment(water.alice, first, "One.", lang="en")
    await api.comment(water.alice, first, "Two.", lang="en")
    await api.comment(water.bob, second, "Trois.", lang="fr")
    reader = await browsing.page()
    await reader.goto(water.url())  # another person following the space
    screen = await browsing.page()
    await screen.goto(water.screen_url)

    await expect(screen.locator(".counter-big")).to_have_text(
        "2", timeout=LOAD_MS
    )  # the reader and the screen
    counts = screen.locator(".counter-list").first.locator("li")
    await expect(counts).to_have_text([re.compile(r"Q1\s*2"), re.compile(r"Q2\s*1")])
    await expect(screen.locator(".languages li")).to_have_text([re.compile(r"EN.*67"), re.compile(r"FR.*33")])
    chart = screen.locator("svg.chart")
    await expect(chart).to_have_attribute("role", "img")
    await expect(chart.locator("rect")).to_have_count(60)
    heights = await chart.locator("rect").evaluate_all(
        "(bars) => bars.map((b) => Number(b.getAttribute('height')))"
    )
    assert heights[-1] > 0 and sum(heights[:-2]) == 0  # all three in the last minute or two
    await expect(screen.locator(".counter-note")).to_have_text("3 comments in the last hour")
    await expect(screen.locator(".screen-question-text")).to_contain_text("Who is missing from the table?")

    await api.comment(water.alice, first, "Four.", lang="es")
    await expect(counts.first).to_have_text(re.compile(r"Q1\s*3"), timeout=LIVE_MS)
    await expect(screen.locator(".screen-question-text")).to_contain_text("How should water be shared?")


async def test_a_disconnected_screen_says_since_when_it_is_stale_and_catches_up_by_itself(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    screen = await browsing.page()
    await screen.goto(water.screen_url)
    await expect(screen.locator(".screen-freshness")).to_have_text("Live")
    await screen.evaluate("window.__sameDocument = true")

    await screen.context.set_offline(True)
    await expect(screen.locator(".screen-freshness")).to_have_text(
        re.compile(r"^Stale since \d{1,2}:\d{2}( [AP]M)?: reconnecting…$")
    )
    await api.comment(water.alice, water.questions[0]["id"], "Said while the screen was away.")
    await screen.context.set_offline(False)

    await expect(wall_item(screen, "Said while the screen was away.")).to_be_visible(timeout=LOAD_MS)
    await expect(screen.locator(".screen-freshness")).to_have_text("Live")
    await expect(screen.locator(".wall-item")).to_have_count(1)
    assert await screen.evaluate("window.__sameDocument") is True


async def test_a_space_store_with_a_bound_keeps_only_the_newest_comments(browsing: Browsing) -> None:
    page = await browsing.page()
    await page.goto("/#/")
    kept = await page.evaluate("""async () => {
      const { createSpaceStore } = await import('/live.js');
      const store = createSpaceStore({ maxComments: 3 });
      const comment = (id) => ({ id, question_id: 1, status: 'published' });
      const space = { slug: 'water', languages: ['en'] };
      store.applySnapshot({ seq: 2, epoch: 'e', role: 'public', state: { space,
        comments: [comment(1), comment(2)], questions: { discussion: [], participant: [] },
        comments_complete: true } });
      const events = [3, 4, 5].map((id) => ({ seq: id, type: 'comment.created',
        data: { comment: comment(id) } }));
      store.applyEvents(events, 5);
      return { ids: Object.keys(store.state.comments).map(Number), complete: store.state.commentsComplete };
    }""")
    assert kept == {"ids": [3, 4, 5], "complete": False}
