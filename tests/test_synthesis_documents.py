"""What the note draws on (coverage), the generated draft, and the exports: every footnote
quotes its comment's exact words in their language, attributed by the author's consent."""

import io
import re
from typing import Any

import docx
import pytest

from server.exports.docx_note import read_footnotes
from server.running.settings import Settings
from tests.helpers import Api, User, assert_error
from tests.themes import store_theme, term

ANA_WATER = "El agua es un derecho, no una mercancía. Nadie debería pagar por lo básico."
ANA_METERS = "Los contadores ayudan a ver las fugas."
BO_WATER = "Free water for the first fifty litres a day."
CHLOE_REPLY = "D'accord, mais qui paie les canalisations ?"
CHLOE_METERS = "Des compteurs partout, et des tarifs sociaux."
DAN_HIDDEN = "Buy my pumps."


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url, redis_url=None, note_target_words=300, note_max_participant_share=0.5
    )


async def support(api: Api, comment: dict[str, Any], *who: User) -> None:
    for user in who:
        response = await api.http.post(f"/api/v1/comments/{comment['id']}/support", headers=user.headers)
        assert response.status_code == 200, response.text


async def scene(api: Api, languages: tuple[str, ...] = ("en", "fr", "es")) -> dict[str, Any]:
    """Two questions, three languages, four authors (one hidden), supports counted."""
    await api.space("water", languages=list(languages))
    moderator = await api.moderator("water")
    first = await api.question("water", "Who pays for water?")
    second = await api.question("water", "Should homes have meters?")
    ana = await api.register("Ana", language="es")
    bo = await api.register("Bo")
    chloe = await api.register("Chloé", language="fr")
    dan = await api.register("Dan")
    ana_water = await api.comment(ana, first["id"], ANA_WATER, lang="es")
    bo_water = await api.comment(bo, first["id"], BO_WATER, quoting="named")
    chloe_reply = await api.comment(chloe, first["id"], CHLOE_REPLY, lang="fr", parent_id=ana_water["id"])
    ana_meters = await api.comment(ana, second["id"], ANA_METERS, lang="es")
    chloe_meters = await api.comment(chloe, second["id"], CHLOE_METERS, lang="fr")
    hidden = await api.comment(dan, second["id"], DAN_HIDDEN)
    await support(api, ana_water, bo, chloe, dan)
    await support(api, bo_water, ana)
    await support(api, chloe_meters, ana, bo)
    await support(api, hidden, ana, bo, chloe)
    response = await api.http.post(
        f"/api/v1/comments/{hidden['id']}/decisions",
        json={"action": "hide", "reason": "spam"},
        headers=moderator.headers,
    )
    assert response.status_code == 200, response.text
    return {
        "moderator": moderator,
        "questions": (first["id"], second["id"]),
        "ana_water": ana_water["id"],
        "bo_water": bo_water["id"],
        "ana_meters": ana_meters["id"],
        "chloe_meters": chloe_meters["id"],
        "chloe_reply": chloe_reply["id"],
        "hidden": hidden["id"],
    }


def cite(comment_id: int, body: str, *pieces: str) -> str:
    spans = []
    for piece in pieces:
        start = body.index(piece)
        spans.append(f"{start}-{start + len(piece)}")
    return f"“{' … '.join(pieces)}”[^c{comment_id}:{','.join(spans)}]"


async def save(
    api: Api, who: User, markdown: str, lang: str = "en", base: int | None = None
) -> dict[str, Any]:
    response = await api.http.put(
        "/api/v1/spaces/water/note",
        json={"markdown": markdown, "lang": lang, "base_version": base},
        headers=who.headers,
    )
    assert response.status_code == 200, response.text
    note: dict[str, Any] = response.json()
    return note


