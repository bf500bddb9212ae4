"""Full-text search: stemmed and unaccented in English, French and Spanish, snippets
that carry no markup from the text, hidden text for moderators only, and paging."""

from typing import Any

import httpx

from tests.helpers import Api, User, assert_error
from tests.themes import store_theme, term


async def search(api: Api, who: User | None, **params: Any) -> dict[str, Any]:
    response = await api.http.get(
        "/api/v1/spaces/water/search", params=params, headers=who.headers if who else {}
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def hide(api: Api, moderator: User, comment_id: int) -> None:
    response: httpx.Response = await api.http.post(
        f"/api/v1/comments/{comment_id}/decisions",
        json={"action": "hide", "reason": "spam"},
        headers=moderator.headers,
    )
    assert response.status_code == 200, response.text


async def test_stemmed_and_unaccented_words_are_found_in_each_language(api: Api) -> None:
    await api.space("water")
    question = await api.question("water", "Qui paie l'eau ?")
    author = await api.register()
    french = await api.comment(
        author, question["id"], "Les élèves étudiaient l'énergie hydraulique.", lang="fr"
    )
    spanish = await api.comment(author, question["id"], "Las políticas públicas del agua.", lang="es")
    english = await api.comment(author, question["id"], "The cities were running out of water.", lang="en")
    for words, expected in (
        ("eleve etudier", french),  # no accents, another form of each word
        ("Élève", french),
        ("politica publica", spanish),
        ("política", spanish),
        ("city run", english),
    ):
        found = await search(api, None, q=words)
        assert [(h["kind"], h["id"]) for h in found["items"]] == [("comment", expected["id"])], words
    [hit] = (await search(api, None, q="eleves"))["items"]
    assert "<mark>élèves</mark>" in hit["snippet_html"]
    assert hit["lang"] == "fr" and hit["author_id"] == author.id
    # Questions are found in any of the three languages.
    [question_hit] = (await search(api, None, q="paie eau"))["items"]
    assert (question_hit["kind"], question_hit["id"]) == ("question", question["id"])


async def test_snippets_carry_no_markup_from_the_comment(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    author = await api.register()
    tags = await api.comment(
        author, question["id"], '<script>alert("water")</script> <b>water</b> <img src=x onerror=y>'
    )
    signs = await api.comment(author, question["id"], "Rivers: water if 3 < 5 & more.")
    hits = {h["id"]: h["snippet_html"] for h in (await search(api, None, q="water"))["items"]}
    for snippet in hits.values():
        assert "<script" not in snippet and "<b>" not in snippet and "<img" not in snippet
        assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert "<mark>water</mark>" in hits[tags["id"]]
    assert hits[signs["id"]].startswith("Rivers: <mark>water</mark> if 3 &lt; 5 &amp; more")


async def test_a_participant_never_gets_hidden_or_pending_text_from_search(api: Api) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water")
    author = await api.register()
    reader = await api.register()
    hidden = await api.comment(author, question["id"], "Secret pumps at a discount, call me.")
    await api.comment(author, question["id"], "Public pumps are fine.")
    await hide(api, moderator, hidden["id"])
    held = await api.register()
    response = await api.http.put(
        f"/api/v1/spaces/water/held-participants/{held.id}", json={}, headers=moderator.headers
    )
    assert response.status_code in (200, 201), response.text
    pending = await api.comment(held, question["id"], "Pending pumps secret.")
    assert pending["status"] == "pending"
    for who in (reader, author, held, None):
        found = await search(api, who, q="pumps secret")
        assert found["items"] == []
        everything = await search(api, who, q="pumps")
        assert all("ecret" not in h["snippet_html"] for h in everything["items"])
        assert [h["status"] for h in everything["items"]] == ["published"]
    as_moderator = await search(api, moderator, q="pumps secret")
    assert {h["id"] for h in as_moderator["items"]} == {hidden["id"], pending["id"]}
    assert {h["status"] for h in as_moderator["items"]} == {"hidden", "pending"}


async def test_results_page_by_cursor_and_filter_by_question_language_and_author(api: Api) -> None:
    await api.space("water")
    first = await api.question("water", "First")
    second = await api.question("water", "Second")
    ana, bo = await api.register(), await api.register()
    posted = [
        await api.comment(ana if i % 2 else bo, first["id"] if i < 4 else second["id"], f"Water meters {i}.")
        for i in range(6)
    ]
    french = await api.comment(ana, second["id"], "Des compteurs d'eau, water.", lang="fr")
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        page = await search(api, None, q="water", limit=3, **({"cursor": cursor} if cursor else {}))
        seen += [h["id"] for h in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted([c["id"] for c in posted] + [french["id"]])
    assert len(seen) == len(set(seen))
    by_question = await search(api, None, q="water", question_id=first["id"])
    assert {h["id"] for h in by_question["items"]} == {c["id"] for c in posted[:4]}
    assert [h["id"] for h in (await search(api, None, q="water", lang="fr"))["items"]] == [french["id"]]
    by_author = await search(api, None, q="water", author_id=bo.id)
    assert {h["id"] for h in by_author["items"]} == {c["id"] for c in posted[0::2]}
    first_page = await search(api, None, q="water", limit=3)
    response = await api.http.get(
        "/api/v1/spaces/water/search", params={"q": "meters", "cursor": first_page["next_cursor"]}
    )
    assert_error(response, 400, "invalid_cursor")


async def test_moderators_filter_by_theme_and_everyone_by_what_the_note_cites(
    api: Api, database_url: str
) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water", "Water?")
    author = await api.register()
    leaks, prices, meters = [
        await api.comment(author, question["id"], text)
        for text in ("Water leaks everywhere.", "Water prices keep rising.", "Water meters in homes.")
    ]
    theme = await store_theme(database_url, question["id"], [leaks["id"], prices["id"]], [term("water")])
    in_theme = await search(api, moderator, q="water", theme_id=theme)
    assert {h["id"] for h in in_theme["items"]} == {leaks["id"], prices["id"]}
    # Themes are the moderators': a participant's filter by theme is refused.
    response = await api.http.get(
        "/api/v1/spaces/water/search", params={"q": "water", "theme_id": theme}, headers=author.headers
    )
    assert_error(response, 403, "not_moderator")
    # The question "Water?" matches too, but only comments are cited or not.
    assert (await search(api, moderator, q="water", cited="true"))["items"] == []
    assert len((await search(api, moderator, q="water", cited="false"))["items"]) == 3
    markdown = f"One wrote “Water meters in homes.”[^c{meters['id']}:0-22]."
    saved = await api.http.put(
        "/api/v1/spaces/water/note",
        json={"markdown": markdown, "lang": "en", "base_version": None},
        headers=moderator.headers,
    )
    assert saved.status_code == 200, saved.text
    cited = await search(api, moderator, q="water", cited="true")
    assert [h["id"] for h in cited["items"]] == [meters["id"]]
    uncited = await search(api, moderator, q="water", cited="false")
    assert {h["id"] for h in uncited["items"]} == {leaks["id"], prices["id"]}
    # Participants filter against the published note: none is published yet.
    assert (await search(api, author, q="water", cited="true"))["items"] == []
    published = await api.http.post(
        "/api/v1/spaces/water/note/publish", json={"version": 1}, headers=moderator.headers
    )
    assert published.status_code == 200, published.text
    assert [h["id"] for h in (await search(api, author, q="water", cited="true"))["items"]] == [meters["id"]]


async def test_a_search_without_words_or_with_a_backward_date_range_is_refused(api: Api) -> None:
    await api.space("water")
    assert_error(await api.http.get("/api/v1/spaces/water/search", params={"q": " "}), 422, "invalid_query")
    response = await api.http.get(
        "/api/v1/spaces/water/search",
        params={"q": "water", "since": "2030-01-02T00:00:00Z", "until": "2030-01-01T00:00:00Z"},
    )
    assert_error(response, 422, "invalid_query")
