"""The interface in English, French and Spanish: chosen from the browser's language,
switchable, remembered, with nothing left in English after a switch."""

import json
import re

import pytest
from playwright.async_api import Page, expect

from tests.browser.support import ROOT, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

CATALOGUES = {
    lang: json.loads((ROOT / "client" / "i18n" / f"{lang}.json").read_text()) for lang in ("en", "fr", "es")
}

# Every piece of text a person can see or hear: text nodes, and the attributes
# screen readers and forms show.
VISIBLE_TEXTS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    if (text) texts.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
    for (const name of ['aria-label', 'placeholder', 'title']) {
      if (el.getAttribute(name)) texts.push(el.getAttribute(name).trim());
    }
  }
  return texts;
}"""


def english_patterns(lang: str) -> dict[str, re.Pattern[str]]:
    """English texts that must not be seen in `lang`: those its catalogue translates differently."""
    patterns = {}
    for key, english in CATALOGUES["en"].items():
        if CATALOGUES[lang][key] == english:
            continue  # the same in both languages ("Contact", "Question {number}")
        parts = re.split(r"\{\w+\}", english)
        if not any(re.search(r"[A-Za-z]", part) for part in parts):
            continue  # placeholders and punctuation only ("{actor}: {action} {target}"): no English in it
        patterns[key] = re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$")
    return patterns


async def untranslated(page: Page, lang: str) -> list[tuple[str, str]]:
    texts: list[str] = await page.evaluate(VISIBLE_TEXTS)
    patterns = english_patterns(lang)
    return [(text, key) for text in texts for key, pattern in patterns.items() if pattern.match(text)]


async def switch(page: Page, lang: str) -> None:
    await page.get_by_label(re.compile("^(Language|Langue|Idioma)$")).select_option(lang)
    await expect(page.locator("html")).to_have_attribute("lang", lang)


async def test_french_and_spanish_leave_no_english_on_the_space_page_screen_and_forms(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    first = await api.comment(water.alice, water.questions[0]["id"], "A first thought.")
    await api.comment(water.bob, water.questions[0]["id"], "Une réponse.", lang="fr", parent_id=first["id"])
    page = await browsing.page(water.alice)
    await page.goto(water.url())
    await expect(page.locator(".comment")).to_have_count(2)
    # The check sees English where French is expected: it can fail.
    assert ("Reply", "comment.reply") in await untranslated(page, "fr")
    await page.locator(".reply-button").last.click()  # a reply composer is open too

    for lang, closed_word in (("fr", "Répondre"), ("es", "Responder")):
        await switch(page, lang)
        await expect(page.locator(".reply-button").first).to_have_text(closed_word)
        assert await untranslated(page, lang) == [], lang
        # Dates follow the language too (an en-GB browser has no French or Spanish variant), with the zone.
        stamp = await page.locator(".comment time").first.get_attribute("datetime")
        expected = await page.evaluate(
            "([iso, lang]) => new Intl.DateTimeFormat(lang, {day: 'numeric', month: 'short', year: 'numeric',"
            " hour: 'numeric', minute: '2-digit', timeZoneName: 'short'}).format(new Date(iso))",
            [stamp, lang],
        )
        await expect(page.locator(".comment time").first).to_have_text(expected)

    await page.goto(water.screen_url)
    await expect(page.locator(".screen-title")).to_be_visible()
    assert await untranslated(page, "es") == []
    await page.goto("/#/register")
    await expect(page.locator("form")).to_be_visible()
    assert await untranslated(page, "es") == []


async def test_the_language_comes_from_the_browser_and_a_choice_is_remembered(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    page = await browsing.page(locale="es-MX")
    await page.goto(water.url())
    await expect(page.locator("html")).to_have_attribute("lang", "es")
    await expect(page.locator("#discussion-questions")).to_have_text("Preguntas para el debate")

    await switch(page, "fr")
    await page.reload()
    await expect(page.locator("html")).to_have_attribute("lang", "fr")
    await expect(page.locator("#discussion-questions")).to_have_text("Questions de discussion")
    await expect(page.get_by_label("Langue")).to_have_value("fr")


async def test_the_composer_writes_in_the_account_language_whatever_the_interface_language(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(api)
    bob = await browsing.page(water.bob, locale="en-GB")  # Bob's account says French
    await bob.goto(water.url())
    composer = bob.locator(".composer-area").first
    await expect(composer.get_by_label("Written in")).to_have_value("fr")
    await composer.locator("textarea").fill("Des puits partagés.")
    await composer.get_by_role("button", name="Post comment").click()
    posted = bob.locator(".comment", has_text="Des puits partagés.")
    await expect(posted.locator(".comment-body")).to_have_attribute("lang", "fr")
    await expect(posted.locator(".lang-tag")).to_contain_text("FR")

    # Alice's account says English: a French interface does not change what she writes in,
    # and she can still choose another language for one comment.
    alice = await browsing.page(water.alice, locale="fr-FR")
    await alice.goto(water.url())
    mine = alice.locator(".composer-area").first
    await expect(mine.get_by_label("Écrit en")).to_have_value("en")
    await mine.get_by_label("Écrit en").select_option("es")
    await mine.locator("textarea").fill("Pozos compartidos.")
    await mine.get_by_role("button", name="Publier le commentaire").click()
    spanish = alice.locator(".comment", has_text="Pozos compartidos.")
    await expect(spanish.locator(".lang-tag")).to_contain_text("ES")


async def test_right_to_left_text_reads_right_to_left(api: Api, browsing: Browsing) -> None:
    water = await open_consultation(api, languages=["en", "ar"])
    await api.comment(water.alice, water.questions[0]["id"], "المياه حق للجميع.", lang="ar")
    page = await browsing.page(water.bob)
    await page.goto(water.url())
    body = page.locator(".comment-body", has_text="المياه")
    await expect(body).to_have_attribute("dir", "auto")
    assert await body.evaluate("(el) => getComputedStyle(el.querySelector('p') ?? el).direction") == "rtl"
    await page.locator(".composer-area textarea").first.fill("شكرا")
    assert (
        await page.locator(".composer-area textarea").first.evaluate("(el) => getComputedStyle(el).direction")
        == "rtl"
    )


async def test_the_language_chosen_at_sign_up_becomes_the_interface_language(browsing: Browsing) -> None:
    page = await browsing.page(locale="en-GB")
    await page.goto("/#/register")
    await page.get_by_label("Name shown with your comments").fill("Inés García")
    await page.get_by_label("Email").fill("ines@example.org")
    await page.get_by_label("Password (at least 8 characters)").fill("a long passphrase")
    await page.get_by_label("Preferred language").select_option("es")
    await page.get_by_role("button", name="Create the account").click()
    await expect(page.locator("html")).to_have_attribute("lang", "es")
    await expect(page.get_by_label("Idioma")).to_have_value("es")
