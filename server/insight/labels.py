"""A theme's label: keyphrases found per language with YAKE, merged across languages so that
one concept ("drought", "sécheresse", "sequía") appears once.

YAKE scores words and phrases by statistics of the text itself (no model, no download) and has
stop-word lists for English, French, Spanish and thirty more languages. Phrases in different
languages name the same concept when their multilingual sentence vectors are close.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import yake

# Phrases of one or two words: three-word YAKE phrases on a few comments are mostly fragments
# of one sentence ("companies dump tailings") rather than names of an idea.
MAX_PHRASE_WORDS = 2
# Phrases taken per language before merging: enough that each concept turns up in each
# language's list, few enough that fragments stay out.
PHRASES_PER_LANGUAGE = 8
# Phrases at this cosine similarity or above name one concept. On the themed fixture
# translations score 0.72 to 0.97 ("drought"/"sequía" 0.73, "alerta temprana"/"early warning"
# 0.85) and unrelated words of one theme 0.55 to 0.70 ("water"/"acuíferos", 0.74, is the
# worst confusion seen: it merges two phrases of one theme, never two themes).
SAME_CONCEPT_SIMILARITY = 0.72
# Concepts in a label: a label is read at a glance on a screen.
MAX_LABEL_CONCEPTS = 3
# Shortest phrase kept, in letters: "eau" is a concept, "d" is not.
MIN_PHRASE_LETTERS = 3

# French and Spanish elisions glued to the next word (l'eau, d'alerte, qu'ils).
_ELISION = re.compile("^(?:[ldjmnstc]|qu)['\u2019]", re.IGNORECASE)
_WORD_SPLIT = re.compile("[\\s'\u2019\\-]+")


@dataclass(frozen=True, slots=True)
class Concept:
    """One idea of a theme: the phrase shown, and the same idea in other words or languages."""

    phrase: str
    language: str
    variants: tuple[str, ...]
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Candidate:
    phrase: str
    language: str
    rank: int  # 0 is YAKE's best phrase for its language


@lru_cache(maxsize=16)
def _extractor(language: str) -> yake.KeywordExtractor:
    return yake.KeywordExtractor(lan=language, n=MAX_PHRASE_WORDS, top=PHRASES_PER_LANGUAGE)


def stop_words(language: str) -> frozenset[str]:
    """YAKE's stop words for a language, lower-case."""
    return frozenset(word.lower() for word in _extractor(language).stopword_set)


def _tidy(phrase: str) -> str:
    """Lower-case but for acronyms, with a leading elision taken off ("d'alerte" -> "alerte")."""
    words = [word if word.isupper() and len(word) > 1 else word.lower() for word in phrase.split()]
    if words:
        words[0] = _ELISION.sub("", words[0])
    return " ".join(words)


def _acceptable(phrase: str, language: str) -> bool:
    words = [word for word in _WORD_SPLIT.split(phrase.lower()) if word]
    letters = sum(char.isalpha() for char in phrase)
    return bool(words) and letters >= MIN_PHRASE_LETTERS and not set(words) & stop_words(language)


def _candidates(texts_by_language: dict[str, list[str]]) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    for language, texts in sorted(texts_by_language.items()):
        seen: set[str] = set()
        rank = 0
        for phrase, _score in _extractor(language).extract_keywords("\n".join(texts)):
            tidy = _tidy(phrase)
            if tidy in seen or not _acceptable(tidy, language):
                continue
            seen.add(tidy)
            candidates.append(_Candidate(tidy, language, rank))
            rank += 1
    return candidates


def _merge(candidates: Sequence[_Candidate], vectors: npt.NDArray[np.float32]) -> list[list[int]]:
    """Candidates grouped into concepts: a candidate joins the first concept holding a phrase
    close enough to it, taken best rank first so each concept starts from a strong phrase."""
    similarity = vectors @ vectors.T
    order = sorted(range(len(candidates)), key=lambda i: (candidates[i].rank, candidates[i].language))
    concepts: list[list[int]] = []
    for index in order:
        for members in concepts:
            if max(float(similarity[index, member]) for member in members) >= SAME_CONCEPT_SIMILARITY:
                members.append(index)
                break
        else:
            concepts.append([index])
    return concepts


def label_theme(
    comments: Sequence[tuple[str, str]], embed: Callable[[Sequence[str]], npt.NDArray[np.float32]]
) -> tuple[Concept, ...]:
    """Up to MAX_LABEL_CONCEPTS concepts naming a theme, most shared across languages first.

    `comments` are (language, plain text) pairs; languages YAKE has no stop words for, and
    "und", are left out. `embed` gives L2-normalised multilingual vectors of phrases.
    """
    texts_by_language: dict[str, list[str]] = {}
    for language, text in comments:
        if language in yake_languages() and text.strip():
            texts_by_language.setdefault(language, []).append(text)
    candidates = _candidates(texts_by_language)
    if not candidates:
        return ()
    vectors = np.asarray(embed([candidate.phrase for candidate in candidates]), dtype=np.float32)
    concepts = _merge(candidates, vectors)
    # A concept said in every language is the theme's core; within a tie, the better-ranked one.
    concepts.sort(
        key=lambda members: (
            -len({candidates[m].language for m in members}),
            min(candidates[m].rank for m in members),
        )
    )
    labelled = []
    for members in concepts[:MAX_LABEL_CONCEPTS]:
        head = candidates[members[0]]
        others = (candidates[m].phrase for m in members[1:])
        variants = tuple(dict.fromkeys(phrase for phrase in others if phrase != head.phrase))
        languages = tuple(sorted({candidates[m].language for m in members}))
        labelled.append(Concept(head.phrase, head.language, variants, languages))
    return tuple(labelled)


@lru_cache(maxsize=1)
def yake_languages() -> frozenset[str]:
    """Languages YAKE has a stop-word list for (file names stopwords_<code>.txt)."""
    from importlib.resources import files

    folder = files("yake.core").joinpath("StopwordsList")
    return frozenset(
        entry.name.removeprefix("stopwords_").removesuffix(".txt")
        for entry in folder.iterdir()
        if entry.name.startswith("stopwords_")
    )
