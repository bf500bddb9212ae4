"""Aggregates over a space's comments for its statistics, each bounded by the space's indexes.

Every count but the moderation outcomes is over published comments: what
anyone reading the space can see.
"""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor

# The language a comment counts under, in statistics, search and queue filters:
# the one its author declared, else the primary one detected in its text, else
# (too short to tell, or not yet detected) the author's profile language it was
# posted under.
COMMENT_LANGUAGE = (
    "(CASE WHEN c.lang_declared OR c.detected_langs IS NULL OR c.detected_langs[1] = 'und'"
    " THEN c.lang ELSE c.detected_langs[1] END)"
)


@dataclass(frozen=True, slots=True)
class TallyRow:
    question_id: int | None  # None: the whole space
    comments: int
    replies: int
    participants: int
    supports: int
    max_depth: int


@dataclass(frozen=True, slots=True)
class GroupCountRow:
    key: str
    comments: int
    participants: int


@dataclass(frozen=True, slots=True)
class DepthRow:
    depth: int
    comments: int


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    status: str
    removed_by: str | None
    comments: int


@dataclass(frozen=True, slots=True)
class SupportedRow:
    id: int
    question_id: int
    author_name: str
    body: str
    support_count: int


@dataclass(frozen=True, slots=True)
class MinuteRow:
    minute: datetime
    comments: int


async def list_tallies(db: Executor, space_id: int) -> list[TallyRow]:
    """One row per question with comments, and one (question_id None) for the space."""
    rows = await db.fetch(
        """SELECT c.question_id,
                  count(*) FILTER (WHERE c.parent_id IS NULL) AS comments,
                  count(*) FILTER (WHERE c.parent_id IS NOT NULL) AS replies,
                  count(DISTINCT c.author_id) AS participants,
                  coalesce(sum(c.support_count), 0) AS supports,
                  coalesce(max(cardinality(c.path)) - 1, 0) AS max_depth
           FROM comments c
           WHERE c.space_id = $1 AND c.status = 'published'
           GROUP BY ROLLUP (c.question_id)""",
        space_id,
    )
    return [TallyRow(**dict(r)) for r in rows]


async def list_language_counts(db: Executor, space_id: int) -> list[GroupCountRow]:
    rows = await db.fetch(
        f"""SELECT {COMMENT_LANGUAGE} AS key, count(*) AS comments,
                   count(DISTINCT c.author_id) AS participants
            FROM comments c
            WHERE c.space_id = $1 AND c.status = 'published'
            GROUP BY 1 ORDER BY 2 DESC, 1""",
        space_id,
    )
    return [GroupCountRow(**dict(r)) for r in rows]


async def list_affiliation_counts(db: Executor, space_id: int) -> list[GroupCountRow]:
    """Comments by their author's affiliation, for authors who gave one."""
    rows = await db.fetch(
        """SELECT u.affiliation AS key, count(*) AS comments, count(DISTINCT c.author_id) AS participants
           FROM comments c JOIN users u ON u.id = c.author_id
           WHERE c.space_id = $1 AND c.status = 'published' AND u.affiliation IS NOT NULL
           GROUP BY 1 ORDER BY 2 DESC, 1""",
        space_id,
    )
    return [GroupCountRow(**dict(r)) for r in rows]


async def list_depth_counts(db: Executor, space_id: int) -> list[DepthRow]:
    rows = await db.fetch(
        """SELECT cardinality(c.path) - 1 AS depth, count(*) AS comments
           FROM comments c
           WHERE c.space_id = $1 AND c.status = 'published'
           GROUP BY 1 ORDER BY 1""",
        space_id,
    )
    return [DepthRow(**dict(r)) for r in rows]


async def list_outcomes(db: Executor, space_id: int) -> list[OutcomeRow]:
    """Every comment of the space by status, and who removed the hidden and rejected ones."""
    rows = await db.fetch(
        """SELECT c.status, c.removed_by, count(*) AS comments
           FROM comments c WHERE c.space_id = $1
           GROUP BY 1, 2""",
        space_id,
    )
    return [OutcomeRow(**dict(r)) for r in rows]


async def list_most_supported(db: Executor, space_id: int, limit: int) -> list[SupportedRow]:
    rows = await db.fetch(
        """SELECT c.id, c.question_id, u.display_name AS author_name, c.body, c.support_count
           FROM comments c JOIN users u ON u.id = c.author_id
           WHERE c.space_id = $1 AND c.status = 'published' AND c.support_count > 0
           ORDER BY c.support_count DESC, c.id
           LIMIT $2""",
        space_id,
        limit,
    )
    return [SupportedRow(**dict(r)) for r in rows]


async def list_minute_counts(db: Executor, space_id: int, minutes: int) -> list[MinuteRow]:
    """Published comments and replies per minute over the last `minutes`, oldest first,
    minutes without any included (as 0). Minutes are the transaction's clock."""
    rows = await db.fetch(
        """WITH span AS (
               SELECT generate_series(date_trunc('minute', now()) - ($2 - 1) * interval '1 minute',
                                      date_trunc('minute', now()), interval '1 minute') AS minute)
           SELECT span.minute, count(c.id) AS comments
           FROM span
           LEFT JOIN comments c
             ON c.space_id = $1 AND c.status = 'published'
            AND c.created_at >= span.minute AND c.created_at < span.minute + interval '1 minute'
           GROUP BY span.minute ORDER BY span.minute""",
        space_id,
        minutes,
    )
    return [MinuteRow(**dict(r)) for r in rows]


async def list_versions(db: Executor, space_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per space, (event seq, support changes): statistics change only when one moves."""
    rows = await db.fetch(
        """SELECT s.id, s.event_seq, coalesce(k.changes, 0) AS changes
           FROM spaces s LEFT JOIN space_support_changes k ON k.space_id = s.id
           WHERE s.id = ANY($1::bigint[])""",
        space_ids,
    )
    return {r["id"]: (r["event_seq"], r["changes"]) for r in rows}


async def count_support_change(db: Executor, space_id: int) -> None:
    """Note that a support was given or taken back in the space (in the support's transaction)."""
    await db.execute(
        """INSERT INTO space_support_changes (space_id, changes) VALUES ($1, 1)
           ON CONFLICT (space_id) DO UPDATE SET changes = space_support_changes.changes + 1""",
        space_id,
    )
