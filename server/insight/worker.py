"""The insight worker: one process that embeds comments and groups a question's comments
into themes, so that the event loop never waits for the encoder, k-means or the GIL.

The lifespan starts it and shuts it down; the encoder loads once, when the process starts.
Everything crossing the process boundary is plain lists and dataclasses (pickled).
"""

import asyncio
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

# The encoder, YAKE and scikit-learn are imported in the worker only: the app process never
# pays for loading them.
if TYPE_CHECKING:
    from server.insight.themes import Grouping


@dataclass(frozen=True, slots=True)
class ThemeResult:
    """One theme of a fresh grouping: comments nearest the centre first, and its label's concepts."""

    comment_ids: tuple[int, ...]
    representative_id: int
    centre: list[float]
    terms: list[dict[str, object]]


@dataclass(frozen=True, slots=True)
class GroupingResult:
    comments: int
    themes: tuple[ThemeResult, ...]
    language_means: dict[str, list[float]]
    overall_mean: list[float]
    # Adjusted Rand index against the previous grouping over shared comments; None without one.
    stability: float | None


def _load_encoder() -> None:
    from server.insight.embeddings import embed_texts

    embed_texts(["load"])


def embed_bodies(bodies: list[str]) -> list[list[float]]:
    """Runs in the worker: one vector per Markdown body."""
    from server.insight.embeddings import embed_comments

    vectors: list[list[float]] = embed_comments(bodies).tolist()
    return vectors


async def _read_question(
    database_url: str, question_id: int, theme_id: int | None = None
) -> list[tuple[int, str, str, list[float]]]:
    import asyncpg

    from server.queries import themes as theme_queries

    conn = await asyncpg.connect(database_url)
    try:
        rows = await theme_queries.list_grouped_comments(conn, question_id, theme_id)
    finally:
        await conn.close()
    return [(row.comment_id, row.lang, row.body, row.vector) for row in rows]


def group_question(database_url: str, question_id: int, previous: dict[int, int]) -> GroupingResult | None:
    """Runs in the worker: read the question's published comments and their vectors, group
    them, label each theme, and measure stability against `previous` (comment id to theme id
    of the grouping being replaced). None when there are fewer than two to group."""
    import numpy as np

    from server.insight.themes import group_comments

    rows = asyncio.run(_read_question(database_url, question_id))
    if len(rows) < 2:
        return None
    comment_ids = [row[0] for row in rows]
    languages = [row[1] for row in rows]
    grouping = group_comments(comment_ids, languages, np.asarray([row[3] for row in rows], dtype=np.float64))
    by_id = {row[0]: (row[1], row[2]) for row in rows}
    themes = []
    for theme in grouping.themes:
        terms = _label_terms([by_id[c] for c in theme.comment_ids])
        themes.append(ThemeResult(theme.comment_ids, theme.representative_id, theme.centre.tolist(), terms))
    stability = _stability(grouping, previous)
    centring = grouping.centring
    return GroupingResult(
        len(rows),
        tuple(themes),
        {lang: mean.tolist() for lang, mean in centring.language_means.items()},
        centring.overall_mean.tolist(),
        stability,
    )


def _label_terms(comments: list[tuple[str, str]]) -> list[dict[str, object]]:
    """A theme's label as stored: its concepts, from its (language, Markdown body) comments."""
    from server.insight.embeddings import embed_texts
    from server.insight.labels import label_theme
    from server.insight.plain_text import plain_text

    concepts = label_theme([(lang, plain_text(body)) for lang, body in comments], embed_texts)
    return [{"phrase": c.phrase, "lang": c.language, "variants": list(c.variants)} for c in concepts]


def _stability(grouping: "Grouping", previous: dict[int, int]) -> float | None:
    import numpy as np

    from server.insight.themes import Grouping, Theme, grouping_stability

    shared = grouping.theme_of().keys() & previous.keys()
    if len(shared) < 2:
        return None
    by_theme: dict[int, list[int]] = {}
    for comment_id, theme_id in previous.items():
        by_theme.setdefault(theme_id, []).append(comment_id)
    empty = np.zeros(0)
    before = Grouping(
        tuple(Theme(n, tuple(ids), ids[0], empty) for n, ids in enumerate(by_theme.values())),
        grouping.centring,
        0.0,
    )
    return grouping_stability(before, grouping)


def split_theme(
    database_url: str,
    question_id: int,
    theme_id: int,
    language_means: dict[str, list[float]],
    overall_mean: list[float],
) -> tuple[ThemeResult, ThemeResult] | None:
    """Runs in the worker: split one theme in two, in the question's grouping's centred space
    (so that new comments are placed against the halves as against any theme). None when the
    theme's comments do not fall into two groups."""
    import numpy as np
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    from server.insight.centring import normalise_rows
    from server.insight.placement import centring_from
    from server.insight.themes import COMPUTE_THREADS, KMEANS_RESTARTS

    rows = asyncio.run(_read_question(database_url, question_id, theme_id))
    if len(rows) < 2:
        return None
    centring = centring_from(language_means, overall_mean)
    points = centring.apply([row[1] for row in rows], np.asarray([row[3] for row in rows], dtype=np.float64))
    with threadpool_limits(limits=COMPUTE_THREADS):
        labels = KMeans(2, n_init=KMEANS_RESTARTS, random_state=0).fit_predict(points)
    halves = []
    for label in (0, 1):
        members = np.flatnonzero(labels == label)
        if len(members) == 0:
            return None
        centre = normalise_rows(points[members].mean(axis=0, keepdims=True))[0]
        nearest_first = members[np.argsort(-(points[members] @ centre), kind="stable")]
        ids = tuple(rows[i][0] for i in nearest_first.tolist())
        terms = _label_terms([(rows[i][1], rows[i][2]) for i in nearest_first.tolist()])
        halves.append(ThemeResult(ids, ids[0], centre.tolist(), terms))
    halves.sort(key=lambda half: -len(half.comment_ids))
    return halves[0], halves[1]


class InsightWorker:
    """A pool of one worker process: one grouping at a time, embeddings queued behind it."""

    def __init__(self) -> None:
        # spawn, not fork: a forked copy of a running event loop and its sockets is unsafe.
        self._pool = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_load_encoder
        )

    async def embed(self, bodies: Sequence[str]) -> list[list[float]]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, embed_bodies, list(bodies))

    async def group(
        self, database_url: str, question_id: int, previous: dict[int, int]
    ) -> GroupingResult | None:
        """The question's new grouping, made in the worker from what the database holds now."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, group_question, database_url, question_id, previous)

    async def split(
        self,
        database_url: str,
        question_id: int,
        theme_id: int,
        language_means: dict[str, list[float]],
        overall_mean: list[float],
    ) -> tuple[ThemeResult, ThemeResult] | None:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._pool, split_theme, database_url, question_id, theme_id, language_means, overall_mean
        )

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
