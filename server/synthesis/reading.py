"""A saved version of the note as moderators read it: sentences with their citations,
the unsourced ones counted, the citations needing review flagged."""

from server.queries.synthesis import CitationRow, NoteRow, SourceRow, VersionRow
from server.schemas.synthesis import CitedSpan, Note, NoteSection, NoteSentence
from server.synthesis.citations import SpanKey, key, needs_review
from server.synthesis.markup import parse_note


def read_note(
    slug: str,
    note: NoteRow,
    version: VersionRow,
    citations: list[CitationRow],
    sources: dict[int, SourceRow],
) -> Note:
    stored: dict[SpanKey, CitationRow] = {key(c): c for c in citations}
    sections = []
    for section in parse_note(version.body):
        sentences = []
        for sentence in section.sentences:
            spans = [
                _cited_span(stored[(c.comment_id, start, end)], sources)
                for c in sentence.citations
                for start, end in c.spans
                if (c.comment_id, start, end) in stored
            ]
            sentences.append(
                NoteSentence(text=sentence.text, words=sentence.words, unsourced=not spans, citations=spans)
            )
        sections.append(NoteSection(title=section.title, sentences=sentences))
    all_sentences = [s for section in sections for s in section.sentences]
    return Note(
        space=slug,
        version=version.version,
        lang=version.lang,
        markdown=version.body,
        saved_at=version.saved_at,
        saved_by=version.author_name,
        published_version=note.published_version,
        sections=sections,
        words=sum(s.words for s in all_sentences),
        unsourced_sentences=sum(1 for s in all_sentences if s.unsourced),
        citations_needing_review=sum(1 for c in citations if needs_review(c, sources.get(c.comment_id))),
    )


def _cited_span(row: CitationRow, sources: dict[int, SourceRow]) -> CitedSpan:
    return CitedSpan(
        comment_id=row.comment_id,
        start=row.span_start,
        end=row.span_end,
        quote=row.quote,
        revision=row.revision,
        needs_review=needs_review(row, sources.get(row.comment_id)),
    )
