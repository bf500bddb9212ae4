"""What the note draws on, against what the consultation offers: shares of questions,
languages and participants cited, the most-supported comments left out, one voice
too loud, and the length against the target.

Counted over published comments and replies only: hidden and pending ones are not
the consultation's public record. A theme counts as cited when the note cites one of
its published comments.
"""

from collections import Counter

from server.insight.quoting import Pseudonyms, attribution
from server.queries.synthesis import CitationRow, SourceRow
from server.queries.themes import ThemeRow
from server.schemas.synthesis import Coverage, ParticipantWarning, Share, UncitedComment, UncitedTheme
from server.schemas.themes import theme_view
from server.synthesis.markup import parse_note

# The panel lists a handful: enough to spot what is missing, short enough to read.
MOST_SUPPORTED_UNCITED = 5
EXCERPT_CHARS = 200


def _share(cited: int, total: int) -> Share:
    return Share(cited=cited, total=total, share=round(cited / total, 4) if total else 0.0)


def measure_coverage(
    markdown: str,
    citations: list[CitationRow],
    published: list[SourceRow],
    pseudonyms: Pseudonyms,
    themes: list[ThemeRow],
    memberships: dict[int, int],
    *,
    target_words: int,
    max_participant_share: float,
) -> Coverage:
    by_id = {s.id: s for s in published}
    cited_ids = {c.comment_id for c in citations}
    cited = [by_id[i] for i in sorted(cited_ids) if i in by_id]
    questions = {s.question_id for s in published}
    languages = {s.lang for s in published}
    authors = {s.author_id for s in published}
    cited_questions = {s.question_id for s in cited}
    cited_languages = {s.lang for s in cited}
    uncited = sorted(
        (s for s in published if s.id not in cited_ids and s.support_count > 0),
        key=lambda s: (-s.support_count, s.id),
    )[:MOST_SUPPORTED_UNCITED]
    # A citation is one cited comment: a quote in three pieces is still one voice once.
    per_author = Counter(s.author_id for s in cited)
    total_citations = sum(per_author.values())
    loud = [
        ParticipantWarning(
            participant=attribution(next(s for s in cited if s.author_id == author), pseudonyms),
            citations=count,
            share=round(count / total_citations, 4),
            max_share=max_participant_share,
        )
        for author, count in per_author.most_common()
        if count / total_citations > max_participant_share
    ]
    shown_themes = [t for t in themes if t.comments > 0]
    cited_themes = {memberships[s.id] for s in cited if s.id in memberships}
    uncited_themes = sorted(
        (t for t in shown_themes if t.id not in cited_themes), key=lambda t: (-t.comments, t.id)
    )
    return Coverage(
        questions=_share(len(cited_questions), len(questions)),
        languages=_share(len(cited_languages), len(languages)),
        participants=_share(len({s.author_id for s in cited}), len(authors)),
        uncited_languages=sorted(languages - cited_languages),
        uncited_questions=sorted(questions - cited_questions),
        most_supported_uncited=[
            UncitedComment(
                id=s.id,
                question_id=s.question_id,
                support_count=s.support_count,
                excerpt=s.body[:EXCERPT_CHARS],
            )
            for s in uncited
        ],
        dominant_participants=loud,
        themes=_share(sum(1 for t in shown_themes if t.id in cited_themes), len(shown_themes)),
        uncited_themes=[
            UncitedTheme(id=t.id, question_id=t.question_id, label=theme_view(t).label, comments=t.comments)
            for t in uncited_themes
        ],
        words=sum(sentence.words for section in parse_note(markdown) for sentence in section.sentences),
        target_words=target_words,
    )
