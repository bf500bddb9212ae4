"""How the note's Markdown is read: sections, sentences and the citations each carries,
as docs/protocol.md ("The background note") specifies."""

import pytest

from server import errors
from server.synthesis.markup import Citation, count_words, parse_note
from server.synthesis.withdrawn import without_withdrawn_quotes


def test_headings_open_sections_and_are_not_sentences() -> None:
    sections = parse_note("# Water\n\nOne. Two!\n\n## Money\n\nThree?\n")
    assert [(s.title, [x.text for x in s.sentences]) for s in sections] == [
        ("Water", ["One.", "Two!"]),
        ("Money", ["Three?"]),
    ]


def test_a_quoted_sentence_does_not_end_the_sentence_quoting_it() -> None:
    [section] = parse_note("She wrote “We need wells. Now.”[^c4:0-24] and left. Next one.")
    assert [s.text for s in section.sentences] == [
        "She wrote “We need wells. Now.”[^c4:0-24] and left.",
        "Next one.",
    ]
    assert section.sentences[0].citations == (Citation(4, ((0, 24),), ("We need wells. Now.",)),)


def test_markers_after_the_full_stop_belong_to_the_sentence_before() -> None:
    [section] = parse_note("Wells matter.[^c1:0-5][^c2:3-9] Pumps too.")
    first, second = section.sentences
    assert [c.comment_id for c in first.citations] == [1, 2] and second.citations == ()


def test_list_items_are_blocks_of_their_own_and_lines_of_a_paragraph_join() -> None:
    [section] = parse_note("- First item\n- Second item\n\nA paragraph\non two lines.")
    assert [s.text for s in section.sentences] == ["First item", "Second item", "A paragraph on two lines."]


def test_an_ellipsis_splits_a_quotation_into_pieces_and_a_leading_one_is_an_elision() -> None:
    [section] = parse_note("“… wells … pumps”[^c3:5-10,20-25] and «sans […] eau»[^c3:30-34,40-43].")
    first, second = section.sentences[0].citations
    assert first.pieces == ("", "wells", "pumps") and second.pieces == ("sans", "eau")


def test_a_marker_after_plain_text_cites_without_quoting() -> None:
    [section] = parse_note("Several wanted meters[^c9:0-12].")
    assert section.sentences[0].citations == (Citation(9, ((0, 12),), None),)


@pytest.mark.parametrize("marker", ["[^c1:]", "[^c1:5-5]", "[^c1:9-3]", "[^c1:a-b]", "[^c1:1-2,]"])
def test_a_malformed_marker_is_refused(marker: str) -> None:
    with pytest.raises(errors.CitationInvalid):
        parse_note(f"Text{marker}.")


def test_words_leave_markers_out() -> None:
    assert count_words("Two words[^c12:0-40].") == 2


def test_a_withdrawn_quotation_gives_way_to_its_marker_and_stacked_citations_of_others_stay() -> None:
    markdown = "Ils ont écrit « des puits propres »[^c1:0-17][^c2:3-20]. Et “pompes”[^c2:0-6], [^c1:4-9]."
    assert without_withdrawn_quotes(markdown, "fr", {2}) == (
        "Ils ont écrit [source retirée][^c1:0-17]. Et [source retirée], [^c1:4-9]."
    )
    assert without_withdrawn_quotes(markdown, "es", {1, 2}) == (
        "Ils ont écrit [fuente retirada]. Et [fuente retirada], ."
    )
    assert without_withdrawn_quotes(markdown, "fr", set()) == markdown
