"""The note workspace: a moderator cites from search, from a theme and from the live stream
as exact spans (counted in code points, as the server slices); a wrong quote is refused in
words; a concurrent save shows both texts and loses nothing; coverage counts a small
consultation, themes included; the workspace and the published page pass axe."""

import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.support import Browsing, Consultation, open_consultation
from tests.browser.test_accessibility import axe_script, serious_violations
from tests.helpers import Api
from tests.space_helpers import group_into_theme, ok

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

# The drop is one code point but two UTF-16 units: offsets after it tell the two counts apart.
WELLS = "💧 Nous avons besoin de puits propres. Les pompes cassent tous les mois."
REPAIRS = "Repair crews should live in the villages."
METERS = "Water meters in every home would show who uses what."


async def small_consultation(
    api: Api, database_url: str
) -> tuple[Consultation, dict[str, int], dict[str, int]]:
    """Two questions, French and English, two participants, two themes of the first question."""
    water = await open_consultation(api)
    first, second = (q["id"] for q in water.questions)
    ids = {
        "wells": (await api.comment(water.bob, first, WELLS, lang="fr"))["id"],
        "repairs": (await api.comment(water.alice, first, REPAIRS))["id"],
        "meters": (await api.comment(water.alice, second, METERS))["id"],
    }
    await ok(await api.http.post(f"/api/v1/comments/{ids['meters']}/support", headers=water.bob.headers))
    themes = {
        "Clean wells": await group_into_theme(database_url, first, "Clean wells", [ids["wells"]]),
        "Maintenance": await group_into_theme(database_url, first, "Maintenance", [ids["repairs"]]),
    }
    return water, ids, themes


async def save(api: Api, water: Consultation, markdown: str, base_version: int | None) -> None:
    """Another writer's save, straight through the API."""
    body = {"markdown": markdown, "lang": "en", "base_version": base_version}
    path = f"/api/v1/spaces/{water.slug}/note"
    await ok(await api.http.put(path, json=body, headers=water.moderator.headers))


def marker(comment_id: int, body: str, words: str) -> str:
    start = body.index(words)
    return f"[^c{comment_id}:{start}-{start + len(words)}]"


# What a reader does with the mouse or with shift and the arrows: select words in the comment.
SELECT_WORDS = """(el, words) => {
  const at = el.value.indexOf(words);
  el.focus();
  el.setSelectionRange(at, at + words.length);
}"""


async def select_in_source(scope: Page | Locator, comment_id: int, words: str) -> None:
    source = scope.locator(f'.note-source-text[data-comment-id="{comment_id}"]:visible')
    await source.evaluate(SELECT_WORDS, words)


async def cite_from_search_and_from_a_theme(page: Page, ids: dict[str, int]) -> None:
    """Words of the French comment found by search, then the whole comment of a theme."""
    search = page.get_by_role("search")
    await search.get_by_label("Words").fill("puits")
    await search.get_by_label("Language").select_option("fr")
    await search.get_by_role("button", name="Search").click()
    await select_in_source(page, ids["wells"], "puits propres")
    await page.get_by_role("button", name="Cite at the cursor").click()
    await page.keyboard.type(" and for repairs ")
    # The tabs are reached and switched from the keyboard.
    await page.get_by_role("tab", name="Search").focus()
    await page.keyboard.press("ArrowRight")
    await expect(page.get_by_role("tab", name="Themes")).to_have_attribute("aria-selected", "true")
    await page.locator("summary", has_text="Maintenance (comments: 1)").click()
    themes = page.get_by_role("tabpanel", name="Themes")
    await themes.get_by_role("button", name="Cite at the cursor").click()


