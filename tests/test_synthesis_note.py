"""The background note: citations checked by slicing, saves that never lose a change,
citations flagged for review when their comment changes, publishing for everyone."""

from typing import Any

from tests.helpers import Api, RunningServer, User, assert_error, assert_frame, fetch_rows
from tests.live import live_client

WELLS = "Nous avons besoin de puits propres. Les pompes cassent tous les mois, et personne ne les répare."
METERS = "Water meters in every home would show who uses what."


def span(body: str, piece: str) -> str:
    start = body.index(piece)
    return f"{start}-{start + len(piece)}"


async def scene(api: Api) -> dict[str, Any]:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water", "What should change?")
    chloe = await api.register("Chloé", language="fr")
    bo = await api.register("Bo")
    wells = await api.comment(chloe, question["id"], WELLS, lang="fr")
    meters = await api.comment(bo, question["id"], METERS, quoting="named")
    return {"moderator": moderator, "chloe": chloe, "bo": bo, "wells": wells, "meters": meters}


def cite_wells(wells: int) -> str:
    return f"One wrote “Nous avons besoin de puits propres.”[^c{wells}:0-35]"


def cite_meters(meters: int) -> str:
    return f"Another wrote “Water meters in every home”[^c{meters}:0-26]"


def review_flags(note: dict[str, Any]) -> dict[int, bool]:
    """Each cited comment's `needs_review`, as the moderators' workspace shows it."""
    return {
        c["comment_id"]: c["needs_review"]
        for section in note["sections"]
        for sentence in section["sentences"]
        for c in sentence["citations"]
    }


async def save(api: Api, who: User, markdown: str, base: int | None, lang: str = "en") -> Any:
    return await api.http.put(
        "/api/v1/spaces/water/note",
        json={"markdown": markdown, "lang": lang, "base_version": base},
        headers=who.headers,
    )


async def test_a_quote_that_is_its_comments_exact_words_is_saved_with_its_span(api: Api) -> None:
    s = await scene(api)
    wells = s["wells"]["id"]
    quote = "Nous avons besoin de puits propres."
    markdown = (
        f"# Water\n\nOne participant wrote “{quote}”[^c{wells}:{span(WELLS, quote)}] Nobody said otherwise.\n"
    )
    response = await save(api, s["moderator"], markdown, None)
    assert response.status_code == 200, response.text
    note = response.json()
    assert note["version"] == 1 and note["event_seq"] is not None
    first, second = note["sections"][0]["sentences"]
    assert first["citations"] == [
        {
            "comment_id": wells,
            "start": 0,
            "end": 35,
            "quote": WELLS[:35],
            "revision": 0,
            "needs_review": False,
        }
    ]
    assert not first["unsourced"] and second["unsourced"] and note["unsourced_sentences"] == 1


async def test_a_quote_not_in_its_comment_is_refused_and_nothing_is_written(
    api: Api, database_url: str
) -> None:
    s = await scene(api)
    wells = s["wells"]["id"]
    # The span is right; the words are not the comment's (a paraphrase, a "fixed" typo).
    altered = f"They wrote “Nous avons besoin de puits propre.”[^c{wells}:0-34]."
    assert_error(await save(api, s["moderator"], altered, None), 422, "quote_not_in_comment")
    # A span beyond the comment's end, and a comment that is not published in the space.
    past_end = f"They wrote “pompes”[^c{wells}:0-{len(WELLS) + 5}]."
    assert_error(await save(api, s["moderator"], past_end, None), 422, "citation_invalid")
    missing = "They wrote “pompes”[^c999999:0-6]."
    assert_error(await save(api, s["moderator"], missing, None), 422, "cited_comment_not_found")
    assert await fetch_rows(database_url, "SELECT * FROM synthesis_note_versions") == []
    assert await fetch_rows(database_url, "SELECT * FROM synthesis_citations") == []


