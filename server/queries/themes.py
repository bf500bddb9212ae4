"""Comment vectors, themes and their members, and the terms kept off screens."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from server.queries import Executor

# The language a vector is centred under: the primary detected one, else the declared one.
VECTOR_LANGUAGE = (
    "(CASE WHEN c.detected_langs[1] IS NULL OR c.detected_langs[1] = 'und'"
    " THEN c.lang ELSE c.detected_langs[1] END)"
)


@dataclass(frozen=True, slots=True)
class PendingVectorRow:
    id: int
    question_id: int
    body: str
    lang: str


@dataclass(frozen=True, slots=True)
class VectorRow:
    comment_id: int
    lang: str
    vector: list[float]


@dataclass(frozen=True, slots=True)
class GroupedCommentRow:
    comment_id: int
    lang: str
    body: str
    vector: list[float]


@dataclass(frozen=True, slots=True)
class GroupingRow:
    question_id: int
    space_id: int
    generation: int
    stability: float | None
    comments: int
    language_means: dict[str, list[float]]
    overall_mean: list[float]
    grouped_at: datetime


@dataclass(frozen=True, slots=True)
class ThemeRow:
    id: int
    question_id: int
    space_id: int
    name: str | None
    terms: list[dict[str, Any]]
    representative_id: int | None
    comments: int  # published members
    comment_ids: list[int]  # those members, most central first


@dataclass(frozen=True, slots=True)
class CentreRow:
    id: int
    centre: list[float]


@dataclass(frozen=True, slots=True)
class SimilarRow:
    comment_id: int
    similarity: float


async def list_vector_pending(db: Executor, limit: int) -> list[PendingVectorRow]:
    rows = await db.fetch(
        f"""SELECT c.id, c.question_id, c.body, {VECTOR_LANGUAGE} AS lang FROM comments c
            WHERE c.vector_pending AND c.status <> 'deleted' AND c.body <> ''
            ORDER BY c.id LIMIT $1""",
        limit,
    )
    return [PendingVectorRow(**dict(r)) for r in rows]


async def store_vector(db: Executor, comment_id: int, body: str, lang: str, vector: list[float]) -> None:
    """Keep a comment's vector, unless its text changed since it was read (then it is pending again)."""
    await db.execute(
        """INSERT INTO comment_vectors (comment_id, question_id, lang, vector)
           SELECT id, question_id, $3, $4 FROM comments WHERE id = $1 AND body = $2
           ON CONFLICT (comment_id) DO UPDATE SET lang = excluded.lang, vector = excluded.vector""",
        comment_id,
        body,
        lang,
        vector,
    )
    await db.execute(
        "UPDATE comments SET vector_pending = false WHERE id = $1 AND body = $2", comment_id, body
    )


async def get_vector(db: Executor, comment_id: int) -> list[float] | None:
    vector: list[float] | None = await db.fetchval(
        "SELECT vector FROM comment_vectors WHERE comment_id = $1", comment_id
    )
    return vector


async def list_unplaced(db: Executor, question_id: int) -> list[VectorRow]:
    """Published comments of the question with a vector and no place yet."""
    rows = await db.fetch(
        """SELECT v.comment_id, v.lang, v.vector FROM comment_vectors v
           JOIN comments c ON c.id = v.comment_id
           LEFT JOIN theme_members m ON m.comment_id = v.comment_id
           WHERE v.question_id = $1 AND c.status = 'published' AND m.comment_id IS NULL
           ORDER BY v.comment_id""",
        question_id,
    )
    return [VectorRow(**dict(r)) for r in rows]


async def list_grouped_comments(
    db: Executor, question_id: int, theme_id: int | None = None
) -> list[GroupedCommentRow]:
    """Every published comment of the question (or of one of its themes) with a vector: what a
    regrouping (or a split) groups."""
    rows = await db.fetch(
        """SELECT v.comment_id, v.lang, c.body, v.vector FROM comment_vectors v
           JOIN comments c ON c.id = v.comment_id
           WHERE v.question_id = $1 AND c.status = 'published'
             AND ($2::bigint IS NULL OR EXISTS (
                 SELECT 1 FROM theme_members m WHERE m.comment_id = v.comment_id AND m.theme_id = $2))
           ORDER BY v.comment_id""",
        question_id,
        theme_id,
    )
    return [GroupedCommentRow(**dict(r)) for r in rows]


