"""Themes of a question: its comments grouped by what they say, across languages; new comments
placed into the nearest theme or held as unplaced; how stable one grouping is against another.

k-means (scikit-learn) on language-centred, unit-length sentence vectors; the number of themes
is the one with the best silhouette over a small range. Deterministic for a given seed.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from threadpoolctl import threadpool_limits

from server.insight.centring import LanguageCentring, Matrix, normalise_rows
from server.insight.placement import MIN_PLACEMENT_SIMILARITY

# More themes than this is no longer a summary a moderator can read on one screen.
MAX_THEMES = 12
# Themes hold at least this many comments on average. Silhouette alone keeps rising with the
# number of themes on a few dozen comments (paraphrases form tight pairs it would rather split
# off), so the range it may choose from stops at comments / 8; on the themed fixture, 54
# comments in 6 themes, that is 6.
MIN_AVERAGE_THEME_SIZE = 8
# The number of themes is chosen on a random sample of at most this many comments, then all
# comments are grouped once with it: silhouette compares every pair of comments, and eleven
# k-means runs over 10,000 comments took a minute on two cores, over 1,000 a few seconds.
# A thousand comments still hold every theme big enough to matter (at 1% of a question, ten).
SELECTION_SAMPLE = 1000
# k-means restarts from this many seeds and keeps the tightest result: fewer restarts made
# groupings of the fixture differ between seeds (ARI between runs down to 0.6).
KMEANS_RESTARTS = 10
# k-means and silhouette run on one thread (OpenMP and BLAS alike). The other core belongs to
# the event loop; and on two busy cores, scikit-learn's default of a thread per core measured
# twenty times slower (0.27 s against 5.2 s for one k-means of 1,000 comments), its threads
# spinning while they wait for each other. The limit holds for the whole process while a
# grouping runs, one more reason to group in a worker process.
COMPUTE_THREADS = 1


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme: its comments (ids, nearest the centre first) and the one that best represents it."""

    number: int
    comment_ids: tuple[int, ...]
    representative_id: int
    centre: npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Grouping:
    """A question's comments grouped into themes, with what is needed to place new ones."""

    themes: tuple[Theme, ...]
    centring: LanguageCentring
    silhouette: float

    def theme_of(self) -> dict[int, int]:
        """Theme number of each grouped comment, by comment id."""
        return {comment_id: theme.number for theme in self.themes for comment_id in theme.comment_ids}


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a new comment goes: a theme number, or None when it is far from every theme."""

    theme: int | None
    similarity: float


def _check_inputs(comment_ids: Sequence[int], languages: Sequence[str], vectors: Matrix) -> None:
    if not len(comment_ids) == len(languages) == len(vectors):
        raise ValueError("grouping needs one language and one vector per comment")
    if len(set(comment_ids)) != len(comment_ids):
        raise ValueError("comment ids must be distinct")
    if len(comment_ids) == 0:
        raise ValueError("grouping needs at least one comment")


def _candidate_theme_counts(comment_count: int) -> range:
    return range(2, min(MAX_THEMES, comment_count // MIN_AVERAGE_THEME_SIZE) + 1)


def _choose_theme_count(points: Matrix, seed: int, theme_counts: Sequence[int]) -> tuple[int, float]:
    """The number of themes with the best silhouette on a sample of the points, and that silhouette."""
    if len(points) > SELECTION_SAMPLE:
        sample = np.random.default_rng(seed).choice(len(points), SELECTION_SAMPLE, replace=False)
        points = points[np.sort(sample)]
    best_count, best_score = 1, 0.0  # one theme for all, unless some split scores better
    for theme_count in theme_counts:
        labels = KMeans(theme_count, n_init=KMEANS_RESTARTS, random_state=seed).fit_predict(points)
        if len(set(labels.tolist())) < 2:
            continue
        score = _silhouette(points, labels, seed)
        if score > best_score:
            best_count, best_score = theme_count, score
    return best_count, best_score


def _silhouette(points: Matrix, labels: npt.NDArray[np.intp], seed: int) -> float:
    if len(set(labels.tolist())) < 2:
        return 0.0
    sample = min(SELECTION_SAMPLE, len(points))
    return float(silhouette_score(points, labels, sample_size=sample, random_state=seed))


def _cluster(points: Matrix, seed: int, theme_count: int) -> npt.NDArray[np.intp]:
    if theme_count == 1:
        return np.zeros(len(points), dtype=np.intp)
    labels = KMeans(theme_count, n_init=KMEANS_RESTARTS, random_state=seed).fit_predict(points)
    return np.asarray(labels, dtype=np.intp)


def group_comments(
    comment_ids: Sequence[int],
    languages: Sequence[str],
    vectors: Matrix,
    *,
    seed: int = 0,
    theme_count: int | None = None,
) -> Grouping:
    """Group a question's comments into themes.

    `languages` are the comments' primary languages ("und" where unknown); `vectors` are their
    sentence vectors, one row each. The number of themes is chosen from the data unless
    `theme_count` asks for one (a moderator splitting or merging). Themes are numbered from 0,
    largest first.
    """
    _check_inputs(comment_ids, languages, vectors)
    if theme_count is not None and not 1 <= theme_count <= len(comment_ids):
        raise ValueError("theme_count must be between 1 and the number of comments")
    raw = np.asarray(vectors, dtype=np.float64)
    centring = LanguageCentring.fit(languages, raw)
    points = centring.apply(languages, raw)
    with threadpool_limits(limits=COMPUTE_THREADS):
        if theme_count is None:
            counts = _candidate_theme_counts(len(points))
            theme_count, silhouette = _choose_theme_count(points, seed, counts)
            labels = _cluster(points, seed, theme_count)
        else:
            labels = _cluster(points, seed, theme_count)
            silhouette = _silhouette(points, labels, seed)

    ids = np.asarray(comment_ids)
    groups = [np.flatnonzero(labels == label) for label in np.unique(labels)]
    # Largest first; ties by their first comment, so numbering does not depend on k-means' order.
    groups.sort(key=lambda members: (-len(members), int(members.min())))
    themes = []
    for number, members in enumerate(groups):
        centre = normalise_rows(points[members].mean(axis=0, keepdims=True))[0]
        nearest_first = members[np.argsort(-(points[members] @ centre), kind="stable")]
        member_ids = tuple(int(comment_id) for comment_id in ids[nearest_first])
        themes.append(Theme(number, member_ids, member_ids[0], centre))
    return Grouping(tuple(themes), centring, silhouette)


def place_comment(grouping: Grouping, language: str, vector: npt.NDArray[np.floating]) -> Placement:
    """The theme nearest a new comment's vector, or an unplaced Placement when none is near.

    The comment is centred with its language's mean from the grouping (the overall mean for a
    language the grouping had too few comments in), so a comment in a third language still
    finds its theme.
    """
    point = grouping.centring.apply([language], np.asarray(vector, dtype=np.float64).reshape(1, -1))[0]
    centres = np.stack([theme.centre for theme in grouping.themes])
    similarities = centres @ point
    nearest = int(np.argmax(similarities))
    similarity = float(similarities[nearest])
    if similarity < MIN_PLACEMENT_SIMILARITY:
        return Placement(None, similarity)
    return Placement(grouping.themes[nearest].number, similarity)


def grouping_stability(first: Grouping, second: Grouping) -> float:
    """Adjusted Rand index between two groupings over the comments both contain.

    1.0: the same themes (whatever their numbers); about 0: no more alike than chance.
    """
    first_themes, second_themes = first.theme_of(), second.theme_of()
    shared = sorted(first_themes.keys() & second_themes.keys())
    if len(shared) < 2:
        raise ValueError("stability needs at least two comments grouped in both")
    return float(adjusted_rand_score([first_themes[c] for c in shared], [second_themes[c] for c in shared]))