async def test_a_quote_joined_with_an_ellipsis_checks_each_piece_in_the_comments_order(api: Api) -> None:
    s = await scene(api)
    wells = s["wells"]["id"]
    first, second = "Nous avons besoin de puits propres.", "personne ne les répare"
    joined = f"[^c{wells}:{span(WELLS, first)},{span(WELLS, second)}]"
    ok = await save(api, s["moderator"], f"One wrote “{first} … {second}”{joined}.", None)
    assert ok.status_code == 200, ok.text
    [sentence] = ok.json()["sections"][0]["sentences"]
    assert [c["quote"] for c in sentence["citations"]] == [first, second]
    # The same pieces quoted the other way round, with their spans in the order quoted.
    backwards = f"[^c{wells}:{span(WELLS, second)},{span(WELLS, first)}]"
    refused = await save(api, s["moderator"], f"One wrote “{second} … {first}”{backwards}.", 1)
    assert_error(refused, 422, "quote_out_of_order")
    # Spans in order, but the pieces swapped inside the quotation.
    swapped = await save(api, s["moderator"], f"One wrote “{second} … {first}”{joined}.", 1)
    assert_error(swapped, 422, "quote_out_of_order")


async def test_a_stale_save_gets_a_conflict_with_the_current_version_and_nothing_is_lost(api: Api) -> None:
    s = await scene(api)
    other = await api.moderator("water", "Second writer")
    assert (await save(api, s["moderator"], "First draft.", None)).status_code == 200
    assert (await save(api, other, "Second writer's text.", 1)).status_code == 200
    stale = await save(api, s["moderator"], "First writer's edit.", 1)
    error = assert_error(stale, 409, "note_conflict")
    assert error["details"]["current_version"] == 2
    assert error["details"]["markdown"] == "Second writer's text."
    # A first save when a note already exists conflicts too.
    assert_error(await save(api, other, "From scratch.", None), 409, "note_conflict")
    merged = await save(api, s["moderator"], "Second writer's text. First writer's edit.", 2)
    assert merged.status_code == 200 and merged.json()["version"] == 3
    versions = (await api.http.get("/api/v1/spaces/water/note/versions", headers=other.headers)).json()
    assert [v["version"] for v in versions["items"]] == [3, 2, 1]
    diff = await api.http.get("/api/v1/spaces/water/note/diff?from=1&to=3", headers=other.headers)
    assert diff.status_code == 200
    assert (
        "-First draft." in diff.json()["diff"]
        and "+Second writer's text. First writer's edit." in diff.json()["diff"]
    )


async def test_editing_or_hiding_a_cited_comment_marks_its_citations_for_review(api: Api) -> None:
    s = await scene(api)
    wells, meters = s["wells"]["id"], s["meters"]["id"]
    markdown = f"{cite_wells(wells)}. {cite_meters(meters)}."
    assert (await save(api, s["moderator"], markdown, None)).status_code == 200
    edited = await api.http.patch(
        f"/api/v1/comments/{wells}", json={"body": "Des puits, vite."}, headers=s["chloe"].headers
    )
    assert edited.status_code == 200, edited.text
    note = (await api.http.get("/api/v1/spaces/water/note", headers=s["moderator"].headers)).json()
    assert review_flags(note) == {wells: True, meters: False} and note["citations_needing_review"] == 1
    hidden = await api.http.post(
        f"/api/v1/comments/{meters}/decisions",
        json={"action": "hide", "reason": "spam"},
        headers=s["moderator"].headers,
    )
    assert hidden.status_code == 200, hidden.text
    # A save that keeps both citations keeps the words as they were cited, still for review.
    resaved = await save(api, s["moderator"], markdown + " More.", 1)
    assert resaved.status_code == 200, resaved.text
    assert resaved.json()["citations_needing_review"] == 2
    quotes = [
        c["quote"] for sec in resaved.json()["sections"] for x in sec["sentences"] for c in x["citations"]
    ]
    assert quotes == [WELLS[:35], METERS[:26]]


