"""Language centring: subtract each language's mean vector, then normalise.

Multilingual sentence vectors carry a language signal as well as a meaning; left in, comments
group by language before theme. Each language's mean over a question's comments is mostly that
signal, so taking it away leaves the meaning (measured in `bench/insight.py`).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]

# A mean over one or two comments is mostly those comments' meaning, and subtracting it would
# erase what they say: a language needs this many comments before it gets a mean of its own.
# Below it (and for "und"), the mean over all languages stands in.
MIN_COMMENTS_FOR_LANGUAGE_MEAN = 5


def normalise_rows(vectors: Matrix) -> Matrix:
    """Rows scaled to unit length; a zero row stays zero."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalised: Matrix = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return normalised


@dataclass(frozen=True, slots=True)
class LanguageCentring:
    """The means taken away from vectors, per language and over all of them."""

    language_means: Mapping[str, npt.NDArray[np.float64]]
    overall_mean: npt.NDArray[np.float64]

    @classmethod
    def fit(cls, languages: Sequence[str], vectors: Matrix) -> "LanguageCentring":
        if len(languages) != len(vectors) or len(vectors) == 0:
            raise ValueError("centring needs one language per vector, and at least one vector")
        labels = np.asarray(languages)
        means = {
            language: vectors[labels == language].mean(axis=0)
            for language in sorted(set(languages))
            if int((labels == language).sum()) >= MIN_COMMENTS_FOR_LANGUAGE_MEAN
        }
        return cls(language_means=means, overall_mean=vectors.mean(axis=0))

    def mean_for(self, language: str) -> npt.NDArray[np.float64]:
        return self.language_means.get(language, self.overall_mean)

    def apply(self, languages: Sequence[str], vectors: Matrix) -> Matrix:
        """Vectors with their language's mean taken away, normalised to unit length."""
        if len(languages) != len(vectors):
            raise ValueError("centring needs one language per vector")
        means = np.stack([self.mean_for(language) for language in languages]) if languages else vectors
        return normalise_rows(vectors - means)
