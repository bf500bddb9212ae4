"""Checking a note's citations by slicing the cited comment's text, and seeing which need review.

A span is checked once, when first cited, against the comment's published text; the note
then keeps the quoted text, the text's hash and its revision number. A later save that
still cites the same span carries those forward (so an edit since does not silently move
the quote), and a citation whose comment has since been edited, hidden or deleted is
reported as `needs_review`.
"""

import hashlib
from collections.abc import Iterable

from server import errors
from server.queries.synthesis import CitationRow, SourceRow
from server.synthesis.markup import Citation, Section

SpanKey = tuple[int, int, int]


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def key(row: CitationRow) -> SpanKey:
    return (row.comment_id, row.span_start, row.span_end)


def cited_comment_ids(sections: Iterable[Section]) -> list[int]:
    return sorted({c.comment_id for s in sections for sentence in s.sentences for c in sentence.citations})


def check_citations(
    sections: list[Section], sources: dict[int, SourceRow], earlier: dict[SpanKey, CitationRow]
) -> list[CitationRow]:
    """Every span of the note, checked; raises on the first one that does not hold."""
    checked: dict[SpanKey, CitationRow] = {}
    for section in sections:
        for sentence in section.sentences:
            for citation in sentence.citations:
                for row in _check(citation, sources, earlier):
                    checked.setdefault(key(row), row)
    return list(checked.values())


def _check(
    citation: Citation, sources: dict[int, SourceRow], earlier: dict[SpanKey, CitationRow]
) -> list[CitationRow]:
    marker = f"[^c{citation.comment_id}:{','.join(f'{a}-{b}' for a, b in citation.spans)}]"
    for (_, end), (start, _) in zip(citation.spans, citation.spans[1:], strict=False):
        if start < end:
            raise errors.QuoteOutOfOrder(details={"marker": marker})
    pieces = _pieces(citation)
    if pieces is not None and len(pieces) != len(citation.spans):
        raise errors.QuoteNotInComment(
            f"The quotation has {len(pieces)} piece(s) joined with … but the marker gives "
            f"{len(citation.spans)} span(s).",
            details={"marker": marker},
        )
    rows = []
    source = sources.get(citation.comment_id)
    for index, (start, end) in enumerate(citation.spans):
        kept = earlier.get((citation.comment_id, start, end))
        if kept is None:
            if source is None or source.status != "published":
                raise errors.CitedCommentNotFound(
                    details={"marker": marker, "comment_id": citation.comment_id}
                )
            if end > len(source.body):
                raise errors.CitationInvalid(
                    "A span ends after the end of its comment's text.",
                    details={"marker": marker, "comment_length": len(source.body)},
                )
            kept = CitationRow(
                citation.comment_id,
                start,
                end,
                source.body[start:end],
                body_hash(source.body),
                source.revision,
            )
        if pieces is not None and pieces[index] != kept.quote:
            _refuse_mismatch(marker, pieces, index, kept, source)
        rows.append(kept)
    return rows


def _pieces(citation: Citation) -> tuple[str, ...] | None:
    """The quotation's pieces; a leading or trailing "…" marks an elision, not a piece."""
    if citation.pieces is None:
        return None
    pieces = list(citation.pieces)
    while pieces and pieces[0] == "":
        pieces.pop(0)
    while pieces and pieces[-1] == "":
        pieces.pop()
    return tuple(pieces)


def _refuse_mismatch(
    marker: str, pieces: tuple[str, ...], index: int, kept: CitationRow, source: SourceRow | None
) -> None:
    """A piece that is not its span's text: out of order if it is another span's text."""
    details = {"marker": marker, "quoted": pieces[index], "span_text": kept.quote}
    if source is not None and all(p in source.body for p in pieces):
        found_at = [source.body.find(p) for p in pieces]
        if found_at != sorted(found_at):
            raise errors.QuoteOutOfOrder(details=details)
    raise errors.QuoteNotInComment(details=details)


def needs_review(row: CitationRow, source: SourceRow | None) -> bool:
    """The comment was edited, hidden, rejected or deleted since it was cited."""
    if source is None or source.status != "published":
        return True
    return source.revision != row.revision or body_hash(source.body) != row.body_sha256
