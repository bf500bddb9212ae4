"""Which of a space's languages a comment is written in: one, several (a post and its
translation), or "und" when the text is too short or too uncertain to tell.

Detection is py3langid's naive Bayes model (shipped inside the package), restricted to the
space's languages, run per paragraph, and per sentence inside a long paragraph, so that a
Spanish paragraph followed by its English version reports both.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from server.insight.plain_text import plain_paragraphs

UNDETERMINED = "und"

# Fewer letters than this is not a sentence in any language ("+1", "OK", "👍"): py3langid scores
# its byte n-grams, and two or three letters give it almost none, so it would answer at random.
MIN_TEXT_LETTERS = 4
# Probabilities are normalised over the space's languages (three of them: 0.33 each is a shrug).
# 0.6 asks that the leading language be more likely than all the others together by 3:2; on
# the fixture, proper sentences of six or more words score above 0.95, acronym lists and lone
# place names stay below 0.6 ("Mekong": 0.50), and "Merci !" scores 0.61.
MIN_CONFIDENCE = 0.6
# A paragraph or sentence shorter than this (about four words) is too short to add a language
# of its own to a post: a closing "Thanks!" under a French comment does not make it English.
MIN_SEGMENT_LETTERS = 20
# A language must cover a quarter of the confidently detected letters to be reported: a post and
# its translation cover about half each, a quoted phrase or a foreign place name much less.
MIN_LANGUAGE_SHARE = 0.25
# A language covering this share is one of the post's main languages: a post and its translation
# cover about half each (French and Spanish run 10-30% longer than English), so the one written
# first, usually the original, is the primary language rather than the longer one.
MAIN_LANGUAGE_SHARE = 0.4
# A paragraph longer than this (about three sentences) is detected sentence by sentence, so a
# paragraph that switches language halfway still shows both.
LONG_PARAGRAPH_LETTERS = 200

# Acronyms (UNESCO, SDG, IGAD) belong to no language and push short texts towards a random one.
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,}[a-z]?\b")
# A sentence ends with . ! ? or … followed by space; Spanish opens questions with ¿ and ¡.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"'«¿¡(\w])")


@dataclass(frozen=True, slots=True)
class DetectedLanguages:
    """The languages of one comment: `primary` is also first in `languages`.

    `confidence` is the normalised probability (0 to 1) that py3langid gave the primary
    language, averaged over the text it covers; for "und" it is the best probability seen.
    """

    primary: str
    languages: tuple[str, ...]
    confidence: float


@lru_cache(maxsize=1)
def _model_file() -> tuple[object, ...]:
    """The model's arrays, read once per process (decompressing it takes seconds)."""
    from py3langid import langid
    from py3langid.modelio import load_model

    return tuple(load_model(langid.MODEL_DIR / MODEL_FILE))


@lru_cache(maxsize=32)
def _identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    """One identifier per language set: `set_languages` changes the identifier it is called on."""
    ptc, pc, classes, nextmove, row, output = _model_file()
    identifier = LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
    identifier.set_languages(list(languages))
    return identifier


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))  # map: a generator expression took a fifth of detection


def _segments(paragraphs: Sequence[str]) -> list[str]:
    segments: list[str] = []
    for paragraph in paragraphs:
        if _letters(paragraph) > LONG_PARAGRAPH_LETTERS:
            segments.extend(part for part in _SENTENCE_END.split(paragraph) if part.strip())
        else:
            segments.append(paragraph)
    return segments


def _classify(identifier: LanguageIdentifier, text: str) -> tuple[str, float]:
    language, probability = identifier.classify(text)
    return str(language), float(probability)


def detect_languages(text: str, space_languages: Sequence[str]) -> DetectedLanguages:
    """The languages of a comment's Markdown body among `space_languages` (ISO 639-1 codes).

    Raises ValueError for an empty language list or a code py3langid does not know.
    """
    if not space_languages:
        raise ValueError("a space needs at least one language to detect")
    identifier = _identifier(tuple(sorted(set(space_languages))))
    paragraphs = [_ACRONYM.sub(" ", paragraph) for paragraph in plain_paragraphs(text)]
    whole = " ".join(paragraphs)
    if _letters(whole) < MIN_TEXT_LETTERS:
        return DetectedLanguages(UNDETERMINED, (UNDETERMINED,), 0.0)
    whole_language, whole_probability = _classify(identifier, whole)

    first_seen: dict[str, int] = {}
    letters_by_language: dict[str, int] = {}
    weighted_probability: dict[str, float] = {}
    for segment in _segments(paragraphs):
        letters = _letters(segment)
        if letters < MIN_SEGMENT_LETTERS:
            continue
        language, probability = _classify(identifier, segment)
        if probability < MIN_CONFIDENCE:
            continue
        first_seen.setdefault(language, len(first_seen))
        letters_by_language[language] = letters_by_language.get(language, 0) + letters
        weighted_probability[language] = weighted_probability.get(language, 0.0) + probability * letters

    covered = sum(letters_by_language.values())
    if covered == 0:
        # Only short pieces: the text as a whole is all there is to go on.
        if whole_probability < MIN_CONFIDENCE:
            return DetectedLanguages(UNDETERMINED, (UNDETERMINED,), whole_probability)
        return DetectedLanguages(whole_language, (whole_language,), whole_probability)

    shares = {language: letters / covered for language, letters in letters_by_language.items()}
    # Main languages in the order they were written, then lesser ones by share.
    ranked = sorted(
        (language for language, share in shares.items() if share >= MIN_LANGUAGE_SHARE),
        key=lambda language: (
            shares[language] < MAIN_LANGUAGE_SHARE,
            first_seen[language] if shares[language] >= MAIN_LANGUAGE_SHARE else -shares[language],
        ),
    )
    languages = tuple(ranked)
    primary = languages[0]
    confidence = weighted_probability[primary] / letters_by_language[primary]
    return DetectedLanguages(primary, languages, confidence)
