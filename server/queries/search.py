"""Full-text search over a space's comments and questions (schema.sql: the
roundtable_* text search configurations, unaccented, one per language)."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor
from server.queries.statistics import COMMENT_LANGUAGE

# Around matched words in snippets: private-use characters, removed from the
# text beforehand, so the caller can escape everything else and mark these.
MATCH_START, MATCH_END = "\ue000", "\ue001"
HEADLINE_OPTIONS = (
    f"StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
# The query parsed once in each configuration: the index finds any comment that
# matches one of them, then each comment is checked and ranked with its own
# language's, picked per row from these instead of parsed again for every row.
TERMS = """SELECT websearch_to_tsquery('roundtable_english'::regconfig, $2) AS english,
                  websearch_to_tsquery('roundtable_french'::regconfig, $2) AS french,
                  websearch_to_tsquery('roundtable_spanish'::regconfig, $2) AS spanish,
                  websearch_to_tsquery('roundtable_simple'::regconfig, $2) AS simple"""
# Inline, not from `terms`, so the planner sees a constant and uses the GIN index.
ANY_LANGUAGE_QUERY = """(websearch_to_tsquery('roundtable_english'::regconfig, $2)
    || websearch_to_tsquery('roundtable_french'::regconfig, $2)
    || websearch_to_tsquery('roundtable_spanish'::regconfig, $2)
    || websearch_to_tsquery('roundtable_simple'::regconfig, $2))"""
COMMENT_CONFIG = f"roundtable_search_config({COMMENT_LANGUAGE})"
COMMENT_QUERY = f"""(CASE {COMMENT_CONFIG}
        WHEN 'roundtable_english'::regconfig THEN t.english
        WHEN 'roundtable_french'::regconfig THEN t.french
        WHEN 'roundtable_spanish'::regconfig THEN t.spanish
        ELSE t.simple END)"""


@dataclass(frozen=True, slots=True)
class SearchHitRow:
    kind: str
    id: int
    question_id: int
    lang: str | None
    author_id: int
    author_name: str
    status: str
    created_at: datetime
    rank: float
    snippet: str  # plain text, matches between MATCH_START and MATCH_END


@dataclass(frozen=True, slots=True)
class SearchAfter:
    """Where the previous page ended, in result order."""

    rank: float
    kind: str
    id: int


async def search_space(
    db: Executor,
    *,
    space_id: int,
    text: str,
    include_unpublished: bool,
    question_id: int | None,
    lang: str | None,
    author_id: int | None,
    since: datetime | None,
    until: datetime | None,
    theme_id: int | None,
    cited: bool | None,
    cited_version: int | None,
    after: SearchAfter | None,
    limit: int,
) -> list[SearchHitRow]:
    """Comments and questions matching `text`, best first (rank, then comments before
    questions, then newest). Only published comments unless `include_unpublished`
    (moderators: pending, hidden and rejected too; deleted ones have no text).

    `theme_id` keeps the theme's comments; `cited` those that the note's `cited_version`
    cites (true) or does not (false). Either leaves questions out: only comments have them."""
    rows = await db.fetch(
        f"""WITH terms AS MATERIALIZED ({TERMS}),
            matches AS (
                SELECT c.*, {COMMENT_CONFIG} AS config, {COMMENT_QUERY} AS query
                FROM comments c, terms t
                WHERE c.space_id = $1 AND c.search_vector @@ {ANY_LANGUAGE_QUERY}
            ), hits AS (
                SELECT 'comment' AS kind, c.id, c.question_id, {COMMENT_LANGUAGE} AS lang, c.author_id,
                       c.status, c.created_at, c.body AS text, c.query, c.config,
                       ts_rank(c.search_vector, c.query) AS rank
                FROM matches c
                WHERE c.search_vector @@ c.query
                  AND (c.status = 'published' OR ($3 AND c.status <> 'deleted'))
                  AND ($4::bigint IS NULL OR c.question_id = $4)
                  AND ($5::text IS NULL OR {COMMENT_LANGUAGE} = $5)
                  AND ($6::bigint IS NULL OR c.author_id = $6)
                  AND ($7::timestamptz IS NULL OR c.created_at >= $7)
                  AND ($8::timestamptz IS NULL OR c.created_at < $8)
                  AND ($13::bigint IS NULL OR EXISTS (
                      SELECT 1 FROM theme_members m WHERE m.comment_id = c.id AND m.theme_id = $13))
                  AND ($14::boolean IS NULL OR $14 = EXISTS (
                      SELECT 1 FROM synthesis_citations sc
                      WHERE sc.space_id = $1 AND sc.version = $15 AND sc.comment_id = c.id))
                UNION ALL
                SELECT 'question', q.id, q.id, NULL, q.author_id, q.status, q.created_at,
                       q.title || E'\\n\\n' || q.body, {ANY_LANGUAGE_QUERY},
                       'roundtable_english'::regconfig, ts_rank(q.search_vector, {ANY_LANGUAGE_QUERY})
                FROM questions q
                WHERE q.space_id = $1
                  AND q.search_vector @@ {ANY_LANGUAGE_QUERY}
                  AND (q.visibility = 'published' OR ($3 AND q.visibility <> 'deleted'))
                  AND ($4::bigint IS NULL OR q.id = $4)
                  AND $5::text IS NULL
                  AND ($6::bigint IS NULL OR q.author_id = $6)
                  AND ($7::timestamptz IS NULL OR q.created_at >= $7)
                  AND ($8::timestamptz IS NULL OR q.created_at < $8)
                  AND $13::bigint IS NULL AND $14::boolean IS NULL
            ), page AS (
                SELECT * FROM hits
                WHERE $9::real IS NULL
                   OR rank < $9 OR (rank = $9 AND (kind > $10 OR (kind = $10 AND id < $11)))
                ORDER BY rank DESC, kind, id DESC
                LIMIT $12
            )
            SELECT page.kind, page.id, page.question_id, page.lang, page.author_id,
                   u.display_name AS author_name, page.status, page.created_at, page.rank,
                   ts_headline(page.config, translate(page.text, '{MATCH_START}{MATCH_END}', ''),
                               page.query, '{HEADLINE_OPTIONS}') AS snippet
            FROM page JOIN users u ON u.id = page.author_id
            ORDER BY page.rank DESC, page.kind, page.id DESC""",
        space_id,
        text,
        include_unpublished,
        question_id,
        lang,
        author_id,
        since,
        until,
        after.rank if after else None,
        after.kind if after else None,
        after.id if after else None,
        limit,
        theme_id,
        cited,
        cited_version,
    )
    return [SearchHitRow(**dict(r)) for r in rows]
