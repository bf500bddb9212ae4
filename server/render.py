"""Markdown to safe HTML: markdown-it-py renders a small subset, nh3 sanitises.

Raw HTML in the source is never passed through; links get
`rel="nofollow ugc noopener"`; `@handle` mentions of known users become links to the
browser client's profile page (`/#/users/{handle}`; the API has it at `/api/v1/users/{handle}`).
"""

import re
from collections.abc import Callable, Mapping

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# A mention is @ then a handle, not preceded by a word character (so an email
# address is not a mention).
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,38}[A-Za-z0-9_])?)")

LINK_REL = "nofollow ugc noopener"
# A mention leads people to the client's profile page, not to the API's JSON.
PROFILE_PAGE = "/#/users/"
URL_SCHEMES = {"http", "https", "mailto"}

COMMENT_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "del",
}
# Background texts and questions may also carry headings.
DOCUMENT_TAGS = COMMENT_TAGS | {"h1", "h2", "h3", "h4", "h5", "h6"}
ATTRIBUTES = {"a": {"href", "title", "class"}, "ol": {"start"}}


def _parser(headings: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    md.enable("strikethrough")
    if not headings:
        md.disable(["heading", "lheading"])
    return md


_COMMENT_MD = _parser(headings=False)
_DOCUMENT_MD = _parser(headings=True)


def find_mentions(source: str) -> set[str]:
    """Handles mentioned in running text (not in code or inside links), lower-cased."""
    found: set[str] = set()
    for token in _COMMENT_MD.parse(source):
        for child, in_link in _text_children(token):
            if not in_link:
                found.update(m.group(1).lower() for m in MENTION_RE.finditer(child.content))
    return found


def _text_children(token: Token) -> list[tuple[Token, bool]]:
    result: list[tuple[Token, bool]] = []
    depth = 0
    for child in token.children or []:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        elif child.type == "text":
            result.append((child, depth > 0))
    return result


def _mention_rule(known: Mapping[str, str]) -> Callable[[StateCore], None]:
    """A core rule replacing @handle in text with a link, for handles in `known`."""

    def rule(state: StateCore) -> None:
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            replaced: list[Token] = []
            depth = 0
            for child in block.children:
                if child.type == "link_open":
                    depth += 1
                elif child.type == "link_close":
                    depth -= 1
                if child.type != "text" or depth > 0:
                    replaced.append(child)
                    continue
                replaced.extend(_split_mentions(child.content, known))
            block.children = replaced

    return rule


def _split_mentions(text: str, known: Mapping[str, str]) -> list[Token]:
    tokens: list[Token] = []
    cursor = 0
    for match in MENTION_RE.finditer(text):
        handle = known.get(match.group(1).lower())
        if handle is None:
            continue
        tokens.append(_text(text[cursor : match.start()]))
        link = Token("link_open", "a", 1)
        link.attrs = {"href": f"{PROFILE_PAGE}{handle}", "class": "mention"}
        tokens += [link, _text("@" + handle), Token("link_close", "a", -1)]
        cursor = match.end()
    tokens.append(_text(text[cursor:]))
    return [t for t in tokens if t.type != "text" or t.content]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _clean(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html, tags=tags, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=LINK_REL
    ).strip()


def render_comment(source: str, known_handles: Mapping[str, str] | None = None) -> str:
    """A comment's HTML; `known_handles` maps lower-cased handles to their spelling."""
    if not known_handles:
        return _clean(_COMMENT_MD.render(source), COMMENT_TAGS)
    md = _parser(headings=False)
    md.core.ruler.push("mentions", _mention_rule(known_handles))
    return _clean(md.render(source), COMMENT_TAGS)


def render_document(source: str) -> str:
    """HTML for a space's background text or a question's body."""
    return _clean(_DOCUMENT_MD.render(source), DOCUMENT_TAGS)
