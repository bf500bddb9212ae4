"""Fixtures for the insight tests: the written-for-purpose comment sets, and their sentence
vectors computed once per test session (loading the encoder takes a second or more)."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from server.insight.embeddings import Vectors, embed_comments
from server.insight.worker import InsightWorker

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "insight"


@dataclass(frozen=True)
class ThemedComments:
    """The themed fixture's grouped comments, in file order, with their vectors."""

    texts: list[str]
    languages: list[str]
    themes: list[str]
    vectors: Vectors
    new_comments: list[dict[str, str]]
    off_topic: list[dict[str, str]]

    @property
    def ids(self) -> list[int]:
        return list(range(len(self.texts)))


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def language_fixture() -> Any:
    return load_fixture("languages.json")


@pytest.fixture(scope="session")
def themed() -> ThemedComments:
    data = load_fixture("themes.json")
    comments = data["comments"]
    texts = [comment["text"] for comment in comments]
    return ThemedComments(
        texts=texts,
        languages=[comment["lang"] for comment in comments],
        themes=[comment["theme"] for comment in comments],
        vectors=embed_comments(texts),
        new_comments=data["new_comments"],
        off_topic=data["off_topic"],
    )


def as_float64(vectors: Vectors) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.asarray(vectors, dtype=np.float64)


@pytest.fixture(scope="session")
def insight_worker() -> Iterator[InsightWorker]:
    """One worker process for the session's servers: its encoder loads once."""
    worker = InsightWorker()
    yield worker
    worker.shutdown()