async def test_publishing_shows_everyone_the_note_and_which_comments_it_cited(
    api: Api, server: RunningServer
) -> None:
    s = await scene(api)
    wells = s["wells"]["id"]
    assert_error(await api.http.get("/api/v1/spaces/water/note/published"), 404, "note_not_published")
    markdown = f"One participant wrote “Nous avons besoin de puits propres.”[^c{wells}:0-35]."
    assert (await save(api, s["moderator"], markdown, None, lang="fr")).status_code == 200
    async with (
        live_client(server.ws_url) as public,
        live_client(server.ws_url, s["moderator"].token) as steward,
    ):
        assert_frame(await public.subscribe("water"), "snapshot")
        assert_frame(await steward.subscribe("water"), "snapshot")
        response = await api.http.post(
            "/api/v1/spaces/water/note/publish", json={"version": 1}, headers=s["moderator"].headers
        )
        assert response.status_code == 200, response.text
        seq = response.json()["event_seq"]
        [event] = [e for e in await public.events_through(seq) if e["seq"] == seq]
        assert event["type"] == "note.published" and event["data"]["cited_comment_ids"] == [wells]
        [seen] = [e for e in await steward.events_through(seq) if e["seq"] == seq]
        assert seen["data"]["audit"]["action"] == "note.publish"
    page = await api.http.get("/api/v1/spaces/water/note/published")
    assert page.status_code == 200
    assert page.json()["lang"] == "fr" and page.json()["markdown"] == markdown
    assert page.json()["sources"] == [
        {
            "comment_id": wells,
            "start": 0,
            "end": 35,
            "quote": WELLS[:35],
            "lang": "fr",
            "attribution": "Participant 1",
        }
    ]
    cited = (await api.http.get("/api/v1/spaces/water/note/cited", headers=s["chloe"].headers)).json()
    assert cited == {"version": 1, "comment_ids": [wells], "mine": [wells]}
    others = (await api.http.get("/api/v1/spaces/water/note/cited", headers=s["bo"].headers)).json()
    assert others["mine"] == []


async def test_a_comment_withdrawn_after_publication_is_no_longer_quoted_on_the_published_page(
    api: Api,
) -> None:
    s = await scene(api)
    wells, meters = s["wells"]["id"], s["meters"]["id"]
    markdown = f"# Water\n\n{cite_wells(wells)}. {cite_meters(meters)} and nobody disagreed.\n"
    assert (await save(api, s["moderator"], markdown, None)).status_code == 200
    published = await api.http.post(
        "/api/v1/spaces/water/note/publish", json={"version": 1}, headers=s["moderator"].headers
    )
    assert published.status_code == 200, published.text
    deleted = await api.http.delete(f"/api/v1/comments/{meters}", headers=s["bo"].headers)
    assert deleted.status_code == 200, deleted.text
    page = (await api.http.get("/api/v1/spaces/water/note/published")).json()
    assert page["markdown"] == (
        f"# Water\n\n{cite_wells(wells)}. Another wrote [source withdrawn] and nobody disagreed.\n"
    )
    assert [source["comment_id"] for source in page["sources"]] == [wells]
    assert "meters" not in str(page).lower()
    cited = (await api.http.get("/api/v1/spaces/water/note/cited")).json()
    assert cited["comment_ids"] == [wells]
    note = (await api.http.get("/api/v1/spaces/water/note", headers=s["moderator"].headers)).json()
    assert review_flags(note) == {wells: False, meters: True} and note["citations_needing_review"] == 1


async def test_saves_reach_moderators_live_and_never_the_public(api: Api, server: RunningServer) -> None:
    s = await scene(api)
    async with (
        live_client(server.ws_url) as public,
        live_client(server.ws_url, s["moderator"].token) as steward,
    ):
        assert_frame(await public.subscribe("water"), "snapshot")
        assert_frame(await steward.subscribe("water"), "snapshot")
        saved = await save(api, s["moderator"], "A first sentence.", None)
        seq = saved.json()["event_seq"]
        [event] = [e for e in await steward.events_through(seq) if e["seq"] == seq]
        assert event["type"] == "note.saved" and event["data"]["note"]["version"] == 1
        # The public stream moves past the save without showing it.
        marker = await api.comment(s["bo"], s["wells"]["question_id"], "Later.")
        public_seen = await public.events_through(marker["event_seq"])
        assert all(e["type"] != "note.saved" for e in public_seen)