async def get_grouping(db: Executor, question_id: int, *, lock: bool = False) -> GroupingRow | None:
    row = await db.fetchrow(
        "SELECT * FROM theme_groupings WHERE question_id = $1" + (" FOR UPDATE" if lock else ""), question_id
    )
    if row is None:
        return None
    return GroupingRow(**dict(row))


async def upsert_grouping(
    db: Executor,
    question_id: int,
    space_id: int,
    *,
    stability: float | None,
    comments: int,
    language_means: dict[str, list[float]],
    overall_mean: list[float],
) -> None:
    await db.execute(
        """INSERT INTO theme_groupings
               (question_id, space_id, stability, comments, language_means, overall_mean)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (question_id) DO UPDATE SET generation = theme_groupings.generation + 1,
               stability = excluded.stability, comments = excluded.comments,
               language_means = excluded.language_means, overall_mean = excluded.overall_mean,
               grouped_at = now()""",
        question_id,
        space_id,
        stability,
        comments,
        language_means,
        overall_mean,
    )


async def list_centres(db: Executor, question_id: int) -> list[CentreRow]:
    rows = await db.fetch("SELECT id, centre FROM themes WHERE question_id = $1 ORDER BY id", question_id)
    return [CentreRow(**dict(r)) for r in rows]


async def insert_theme(
    db: Executor,
    question_id: int,
    space_id: int,
    *,
    name: str | None,
    terms: list[dict[str, object]],
    representative_id: int,
    centre: list[float],
) -> int:
    theme_id: int = await db.fetchval(
        """INSERT INTO themes (question_id, space_id, name, terms, representative_id, centre)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""",
        question_id,
        space_id,
        name,
        terms,
        representative_id,
        centre,
    )
    return theme_id


async def delete_themes(db: Executor, question_id: int) -> None:
    """The question's themes and every place in them (a regrouping replaces both)."""
    await db.execute("DELETE FROM theme_members WHERE question_id = $1", question_id)
    await db.execute("DELETE FROM themes WHERE question_id = $1", question_id)


async def insert_members(
    db: Executor, question_id: int, members: list[tuple[int, int | None, float]]
) -> None:
    """(comment id, theme id or None for unplaced, similarity); a comment already placed keeps its place."""
    await db.executemany(
        """INSERT INTO theme_members (comment_id, question_id, theme_id, similarity)
           VALUES ($1, $2, $3, $4) ON CONFLICT (comment_id) DO NOTHING""",
        [(comment_id, question_id, theme_id, similarity) for comment_id, theme_id, similarity in members],
    )


async def list_memberships(db: Executor, question_id: int) -> dict[int, int]:
    """Comment id to theme id, for the question's placed comments."""
    rows = await db.fetch(
        "SELECT comment_id, theme_id FROM theme_members WHERE question_id = $1 AND theme_id IS NOT NULL",
        question_id,
    )
    return {r["comment_id"]: r["theme_id"] for r in rows}


_THEME_VIEW = """
    SELECT t.id, t.question_id, t.space_id, t.name, t.terms, t.representative_id,
           count(c.id) AS comments,
           coalesce(array_agg(c.id ORDER BY m.similarity DESC, c.id) FILTER (WHERE c.id IS NOT NULL), '{}')
               AS comment_ids
    FROM themes t
    LEFT JOIN theme_members m ON m.theme_id = t.id
    LEFT JOIN comments c ON c.id = m.comment_id AND c.status = 'published'
"""


def _theme(row: Any) -> ThemeRow:
    return ThemeRow(**dict(row))


