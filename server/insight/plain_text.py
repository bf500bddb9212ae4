"""Comment bodies as plain prose: Markdown syntax, code, URLs and @mentions removed.

Language detection and keyphrases read words; a URL, a code span or a handle is not a word of any language.
"""

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Bare URLs and www. addresses that commonmark leaves as text (it has no autolinking of its own).
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# A handle: @ at the start of a word, then letters, digits, dots, dashes or underscores (a
# full stop after it ends the sentence, not the handle).
_MENTION = re.compile(r"(?<![\w@])@\w(?:[\w.\-]*\w)?")
_SPACES = re.compile(r"\s+")
# One parser for the process: building one compiles its rules, which took longer than parsing
# a comment. `parse` keeps its state per call, so threads may share it.
_MARKDOWN = MarkdownIt("commonmark")


def _inline_text(inline: Token) -> str:
    """The words of one inline block: link text kept, code spans and images left out."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _clean(text: str) -> str:
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def plain_paragraphs(markdown: str) -> list[str]:
    """The prose paragraphs of a Markdown body (headings and list items count as paragraphs).

    Code blocks and raw HTML are dropped whole; empty paragraphs are left out.
    """
    paragraphs: list[str] = []
    for token in _MARKDOWN.parse(markdown):
        if token.type == "inline":
            cleaned = _clean(_inline_text(token))
            if cleaned:
                paragraphs.append(cleaned)
    return paragraphs


def plain_text(markdown: str) -> str:
    """The prose of a Markdown body as one line of text."""
    return " ".join(plain_paragraphs(markdown))
