"""Placing a new comment into its question's nearest theme, with numpy alone, so the app
process can do it without loading the encoder or scikit-learn (a 512-wide dot product with a
dozen theme centres takes microseconds)."""

from collections.abc import Mapping, Sequence

import numpy as np

from server.insight.centring import LanguageCentring

# A new comment whose cosine similarity to every theme's centre is below this is unplaced.
# On the fixture, held-out comments score 0.3 to 0.6 with their own theme; off-topic
# remarks ("the link does not work") score under 0.15 with all of them.
MIN_PLACEMENT_SIMILARITY = 0.2


def centring_from(
    language_means: Mapping[str, Sequence[float]], overall_mean: Sequence[float]
) -> LanguageCentring:
    """The centring a stored grouping was made with."""
    return LanguageCentring(
        language_means={lang: np.asarray(mean, dtype=np.float64) for lang, mean in language_means.items()},
        overall_mean=np.asarray(overall_mean, dtype=np.float64),
    )


def place_vectors(
    centring: LanguageCentring,
    centres: Sequence[Sequence[float]],
    languages: Sequence[str],
    vectors: Sequence[Sequence[float]],
) -> list[tuple[int | None, float]]:
    """Per vector, the index of the nearest centre (None when none is near) and its similarity."""
    if not vectors:
        return []
    if not centres:
        return [(None, 0.0)] * len(vectors)
    points = centring.apply(list(languages), np.asarray(vectors, dtype=np.float64))
    similarities = points @ np.asarray(centres, dtype=np.float64).T
    nearest = similarities.argmax(axis=1)
    placed: list[tuple[int | None, float]] = []
    for row, index in enumerate(nearest.tolist()):
        similarity = float(similarities[row, index])
        placed.append((index if similarity >= MIN_PLACEMENT_SIMILARITY else None, similarity))
    return placed