async def list_themes(db: Executor, question_id: int) -> list[ThemeRow]:
    """The question's themes, most comments first."""
    rows = await db.fetch(
        _THEME_VIEW + " WHERE t.question_id = $1 GROUP BY t.id ORDER BY count(c.id) DESC, t.id", question_id
    )
    return [_theme(r) for r in rows]


async def list_space_themes(db: Executor, space_id: int) -> list[ThemeRow]:
    rows = await db.fetch(
        _THEME_VIEW + " WHERE t.space_id = $1 GROUP BY t.id ORDER BY t.question_id, count(c.id) DESC, t.id",
        space_id,
    )
    return [_theme(r) for r in rows]


async def get_theme(db: Executor, theme_id: int, *, lock: bool = False) -> ThemeRow | None:
    if lock:
        await db.execute("SELECT 1 FROM themes WHERE id = $1 FOR UPDATE", theme_id)
    row = await db.fetchrow(_THEME_VIEW + " WHERE t.id = $1 GROUP BY t.id", theme_id)
    return None if row is None else _theme(row)


async def count_unplaced(db: Executor, question_id: int) -> int:
    count: int = await db.fetchval(
        """SELECT count(*) FROM theme_members m JOIN comments c ON c.id = m.comment_id
           WHERE m.question_id = $1 AND m.theme_id IS NULL AND c.status = 'published'""",
        question_id,
    )
    return count


async def rename_theme(db: Executor, theme_id: int, name: str | None) -> None:
    await db.execute("UPDATE themes SET name = $2 WHERE id = $1", theme_id, name)


async def move_members(db: Executor, from_id: int, into_id: int, comment_ids: list[int]) -> None:
    await db.execute(
        "UPDATE theme_members SET theme_id = $2 WHERE theme_id = $1 AND comment_id = ANY($3::bigint[])",
        from_id,
        into_id,
        comment_ids,
    )


async def delete_theme(db: Executor, theme_id: int) -> None:
    """Its comments not moved elsewhere become unplaced."""
    await db.execute("DELETE FROM themes WHERE id = $1", theme_id)


async def merge_themes(db: Executor, into_id: int, from_id: int) -> None:
    """Move every member of one theme into another, and drop the emptied one."""
    await db.execute("UPDATE theme_members SET theme_id = $1 WHERE theme_id = $2", into_id, from_id)
    await db.execute("DELETE FROM themes WHERE id = $1", from_id)


async def list_excluded_terms(db: Executor, space_id: int) -> list[str]:
    rows = await db.fetch("SELECT term FROM theme_excluded_terms WHERE space_id = $1 ORDER BY term", space_id)
    return [r["term"] for r in rows]


async def replace_excluded_terms(db: Executor, space_id: int, terms: list[str]) -> None:
    await db.execute("DELETE FROM theme_excluded_terms WHERE space_id = $1", space_id)
    await db.executemany(
        "INSERT INTO theme_excluded_terms (space_id, term) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        [(space_id, term) for term in terms],
    )


async def list_similar(
    db: Executor,
    comment_id: int,
    vector: list[float],
    question_id: int,
    *,
    include_withheld: bool,
    limit: int,
) -> list[SimilarRow]:
    """The question's comments whose vectors are closest to `vector`, most similar first:
    published ones, or also pending and hidden ones for its moderators.

    PostgreSQL does the dot products (vectors are unit length: it is the cosine), so the app
    process never decodes a question's worth of vectors.
    """
    rows = await db.fetch(
        """SELECT v.comment_id,
                  (SELECT sum(a * b) FROM unnest(v.vector, $2::real[]) AS t(a, b))::float8 AS similarity
           FROM comment_vectors v JOIN comments c ON c.id = v.comment_id
           WHERE v.question_id = $3 AND v.comment_id <> $1
             AND (c.status = 'published' OR ($4 AND c.status IN ('pending', 'hidden')))
           ORDER BY similarity DESC, v.comment_id LIMIT $5""",
        comment_id,
        vector,
        question_id,
        include_withheld,
        limit,
    )
    return [SimilarRow(**dict(r)) for r in rows]