async def test_a_moderator_cites_from_search_a_theme_and_the_live_stream_as_exact_spans(
    api: Api, browsing: Browsing, database_url: str
) -> None:
    water, ids, themes_ids = await small_consultation(api, database_url)
    page = await browsing.page(water.moderator)
    await page.goto(f"/#/note/{water.slug}")
    editor = page.get_by_role("textbox", name="The note, in Markdown")
    await editor.fill("Villages ask for ")
    await cite_from_search_and_from_a_theme(page, ids)
    wells_marker = marker(ids["wells"], WELLS, "puits propres")
    repairs_marker = f"[^c{ids['repairs']}:0-{len(REPAIRS)}]"
    written = f"Villages ask for “puits propres”{wells_marker} and for repairs “{REPAIRS}”{repairs_marker}"
    await expect(editor).to_have_value(written)
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator(".note-status")).to_have_text("Version 1")
    note = await ok(await api.http.get(f"/api/v1/spaces/{water.slug}/note", headers=water.moderator.headers))
    [sentence] = note["sections"][0]["sentences"]
    assert [(c["comment_id"], c["start"], c["end"], c["quote"]) for c in sentence["citations"]] == [
        (ids["wells"], 23, 36, "puits propres"),
        (ids["repairs"], 0, len(REPAIRS), REPAIRS),
    ]

    # Its author edits a cited comment: the citation needs review, and is fixed from the new words.
    edited = f"{REPAIRS[:-1]} they serve."
    path = f"/api/v1/comments/{ids['repairs']}"
    await ok(await api.http.patch(path, json={"body": edited}, headers=water.alice.headers))
    review = page.locator(".note-review")
    await expect(review).to_contain_text("Needs review")
    await review.get_by_role("button", name="Select it in the editor").click()
    new_words = "live in the villages they serve"
    await select_in_source(review, ids["repairs"], new_words)
    await review.get_by_role("button", name="Cite at the cursor").click()
    fixed = written.replace(
        f"“{REPAIRS}”{repairs_marker}", f"“{new_words}”{marker(ids['repairs'], edited, new_words)}"
    )
    await expect(editor).to_have_value(fixed)
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator(".note-status")).to_have_text("Version 2")
    await expect(page.locator(".note-check")).to_contain_text("No citation needs review.")

    # A quote that is not the comment's words is refused in words, naming its marker; nothing is saved.
    await editor.fill(fixed.replace("“puits propres”", "“puits sales”"))
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("alert")).to_contain_text(
        f"A quotation is not the exact text of the comment it cites. {wells_marker}"
    )
    await expect(page.locator(".note-status")).to_have_text("Version 2")

    # A comment posted now arrives in the live tab, ready to cite.
    await page.get_by_role("tab", name="Live").click()
    await api.comment(water.alice, water.questions[1]["id"], "Meters for farms too.")
    await expect(page.get_by_role("tabpanel", name="Live").locator(".note-source-text")).to_have_value(
        "Meters for farms too."
    )

    # A theme renamed by another moderator is renamed in the themes tab too.
    await ok(
        await api.http.patch(
            f"/api/v1/questions/{water.questions[0]['id']}/themes/{themes_ids['Clean wells']}",
            json={"name": "Wells"},
            headers=water.moderator.headers,
        )
    )
    await page.get_by_role("tab", name="Themes").click()
    await expect(page.locator("summary", has_text="Wells (comments: 1)")).to_be_visible()

    # The question headings open one section per question.
    await editor.fill("")
    await page.get_by_role("button", name="Insert the question headings").click()
    await expect(editor).to_have_value("# How should water be shared?\n\n# Who is missing from the table?\n")


async def test_coverage_counts_a_small_consultation_and_a_concurrent_save_loses_nothing(
    api: Api, browsing: Browsing, database_url: str
) -> None:
    water, ids, _themes = await small_consultation(api, database_url)
    cited = marker(ids["wells"], WELLS, "puits propres")
    first = f"# Wells\n\nClean wells come first.{cited} Costs were not discussed.\n"
    await save(api, water, first, None)
    axe = (axe_script(),)
    page = await browsing.page(water.moderator, init_scripts=axe)
    await page.goto(f"/#/note/{water.slug}")

    coverage = page.locator(".note-coverage")
    for line in (
        "Questions cited: 1 of 2 (50%)",
        "Languages cited: 1 of 2 (50%)",
        "Themes cited: 1 of 2 (50%)",
        "Participants cited: 1 of 2 (50%)",
        "8 words of a 1,000-word target",
        "Languages not cited: English",
        "Participant 1 supplies 100% of the citations.",
    ):
        await expect(coverage).to_contain_text(line)
    await expect(coverage.locator(".note-uncited-themes li")).to_have_text(["Maintenance"])
    await expect(coverage).to_contain_text(f"1 support {METERS} [^c{ids['meters']}]")
    unsourced = page.locator(".note-preview .note-unsourced")
    await expect(unsourced).to_have_text("Unsourced Costs were not discussed.")
    assert await serious_violations(page) == []

    # Someone else saves meanwhile: this page's save is refused and shows both texts.
    theirs = first.replace("Costs were not discussed.", "Nobody spoke of costs.")
    await save(api, water, theirs, 1)
    editor = page.get_by_role("textbox", name="The note, in Markdown")
    mine = first + "\nMy own paragraph.\n"
    await editor.fill(mine)
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("alert")).to_contain_text("Someone saved version 2 meanwhile")
    await expect(page.locator(".note-current")).to_have_text(theirs)
    await expect(page.get_by_role("textbox", name="Your text")).to_have_value(mine)
    await expect(editor).to_have_value(mine)
    assert await serious_violations(page) == []

    # Publishing waits until the writer's text is saved: it is never someone else's unseen version.
    await page.get_by_role("button", name="Publish this version").click()
    await expect(page.get_by_role("alert")).to_contain_text("Save your text first")

    # Merged by hand and saved on top of theirs; the diff shows what changed.
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator(".note-status")).to_have_text("Version 3")
    await page.get_by_role("button", name="Compare").click()
    added = page.locator(".note-diff .diff-added")
    await expect(added).to_contain_text(["Costs were not discussed.", "My own"])
    await page.get_by_role("button", name="Publish this version").click()
    reader = await browsing.page(locale="fr-FR", init_scripts=axe)
    await reader.goto(f"/#/note/{water.slug}")
    await expect(reader.get_by_role("heading", level=1)).to_have_text("Note de synthèse")
    await expect(reader.locator(".note-sources li")).to_contain_text("puits propres")
    assert await serious_violations(reader) == []