async def test_coverage_counts_what_the_note_cites_against_the_published_consultation(
    api: Api, database_url: str
) -> None:
    s = await scene(api)
    first, second = s["questions"]
    water = await store_theme(
        database_url, first, [s["ana_water"], s["bo_water"]], [term("water")], "Free water"
    )
    pipes = await store_theme(database_url, first, [s["chloe_reply"]], [term("canalisations", lang="fr")])
    await store_theme(database_url, second, [s["ana_meters"], s["chloe_meters"]], [term("meters")])
    # A theme left with no published comment is nothing to cite.
    await store_theme(database_url, second, [s["hidden"]], [term("pumps")])
    markdown = (
        "# Paying for water\n\n"
        f"One participant called water {cite(s['ana_water'], ANA_WATER, 'un derecho, no una mercancía')}. "
        f"Another asked for {cite(s['bo_water'], BO_WATER, 'Free water for the first fifty litres a day.')} "
        f"Meters were mentioned too{cite(s['ana_meters'], ANA_METERS, ANA_METERS)}.\n"
    )
    await save(api, s["moderator"], markdown)
    response = await api.http.get("/api/v1/spaces/water/note/coverage", headers=s["moderator"].headers)
    assert response.status_code == 200, response.text
    coverage = response.json()
    # Both questions have published comments; the note cites both (Ana's meters comment is on the second).
    assert coverage["questions"] == {"cited": 2, "total": 2, "share": 1.0}
    # Published languages: es, en, fr (the hidden English comment does not count); French is not cited.
    assert coverage["languages"] == {"cited": 2, "total": 3, "share": 0.6667}
    assert coverage["uncited_languages"] == ["fr"]
    # Published authors: Ana, Bo, Chloé (Dan's only comment is hidden); Ana and Bo cited.
    assert coverage["participants"] == {"cited": 2, "total": 3, "share": 0.6667}
    # Supported and uncited: Chloé's meters comment (2); the hidden one (3 supports) is not offered.
    assert [(c["id"], c["support_count"]) for c in coverage["most_supported_uncited"]] == [
        (s["chloe_meters"], 2)
    ]
    # Ana supplies two of the three cited comments: more than the 0.5 allowed; Bo's third is not.
    assert coverage["dominant_participants"] == [
        {"participant": "Participant 1", "citations": 2, "share": 0.6667, "max_share": 0.5}
    ]
    assert coverage["target_words"] == 300
    # 9 + 12 + 11 words in the three sentences; the heading and the markers are not counted.
    assert coverage["words"] == 32
    assert coverage["uncited_questions"] == []
    # Of three themes with published comments, the note cites the water one and the meters one.
    assert coverage["themes"] == {"cited": 2, "total": 3, "share": 0.6667}
    assert coverage["uncited_themes"] == [
        {"id": pipes, "question_id": first, "label": "canalisations", "comments": 1}
    ]
    assert water not in [t["id"] for t in coverage["uncited_themes"]]


async def test_the_draft_cites_every_sentence_and_counts_supports_instead_of_claiming_agreement(
    api: Api,
) -> None:
    s = await scene(api)
    first = await api.http.get("/api/v1/spaces/water/note/draft", headers=s["moderator"].headers)
    again = await api.http.get("/api/v1/spaces/water/note/draft", headers=s["moderator"].headers)
    assert first.status_code == 200 and first.json() == again.json()
    draft = first.json()["markdown"]
    assert (
        "3 participants, writing in English, French and Spanish, contributed 3 comments and replies" in draft
    )
    assert "2 participants, writing in French and Spanish" in draft
    assert "3 participants supported it" in draft and "no participant has supported it yet" in draft
    lowered = draft.lower()
    assert all(word not in lowered for word in ("agree", "consensus", "unanim"))
    assert DAN_HIDDEN not in draft
    # Saved as it is, every quotation holds and no sentence is unsourced.
    note = await save(api, s["moderator"], draft)
    assert note["unsourced_sentences"] == 0
    assert [section["title"] for section in note["sections"]] == [
        "Who pays for water?",
        "Should homes have meters?",
    ]


def unquoted(draft: str) -> str:
    return re.sub("«[^»]*»", "", draft).lower()


