"""Reading a note's Markdown: its sections, its sentences and the citations each sentence carries.

The written form (docs/protocol.md, "The background note"):

- A line starting with `#` is a section heading; it is not a sentence.
- Blocks are separated by blank lines; a list item's marker (`-`, `*`, `1.`) is not part of it.
- Inside a block, a sentence ends with `.`, `!` or `?` (then any closing quotes, brackets and
  citation markers) followed by white space and a word that does not start in lower case,
  outside quotation marks; so a quoted sentence does not end the sentence quoting it.
  ("e.g. This" splits too: write "for example".)
- A citation is a marker `[^c<comment id>:<start>-<end>]`, spans in characters of the
  comment's text (Python slicing, end excluded). Several spans, separated by commas, cite a
  quote joined with "…": `“first piece … second piece”[^c42:0-11,30-44]`.
- A marker right after a closing quotation mark (" ” ») cites that quotation: each piece of
  it, split on "…" or "[…]", must be exactly the text of its span. A marker after anything
  else cites the spans without quoting them.
"""

import re
from dataclasses import dataclass, field

from server import errors

MARKER = re.compile(r"\[\^c(\d+):([^\]]*)\]")
_SPAN = re.compile(r"(\d+)-(\d+)")
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# What may close a sentence after its terminator: quotation marks, brackets, markers.
_SENTENCE_TAIL = re.compile(r"[.!?][\"”»)\]]*(?:\[\^c[^\]]*\])*$")
_ELLIPSIS = re.compile(r"\s*(?:\[…\]|\(…\)|…)\s*")
_OPENING = {"”": "“", "»": "«", '"': '"'}
_WORD = re.compile(r"\w+")
# Far more than any comment: a span beyond this is a typing error, not a long comment.
MAX_OFFSET = 10_000_000


@dataclass(frozen=True, slots=True)
class Citation:
    comment_id: int
    spans: tuple[tuple[int, int], ...]
    # The quoted words, split on "…", or None when the marker quotes nothing.
    pieces: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Sentence:
    section: int
    text: str
    citations: tuple[Citation, ...]

    @property
    def words(self) -> int:
        return count_words(self.text)


@dataclass
class Section:
    title: str
    sentences: list[Sentence] = field(default_factory=list)


def count_words(text: str) -> int:
    """Words a reader sees: citation markers are not words."""
    return len(_WORD.findall(MARKER.sub(" ", text)))


def parse_note(markdown: str) -> list[Section]:
    """The note's sections in order; text before the first heading is an untitled section."""
    sections = [Section(title="")]
    for block in blocks(markdown):
        heading = HEADING.match(block)
        if heading:
            sections.append(Section(title=heading.group(2).strip()))
            continue
        for text in split_sentences(block):
            sections[-1].sentences.append(Sentence(len(sections) - 1, text, read_citations(text)))
    if not sections[0].sentences and len(sections) > 1:
        sections.pop(0)
        for index, section in enumerate(sections):
            section.sentences = [Sentence(index, s.text, s.citations) for s in section.sentences]
    return sections


def blocks(markdown: str) -> list[str]:
    """Headings alone, list items alone, paragraphs with their lines joined."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for line in markdown.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if not stripped:
            flush()
        elif HEADING.match(stripped):
            flush()
            blocks.append(stripped)
        elif _LIST_ITEM.match(line):
            flush()
            current.append(_LIST_ITEM.sub("", line).strip())
        else:
            current.append(stripped)
    flush()
    return blocks


def split_sentences(block: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    in_straight = False
    curly_depth = 0
    for index, char in enumerate(block):
        if char == '"':
            in_straight = not in_straight
        elif char in "“«":
            curly_depth += 1
        elif char in "”»":
            curly_depth = max(0, curly_depth - 1)
        elif (
            char.isspace()
            and not in_straight
            and curly_depth == 0
            and _SENTENCE_TAIL.search(block[start:index])
            # “…wells.”[^c4:0-24] and left: a lower-case word goes on with the same sentence.
            and not block[index:].lstrip()[:1].islower()
        ):
            sentences.append(block[start:index].strip())
            start = index + 1
    if block[start:].strip():
        sentences.append(block[start:].strip())
    return [s for s in sentences if s]


def read_citations(sentence: str) -> tuple[Citation, ...]:
    citations = []
    for marker in MARKER.finditer(sentence):
        spans = read_spans(marker.group(0), marker.group(2))
        pieces = _quote_before(sentence, marker.start())
        citations.append(Citation(int(marker.group(1)), spans, pieces))
    return tuple(citations)


def read_spans(marker: str, text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for part in text.split(","):
        found = _SPAN.fullmatch(part.strip())
        if found is None:
            raise errors.CitationInvalid(
                "A citation marker reads [^c<comment id>:<start>-<end>], spans separated by commas.",
                details={"marker": marker},
            )
        start, end = int(found.group(1)), int(found.group(2))
        if not start < end <= MAX_OFFSET:
            raise errors.CitationInvalid(
                "A span's start must come before its end.", details={"marker": marker}
            )
        spans.append((start, end))
    return tuple(spans)


def _quote_before(sentence: str, marker_at: int) -> tuple[str, ...] | None:
    """The quotation the marker follows, split into its "…" pieces, if it follows one.

    Markers stacked after one quotation ("…"[^c1:0-4][^c2:5-9]) each cite it: the
    preceding markers are skipped over to find it."""
    quotation = quotation_span(sentence, marker_at)
    if quotation is None:
        return None
    quote = sentence[quotation[0] + 1 : quotation[1] - 1].strip(" \u00a0\u202f")
    return tuple(_ELLIPSIS.split(quote))


def quotation_span(text: str, marker_at: int) -> tuple[int, int] | None:
    """Where the quotation that the marker at `marker_at` cites lies, quotation marks
    included, if it cites one; markers stacked before it are skipped over."""
    before = text[:marker_at]
    while (stacked := re.search(r"\[\^c[^\]]*\]$", before)) is not None:
        before = before[: stacked.start()]
    if not before or before[-1] not in _OPENING:
        return None
    opened = before.rfind(_OPENING[before[-1]], 0, len(before) - 1)
    return None if opened < 0 else (opened, len(before))
