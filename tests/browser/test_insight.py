"""The console's Insight panel and the screen's theme cloud: the right numbers on a small
space, themes with their comments and the moderators' controls, language mismatches,
everything following new comments and moderators' changes live, and both passing axe-core
in English, French and Spanish."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Page, expect

from server.insight.worker import InsightWorker
from server.running.settings import Settings
from tests.browser.support import LOAD_MS, PHONE, Browsing, Consultation, open_consultation
from tests.browser.test_accessibility import axe_script, serious_violations
from tests.browser.test_console import as_moderator
from tests.helpers import Api, RunningServer, start_server

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

# Statistics reach moderators and screens coalesced, at most once per statistics_interval_secs
# (1 s): a change shows within that interval plus the usual second of live delivery.
STATISTICS_MS = 3_000
# The first comments wait for the worker process to load its encoder before they are embedded.
GROUPING_TIMEOUT_SECS = 60
# Placing a new comment into a theme: embedding it in the worker, then the keeper's round.
PLACEMENT_MS = 15_000
RETRY_SECS = 0.25

# Two points, each made in two languages: groundwater over-pumping and river pollution.
THEMED = [
    ("en", "Aquifers are pumped far faster than rain refills them; the water table drops every year."),
    (
        "fr",
        "Les nappes phréatiques sont pompées plus vite que la pluie ne les recharge ; les puits tarissent.",
    ),
    ("en", "Mining companies dump tailings into our rivers and the fish are dying; polluters must pay."),
    ("es", "Las mineras vierten sus relaves en los ríos y los peces mueren; quien contamina debe pagar."),
]


@pytest.fixture(scope="module")
def insight_worker() -> Iterator[InsightWorker]:
    """One worker process for this module's servers: its encoder loads once."""
    worker = InsightWorker()
    yield worker
    worker.shutdown()


@pytest.fixture
def settings(database_url: str) -> Settings:
    # The test suite turns themes off (tests/conftest.py); these tests are about them.
    return Settings(database_url=database_url, redis_url=None, themes_enabled=True)


@pytest_asyncio.fixture(loop_scope="session")
async def server(settings: Settings, insight_worker: InsightWorker) -> AsyncIterator[RunningServer]:
    async with start_server(settings, insight_worker) as running:
        yield running


async def grouped_consultation(api: Api) -> tuple[Consultation, dict[str, Any]]:
    """The usual consultation whose first question holds THEMED, embedded and grouped into themes."""
    water = await open_consultation(api)
    question_id = water.questions[0]["id"]
    posted = [
        await api.comment(water.alice if n % 2 == 0 else water.bob, question_id, text, lang=lang)
        for n, (lang, text) in enumerate(THEMED)
    ]
    # Wait until the keeper has embedded them all (a comment has similar ones once it has its
    # vector), so that the regrouping itself is quick.
    async with asyncio.timeout(GROUPING_TIMEOUT_SECS):
        for comment in posted:
            while True:
                similar = await api.http.get(f"/api/v1/comments/{comment['id']}/similar")
                if similar.status_code != 409:
                    assert similar.status_code == 200, similar.text
                    break
                await asyncio.sleep(RETRY_SECS)
    return water, await as_moderator(api, water, "POST", f"/questions/{question_id}/themes/regroup")


async def open_screen(
    api: Api, browsing: Browsing, water: Consultation, name: str = "Hall", **page: Any
) -> Page:
    """A screen with its token: statistics, and so themes, go to screens and moderators only."""
    screen = await as_moderator(api, water, "POST", f"/spaces/{water.slug}/screens", name=name)
    wall = await browsing.page(**page)
    await wall.goto(f"{water.screen_url}?token={screen['token']}")
    await expect(wall.locator(".screen-title")).to_be_visible()
    return wall


def figure(page: Page, table: str, row: str, column: int = 0) -> Any:
    return page.locator(f".{table} tbody tr", has_text=row).locator("td").nth(column)