async def test_the_draft_is_written_in_french_or_spanish_with_the_same_counts_and_citations(
    api: Api,
) -> None:
    s = await scene(api, languages=("fr", "es", "en"))
    # No `lang`: the space's first language.
    french = await api.http.get("/api/v1/spaces/water/note/draft", headers=s["moderator"].headers)
    assert french.status_code == 200, french.text
    assert french.json()["lang"] == "fr"
    draft = french.json()["markdown"]
    assert (
        "Cette question a reçu 3 commentaires et réponses de 3 participants, "
        "en anglais, espagnol et français ;" in draft
    )
    assert (
        "Cette question a reçu 2 commentaires et réponses de 2 participants, en espagnol et français ;"
        in draft
    )
    assert (
        f"« El agua es un derecho, no una mercancía. … »[^c{s['ana_water']}:0-40], "
        "a écrit un participant en espagnol ; 3 participants l'ont soutenu." in draft
    )
    assert "1 participant l'a soutenu." in draft and "aucun participant ne l'a encore soutenu." in draft
    # The draft's own words, quotes aside (Chloé wrote "D'accord"), never claim agreement.
    assert all(word not in unquoted(draft) for word in ("accord", "consensus", "unanim"))
    spanish = await api.http.get(
        "/api/v1/spaces/water/note/draft", params={"lang": "es"}, headers=s["moderator"].headers
    )
    draft_es = spanish.json()["markdown"]
    assert (
        "Esta pregunta recibió 3 comentarios y respuestas de 3 participantes, en español, francés e inglés;"
        in draft_es
    )
    assert (
        "Esta pregunta recibió 2 comentarios y respuestas de 2 participantes, en español y francés;"
        in draft_es
    )
    assert "escribió un participante en inglés; 1 participante lo apoyó." in draft_es
    assert (
        "3 participantes lo apoyaron." in draft_es
        and "ningún participante lo ha apoyado todavía." in draft_es
    )
    assert all(word not in unquoted(draft_es) for word in ("acuerdo", "consenso", "unánim"))
    assert DAN_HIDDEN not in draft + draft_es
    # Saved as they are, every quotation holds and no sentence is unsourced.
    for version, (lang, markdown) in enumerate((("fr", draft), ("es", draft_es))):
        note = await save(api, s["moderator"], markdown, lang, base=version or None)
        assert note["unsourced_sentences"] == 0
        assert len(note["sections"][0]["sentences"]) == 4
    refused = await api.http.get(
        "/api/v1/spaces/water/note/draft", params={"lang": "de"}, headers=s["moderator"].headers
    )
    assert_error(refused, 422, "invalid_query")


async def test_the_word_export_footnotes_each_quote_in_its_language_attributed_by_consent(api: Api) -> None:
    s = await scene(api)
    markdown = (
        "# Paying for water\n\n"
        f"One participant wrote {cite(s['ana_water'], ANA_WATER, ANA_WATER[0:21], ANA_WATER[41:60])}. "
        f"Bo asked for {cite(s['bo_water'], BO_WATER, 'Free water for the first fifty litres a day.')}\n"
    )
    await save(api, s["moderator"], markdown)
    response = await api.http.get(
        "/api/v1/spaces/water/note/export?format=docx", headers=s["moderator"].headers
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    footnotes = read_footnotes(response.content)
    assert footnotes == {
        1: f"“{ANA_WATER[0:21]} … {ANA_WATER[41:60]}” (Spanish) — Participant 1, comment {s['ana_water']}.",
        2: f"“{BO_WATER}” (English) — Bo, comment {s['bo_water']}.",
    }
    assert ANA_WATER[0:21] == "El agua es un derecho" and ANA_WATER[41:60] == "Nadie debería pagar"
    document = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["Consultation water", "Paying for water"]
    assert "[^c" not in "".join(texts) and "One participant wrote “El agua es un derecho" in texts[2]
    markdown_export = await api.http.get("/api/v1/spaces/water/note/export", headers=s["moderator"].headers)
    assert markdown_export.headers["content-type"].startswith("text/markdown")
    assert f"[^1]: {footnotes[1]}" in markdown_export.text and f"[^2]: {footnotes[2]}" in markdown_export.text
