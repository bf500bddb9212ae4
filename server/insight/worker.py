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


def group_question(
    comment_ids: list[int],
    languages: list[str],
    vectors: list[list[float]],
    texts: list[str],
    previous: dict[int, int],
) -> GroupingResult:
    """Runs in the worker: group, label each theme, and measure stability against `previous`
    (comment id to theme id of the grouping being replaced)."""
    import numpy as np

    from server.insight.embeddings import embed_texts
    from server.insight.labels import label_theme
    from server.insight.plain_text import plain_text
    from server.insight.themes import group_comments

    grouping = group_comments(comment_ids, languages, np.asarray(vectors, dtype=np.float64))
    by_id = dict(zip(comment_ids, zip(languages, texts, strict=True), strict=True))
    themes = []
    for theme in grouping.themes:
        pieces = [(by_id[c][0], plain_text(by_id[c][1])) for c in theme.comment_ids]
        concepts = label_theme(pieces, embed_texts)
        terms: list[dict[str, object]] = [
            {"phrase": c.phrase, "lang": c.language, "variants": list(c.variants)} for c in concepts
        ]
        themes.append(ThemeResult(theme.comment_ids, theme.representative_id, theme.centre.tolist(), terms))
    stability = _stability(grouping, previous)
    centring = grouping.centring
    return GroupingResult(
        tuple(themes),
        {lang: mean.tolist() for lang, mean in centring.language_means.items()},
        centring.overall_mean.tolist(),
        stability,
    )


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
        self,
        comment_ids: list[int],
        languages: list[str],
        vectors: list[list[float]],
        texts: list[str],
        previous: dict[int, int],
    ) -> GroupingResult:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._pool, group_question, comment_ids, languages, vectors, texts, previous
        )

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
