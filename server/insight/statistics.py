"""A space's live statistics, read in one consistent moment: totals, per question,
per language and affiliation, reply depth, supports, pace and moderation outcomes."""

from server.queries import Executor
from server.queries import spaces as space_queries
from server.queries import statistics as statistics_queries
from server.queries import themes as theme_queries
from server.queries.themes import ThemeRow
from server.running.database import Pool
from server.schemas.common import from_row
from server.schemas.insight import (
    AffiliationCount,
    CloudTerm,
    DepthCount,
    LanguageCount,
    MinuteCount,
    ModerationOutcomes,
    QuestionTally,
    QuestionThemeCount,
    Statistics,
    SupportedComment,
    Tally,
)

# A wall shows a handful; a longer list is a search away.
MOST_SUPPORTED = 5
# Comments per minute over the last hour: a consultation session's length.
PACE_MINUTES = 60
EXCERPT_CHARS = 200
# A screen's cloud is read from across a room: a few dozen words at most.
CLOUD_TERMS = 40


async def read_statistics(db: Executor, space_id: int, seq: int) -> Statistics:
    """Everything, moderation outcomes included; run inside a repeatable-read
    transaction so that the numbers agree with each other and with `seq`."""
    tallies = await statistics_queries.list_tallies(db, space_id)
    languages = await statistics_queries.list_language_counts(db, space_id)
    affiliations = await statistics_queries.list_affiliation_counts(db, space_id)
    depths = await statistics_queries.list_depth_counts(db, space_id)
    outcomes = await statistics_queries.list_outcomes(db, space_id)
    supported = await statistics_queries.list_most_supported(db, space_id, MOST_SUPPORTED)
    minutes = await statistics_queries.list_minute_counts(db, space_id, PACE_MINUTES)
    themes = await theme_queries.list_space_themes(db, space_id)
    excluded = set(await theme_queries.list_excluded_terms(db, space_id))
    space_total = next((t for t in tallies if t.question_id is None), None)
    return Statistics(
        seq=seq,
        totals=Tally(
            comments=space_total.comments if space_total else 0,
            replies=space_total.replies if space_total else 0,
            participants=space_total.participants if space_total else 0,
            supports=space_total.supports if space_total else 0,
            max_depth=space_total.max_depth if space_total else 0,
        ),
        questions=[
            from_row(QuestionTally, t)
            for t in sorted(tallies, key=lambda t: t.question_id or 0)
            if t.question_id is not None
        ],
        languages=[
            LanguageCount(lang=r.key, comments=r.comments, participants=r.participants) for r in languages
        ],
        affiliations=[
            AffiliationCount(affiliation=r.key, comments=r.comments, participants=r.participants)
            for r in affiliations
        ],
        depths=[DepthCount(depth=r.depth, comments=r.comments) for r in depths],
        most_supported=[
            SupportedComment(
                id=r.id,
                question_id=r.question_id,
                author_name=r.author_name,
                excerpt=r.body[:EXCERPT_CHARS],
                support_count=r.support_count,
            )
            for r in supported
        ],
        per_minute=[MinuteCount(minute=r.minute, comments=r.comments) for r in minutes],
        moderation=_outcomes(outcomes),
        themes=_theme_counts(themes),
        cloud=theme_cloud(themes, excluded),
    )


def _theme_counts(themes: list[ThemeRow]) -> list[QuestionThemeCount]:
    counts: dict[int, int] = {}
    for theme in themes:
        if theme.comments > 0:
            counts[theme.question_id] = counts.get(theme.question_id, 0) + 1
    return [QuestionThemeCount(question_id=q, themes=n) for q, n in sorted(counts.items())]


def theme_cloud(themes: list[ThemeRow], excluded: set[str]) -> list[CloudTerm]:
    """One term per concept across the space's themes, weighted by the comments they label.

    A concept's phrase stands for its translations (labels.py merged them): a concept whose
    phrase or any variant a moderator excluded stays off the cloud in every language.
    """
    weights: dict[str, int] = {}
    for theme in themes:
        for term in theme.terms:
            phrase = str(term["phrase"])
            names = {phrase.lower(), *(str(v).lower() for v in term["variants"])}
            if theme.comments == 0 or names & excluded:
                continue
            weights[phrase] = weights.get(phrase, 0) + theme.comments
    heaviest = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:CLOUD_TERMS]
    return [CloudTerm(phrase=phrase, weight=weight) for phrase, weight in heaviest]


def _outcomes(rows: list[statistics_queries.OutcomeRow]) -> ModerationOutcomes:
    def count(status: str, removed_by: str | None = None) -> int:
        return sum(
            r.comments
            for r in rows
            if r.status == status and (removed_by is None or r.removed_by == removed_by)
        )

    return ModerationOutcomes(
        published=count("published"),
        pending=count("pending"),
        hidden_by_moderators=count("hidden", "moderator"),
        hidden_by_flags=count("hidden", "flags"),
        rejected=count("rejected"),
        deleted_by_authors=count("deleted"),
    )


def for_audience(statistics: Statistics, moderators: bool) -> Statistics:
    """What one audience may see: moderation outcomes are the stewards' alone."""
    return statistics if moderators else statistics.model_copy(update={"moderation": None})


async def read_space_statistics(pool: Pool, space_id: int, *, moderators: bool) -> Statistics:
    """The space's statistics now, as one audience may see them."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        space = await space_queries.get_space(conn, space_id)
        assert space is not None
        statistics = await read_statistics(conn, space_id, space.event_seq)
    return for_audience(statistics, moderators)