async def test_the_insight_view_shows_the_space_numbers_and_follows_a_new_comment_live(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    first, second = water.questions[0]["id"], water.questions[1]["id"]
    wells = await api.comment(water.alice, first, "Shared wells, managed locally.", lang="en")
    await api.comment(water.bob, first, "Oui, avec des comités de village.", lang="fr", parent_id=wells["id"])
    await api.comment(water.bob, second, "Les communes rurales manquent à la table.", lang="fr")
    supported = await api.http.post(f"/api/v1/comments/{wells['id']}/support", headers=water.bob.headers)
    assert supported.status_code < 300, supported.text

    page = await browsing.page(water.moderator)
    await page.goto(f"/#/console/{water.slug}")
    insight = page.locator("#insight")
    await expect(insight.get_by_role("heading", name="Insight")).to_be_visible()
    await expect(figure(page, "insight-totals", "Comments")).to_have_text("2")
    await expect(figure(page, "insight-totals", "Replies")).to_have_text("1")
    await expect(figure(page, "insight-totals", "Participants")).to_have_text("2")
    await expect(figure(page, "insight-totals", "Supports")).to_have_text("1")
    await expect(figure(page, "insight-totals", "Deepest reply")).to_have_text("1")
    await expect(figure(page, "insight-languages", "French")).to_have_text("2")
    await expect(figure(page, "insight-languages", "English")).to_have_text("1")
    await expect(figure(page, "insight-affiliations", "Farmers Alliance")).to_have_text("2")
    await expect(figure(page, "insight-questions", "How should water be shared?")).to_have_text("1")
    await expect(figure(page, "insight-outcomes", "Published")).to_have_text("3")
    await expect(insight.locator(".insight-supported li")).to_have_count(1)
    await expect(insight.locator(".insight-supported li")).to_contain_text("Shared wells")
    await expect(insight.locator(".insight-mismatch-list")).to_have_count(0)
    await expect(insight.locator(".insight-questions caption")).to_have_text("Per question")

    # Declared English, written in Spanish: counted at once, and listed as a mismatch.
    await api.comment(
        water.alice, second, "Los pozos de riego sin control están secando el acuífero del valle.", lang="en"
    )
    await expect(figure(page, "insight-totals", "Comments")).to_have_text("3", timeout=STATISTICS_MS)
    await expect(figure(page, "insight-languages", "English")).to_have_text("2")
    await expect(figure(page, "insight-questions", "Who is missing")).to_have_text("2")
    mismatch = insight.locator(".insight-mismatch-list li")
    await expect(mismatch).to_have_count(1, timeout=STATISTICS_MS)
    await expect(mismatch).to_contain_text("Los pozos de riego")
    await expect(mismatch.locator(".lang-tag").nth(1)).to_contain_text("Spanish")
    link = mismatch.get_by_role("link")
    await expect(link).to_have_attribute("href", f"#/spaces/{water.slug}?question={second}")

    # On a phone the tables fit the width: nothing to scroll sideways.
    phone = await browsing.page(water.moderator, viewport=PHONE)
    await phone.goto(f"/#/console/{water.slug}")
    await expect(figure(phone, "insight-totals", "Comments")).to_have_text("3")
    assert await phone.evaluate("document.documentElement.scrollWidth <= innerWidth")


async def test_themes_show_in_the_console_and_as_a_cloud_on_the_screen_and_follow_changes_live(
    api: Api, browsing: Browsing
) -> None:
    water, grouping = await grouped_consultation(api)
    question_id = water.questions[0]["id"]
    themes = grouping["themes"]
    assert themes
    page = await browsing.page(water.moderator)
    await page.goto(f"/#/console/{water.slug}")
    block = page.locator(f'.insight-theme-question[data-question-id="{question_id}"]')
    await expect(block.locator(".insight-theme")).to_have_count(len(themes))
    biggest = block.locator(f'.insight-theme[data-theme-id="{themes[0]["id"]}"]')
    await expect(biggest.locator(".insight-theme-label")).to_have_text(themes[0]["label"])
    await expect(biggest.locator(".insight-theme-size")).to_contain_text(str(themes[0]["comments"]))
    await expect(biggest.locator(".insight-theme-representative")).not_to_contain_text("…")
    # Its comments open by keyboard, and a rename is made from there.
    await biggest.locator("summary").focus()
    await page.keyboard.press("Enter")
    await expect(biggest.locator(".insight-theme-comments li")).to_have_count(themes[0]["comments"])
    await biggest.get_by_label("Theme name").fill("Water for all")
    await page.keyboard.press("Enter")
    await expect(biggest.locator(".insight-theme-label")).to_have_text("Water for all", timeout=LOAD_MS)
    await expect(biggest.locator("details")).to_have_attribute("open", "")

    # On a 720p wall, the smallest the screen is made for, the cloud is in sight whole.
    screen = await open_screen(api, browsing, water, viewport={"width": 1280, "height": 720})
    terms = screen.locator(".theme-cloud .cloud-term")
    await expect(terms.first).to_be_visible()
    await expect(screen.locator(".theme-cloud")).to_be_in_viewport(ratio=1)
    counter = screen.locator(f'.counter-list li[data-question-id="{question_id}"] .counter-themes')
    await expect(counter).to_have_text(f"{len(themes)} theme" + ("s" if len(themes) > 1 else ""))
    assert await screen.evaluate("document.scrollingElement.scrollHeight <= innerHeight")

    # A term excluded in the console leaves the screen's cloud, in every language.
    excluded = (await terms.first.inner_text()).strip()
    await page.get_by_label("Terms kept off the screens").fill(excluded)
    await page.get_by_role("button", name="Save terms").click()
    await expect(screen.locator(".cloud-term", has_text=excluded)).to_have_count(0, timeout=STATISTICS_MS)

    # A theme split in the console is one more theme there and on the screen's count.
    assert themes[0]["comments"] > 1
    await biggest.get_by_role("button", name="Split in two").click()
    await expect(block.locator(".insight-theme")).to_have_count(len(themes) + 1, timeout=LOAD_MS)
    await expect(counter).to_have_text(f"{len(themes) + 1} themes", timeout=STATISTICS_MS)
    split = await as_moderator(api, water, "GET", f"/questions/{question_id}/themes")

    # A new comment is placed into a theme or held unplaced: either way the console follows it.
    before = sum(t["comments"] for t in split["themes"]) + split["unplaced"]
    await api.comment(water.bob, question_id, "Les forages agricoles vident la nappe phréatique.", lang="fr")
    await page.wait_for_function(
        """([id, want]) => {
             const block = document.querySelector(`.insight-theme-question[data-question-id="${id}"]`);
             const themes = [...block.querySelectorAll('.insight-theme')];
             const sizes = themes.map((t) => Number(t.dataset.comments));
             const unplaced = Number(block.querySelector('.insight-theme-summary').dataset.unplaced);
             return sizes.reduce((a, b) => a + b, 0) + unplaced === want;
           }""",
        arg=[question_id, before + 1],
        timeout=PLACEMENT_MS,
    )


async def test_axe_finds_no_serious_or_critical_violation_in_the_insight_view_and_the_theme_cloud(
    api: Api, browsing: Browsing
) -> None:
    water, grouping = await grouped_consultation(api)
    await api.comment(
        water.alice,
        water.questions[1]["id"],
        "Los pozos de riego sin control secan el acuífero del valle.",
        lang="en",
    )
    for locale in ("en-GB", "fr-FR", "es-ES"):
        lang = locale[:2]
        page = await browsing.page(water.moderator, locale=locale, init_scripts=(axe_script(),))
        await page.goto(f"/#/console/{water.slug}")
        await expect(page.locator("html")).to_have_attribute("lang", lang)
        await expect(page.locator(".insight-theme")).to_have_count(len(grouping["themes"]))
        await expect(page.locator(".insight-mismatch-list li")).to_have_count(1)
        await page.locator(".insight-theme summary").first.click()
        await expect(page.locator(".insight-theme-comments li").first).to_be_visible()
        # The rest of the console has its own axe checks (test_console_accessibility.py).
        assert await serious_violations(page, "#insight") == [], locale

        wall = await open_screen(
            api, browsing, water, name=f"Hall {lang}", locale=locale, init_scripts=(axe_script(),)
        )
        await expect(wall.locator("html")).to_have_attribute("lang", lang)
        await expect(wall.locator(".cloud-term").first).to_be_visible()
        assert await serious_violations(wall) == [], locale
