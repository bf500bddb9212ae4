"""The background note as a document to hand out: headings, paragraphs whose citation
markers became numbered footnotes, and the footnotes themselves, each quoting the
comment's exact words in their original language, attributed by the author's consent.

Both exports (Markdown here, Word in `docx_note`) render this one structure.
"""

from dataclasses import dataclass, field

from server.insight.quoting import Pseudonyms, attribution
from server.queries.synthesis import CitationRow, SourceRow
from server.synthesis.citations import SpanKey, key
from server.synthesis.draft_wording import language_name
from server.synthesis.markup import HEADING, MARKER, blocks, read_spans


@dataclass(frozen=True, slots=True)
class Footnote:
    number: int
    comment_id: int
    pieces: tuple[str, ...]
    lang: str
    attribution: str

    @property
    def quotation(self) -> str:
        return " … ".join(self.pieces)

    @property
    def text(self) -> str:
        language = language_name(self.lang)
        return f"“{self.quotation}” ({language}) — {self.attribution}, comment {self.comment_id}."


@dataclass(frozen=True, slots=True)
class Block:
    heading_level: int  # 0 for a paragraph
    # Text and footnote numbers, in reading order.
    parts: tuple[str | int, ...]


@dataclass
class NoteDocument:
    title: str
    lang: str
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)


def build_document(
    title: str,
    lang: str,
    markdown: str,
    citations: list[CitationRow],
    sources: dict[int, SourceRow],
    pseudonyms: Pseudonyms,
) -> NoteDocument:
    """The saved citations give the words quoted (as they were when cited); the comments
    give the language and the consent, read now, at export time."""
    stored: dict[SpanKey, CitationRow] = {key(c): c for c in citations}
    document = NoteDocument(title=title, lang=lang)
    numbers: dict[tuple[int, tuple[tuple[int, int], ...]], int] = {}
    for block in blocks(markdown):
        heading = HEADING.match(block)
        if heading:
            document.blocks.append(Block(len(heading.group(1)), (heading.group(2).strip(),)))
            continue
        parts: list[str | int] = []
        at = 0
        for marker in MARKER.finditer(block):
            parts.append(block[at : marker.start()])
            at = marker.end()
            comment_id = int(marker.group(1))
            spans = read_spans(marker.group(0), marker.group(2))
            source = sources.get(comment_id)
            if source is None or any((comment_id, a, b) not in stored for a, b in spans):
                continue  # checked on save: only a comment removed from the space since lands here
            number = numbers.get((comment_id, spans))
            if number is None:
                number = numbers[(comment_id, spans)] = len(numbers) + 1
                document.footnotes.append(
                    Footnote(
                        number,
                        comment_id,
                        tuple(stored[(comment_id, a, b)].quote for a, b in spans),
                        source.lang,
                        attribution(source, pseudonyms),
                    )
                )
            parts.append(number)
        parts.append(block[at:])
        document.blocks.append(Block(0, tuple(p for p in parts if p != "")))
    return document


def render_markdown(document: NoteDocument) -> str:
    lines = [f"# {document.title}", ""]
    for block in document.blocks:
        text = "".join(p if isinstance(p, str) else f"[^{p}]" for p in block.parts)
        lines += [("#" * (block.heading_level + 1) + " " if block.heading_level else "") + text, ""]
    lines += [f"[^{f.number}]: {f.text}" for f in document.footnotes]
    return "\n".join(lines).rstrip() + "\n"
