"""Language detection: the space's languages only, "und" when too short to tell, every language
of a two-language post, Markdown, URLs, handles and code left out."""

from typing import Any

import pytest

from server.insight.languages import UNDETERMINED, detect_languages
from server.insight.plain_text import plain_paragraphs

SPACE = ["en", "fr", "es"]
# The fixture is 65 comments; 65 were right when this was written. The floor leaves room for
# a model update to miss a few borderline ones ("Merci !") without hiding a real regression.
ACCURACY_FLOOR = 0.9


def test_fixture_covers_short_comments_acronyms_and_two_language_posts(language_fixture: Any) -> None:
    comments = language_fixture["comments"]
    assert len(comments) >= 60
    assert sum(len(comment["expected"]) == 2 for comment in comments) >= 8
    assert {"Merci !", "+1", "De acuerdo"} <= {comment["text"] for comment in comments}
    for language in SPACE:
        assert sum(comment["expected"] == [language] for comment in comments) >= 15


def test_detection_matches_a_reader_on_the_fixture(language_fixture: Any) -> None:
    comments = language_fixture["comments"]
    wrong = []
    for comment in comments:
        detected = detect_languages(comment["text"], language_fixture["languages"])
        if list(detected.languages) != comment["expected"]:
            wrong.append((comment["expected"], detected.languages, comment["text"]))
    accuracy = 1 - len(wrong) / len(comments)
    print(f"language detection: {accuracy:.1%} of {len(comments)} comments exactly right")
    assert accuracy >= ACCURACY_FLOOR, wrong


def test_spanish_paragraph_followed_by_its_english_version_reports_spanish_first() -> None:
    text = (
        "Pedimos que la declaración final reconozca el derecho humano al agua potable y al saneamiento.\n\n"
        "We ask that the final declaration recognise the human right to safe drinking water and sanitation."
    )
    detected = detect_languages(text, SPACE)
    assert detected.primary == "es"
    assert detected.languages == ("es", "en")
    assert detected.confidence > 0.9


def test_one_paragraph_that_switches_language_halfway_reports_both() -> None:
    text = (
        "Les comités de gestion des points d'eau manquent de formation. Beaucoup de pompes restent "
        "en panne pendant des mois, faute de pièces de rechange et de mécaniciens. Water point "
        "committees lack training. Many pumps stay broken for months, for want of spare parts and "
        "of mechanics."
    )
    assert detect_languages(text, SPACE).languages == ("fr", "en")


@pytest.mark.parametrize(
    "text", ["+1", "OK", "👍👍", "", "   ", "UNESCO, UNEP, FAO", "@carlos_m", "https://example.org/a"]
)
def test_text_too_short_or_without_words_is_undetermined(text: str) -> None:
    detected = detect_languages(text, SPACE)
    assert detected.primary == UNDETERMINED
    assert detected.languages == (UNDETERMINED,)


def test_short_but_clear_replies_are_detected() -> None:
    assert detect_languages("De acuerdo", SPACE).languages == ("es",)
    assert detect_languages("Tout à fait d'accord.", SPACE).languages == ("fr",)
    assert detect_languages("Strongly agree.", SPACE).languages == ("en",)


def test_a_short_closing_line_in_another_language_does_not_add_that_language() -> None:
    text = (
        "Les agences de bassin financent la protection des captages grâce aux redevances payées "
        "par les usagers de l'eau.\n\nThanks!"
    )
    assert detect_languages(text, SPACE).languages == ("fr",)


def test_only_the_space_languages_are_ever_reported() -> None:
    english = "Cities lose a third of their treated water to leaks; fixing pipes is cheaper than new dams."
    detected = detect_languages(english, ["fr", "es"])
    assert set(detected.languages) <= {"fr", "es", UNDETERMINED}


def test_code_urls_and_mentions_do_not_count_towards_a_language() -> None:
    text = (
        "Voir https://example.org/the-water-report-in-english-with-many-words et @john_smith_reporter.\n\n"
        "```\nthe code block is written in english and would otherwise win\n```\n\n"
        "Les données hydrologiques doivent être publiques."
    )
    assert detect_languages(text, SPACE).languages == ("fr",)


def test_an_empty_language_list_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one language"):
        detect_languages("Hello there, this is English.", [])


def test_plain_paragraphs_keep_link_text_and_drop_markup() -> None:
    markdown = "See **our report** on [flood risk](https://example.org/r.pdf), @maria.\n\n- `x = 1` item two"
    assert plain_paragraphs(markdown) == ["See our report on flood risk, .", "item two"]
