"""A first draft of the note, per question, from counts and the most-supported comments.

Deterministic and offline: the same comments give the same draft. Every sentence it
writes carries citation markers, and it never says that participants agree: it shows
how many supported each quoted comment, counted, and leaves judgement to the writer.
The draft is in English, French or Spanish (server/synthesis/draft_wording.py); the
quotes stay in the words and language their authors wrote them in.
"""

import re

from server.queries.questions import QuestionRow
from server.queries.synthesis import SourceRow
from server.synthesis.draft_wording import WORDINGS, language_name

# Three quotes per question keep a 1,000-word note within reach for a handful of questions.
QUOTES_PER_QUESTION = 3
# About one long sentence: a quote is evidence, not the whole comment.
MAX_QUOTE_CHARS = 160
# A quote stops before what the note's markup would read as its own: quotation marks,
# an ellipsis (a piece separator), a citation marker's bracket, a line break.
_QUOTE_STOP = re.compile(r"[\"“”«»…\[\]\n]")
_SENTENCE_END = re.compile(r"[.!?](?=\s)")


def quote_span(body: str) -> tuple[int, int, bool] | None:
    """The span to quote from a comment: its first sentence, or its first words up to
    MAX_QUOTE_CHARS, and whether it was cut short (then the quote ends with "…")."""
    start = len(body) - len(body.lstrip())
    text = body[start:]
    stop = _QUOTE_STOP.search(text)
    limit = min(len(text), MAX_QUOTE_CHARS, stop.start() if stop else len(text))
    sentence = _SENTENCE_END.search(text, 0, limit + 1)
    if sentence is not None:
        end = sentence.end()
    elif limit == len(text):
        end = limit
    else:
        cut = text.rfind(" ", 0, limit)
        end = cut if cut > 0 else limit
    end = len(text[:end].rstrip())
    if end == 0:
        return None
    return start, start + end, start + end < len(body.rstrip())


def draft_note(questions: list[QuestionRow], published: list[SourceRow], lang: str = "en") -> str:
    """The draft in `lang` (one of DRAFT_LANGUAGES); quotes stay in their own language."""
    wording = WORDINGS[lang]
    sections = []
    for question in questions:
        sources = [s for s in published if s.question_id == question.id]
        quoted = sorted(sources, key=lambda s: (-s.support_count, s.id))
        picked = [(s, span) for s in quoted if (span := quote_span(s.body)) is not None][:QUOTES_PER_QUESTION]
        if not picked:
            continue
        names = sorted({s.lang for s in sources}, key=lambda code: (code == "und", language_name(code, lang)))
        markers = "".join(f"[^c{s.id}:{a}-{b}]" for s, (a, b, _) in picked)
        overview = wording.overview.format(
            participants=wording.count(len({s.author_id for s in sources}), wording.participants),
            languages=wording.listed([language_name(code, lang) for code in names]),
            comments=wording.count(len(sources), wording.comments),
        )
        lines = [overview + markers]
        for source, (start, end, cut) in picked:
            lines.append(
                wording.quoted.format(
                    quote=source.body[start:end] + (" …" if cut else ""),
                    marker=f"[^c{source.id}:{start}-{end}]",
                    language=language_name(source.lang, lang),
                    supports=wording.supports(source.support_count),
                )
            )
        sections.append(f"# {question.title}\n\n" + " ".join(lines))
    return "\n\n".join(sections) + "\n" if sections else ""
