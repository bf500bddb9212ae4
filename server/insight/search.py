"""Searching a space: who finds what, snippets that carry no markup from the text,
and cursors that continue a result list where a page ended."""

import base64
import binascii
import hashlib
import html

import orjson

from server import errors
from server.queries import Executor
from server.queries import search as search_queries
from server.queries import synthesis as synthesis_queries
from server.queries.search import MATCH_END, MATCH_START, SearchAfter, SearchHitRow
from server.schemas.common import from_row, page_of
from server.schemas.insight import SearchHit, SearchPage, SearchQuery

KINDS = ("comment", "question")


def snippet_html(snippet: str) -> str:
    """The snippet escaped as text, with `<mark>` around matched words: the only markup."""
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>")


def _fingerprint(query: SearchQuery, moderators: bool) -> str:
    """Ties a cursor to the search that made it: another query's cursor is refused."""
    shape = query.model_dump(mode="json", exclude={"cursor", "limit"}) | {"m": moderators}
    return hashlib.sha256(orjson.dumps(shape, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def encode_cursor(hit: SearchHitRow, fingerprint: str) -> str:
    raw = orjson.dumps({"f": fingerprint, "r": hit.rank, "k": hit.kind, "i": hit.id})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, fingerprint: str) -> SearchAfter:
    try:
        value = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        rank, kind, id_ = value["r"], value["k"], value["i"]
        valid = (
            value["f"] == fingerprint
            and isinstance(rank, int | float)
            and kind in KINDS
            and isinstance(id_, int)
            and 1 <= id_ < 2**63
        )
    except (binascii.Error, ValueError, KeyError, TypeError):
        valid = False
    if not valid:
        raise errors.InvalidCursor()
    return SearchAfter(rank=float(rank), kind=kind, id=id_)


async def search(db: Executor, space_id: int, query: SearchQuery, *, moderators: bool) -> SearchPage:
    """One page of results. Pending, hidden and rejected comments are found by the
    space's moderators only; everyone else searches published text alone.

    Themes are the moderators' (and screens'), so only moderators filter by one. `cited`
    is against the note's latest version for moderators, its published one for others."""
    if query.since and query.until and query.since >= query.until:
        raise errors.InvalidQuery("`since` must be before `until`.", details=[{"loc": ["since"]}])
    if query.theme_id is not None and not moderators:
        raise errors.NotModerator("Only the space's moderators filter by theme.")
    cited_version = None
    if query.cited is not None and (note := await synthesis_queries.get_note(db, space_id)) is not None:
        cited_version = note.version if moderators else note.published_version
    fingerprint = _fingerprint(query, moderators)
    after = decode_cursor(query.cursor, fingerprint) if query.cursor else None
    rows = await search_queries.search_space(
        db,
        space_id=space_id,
        text=query.q,
        include_unpublished=moderators,
        question_id=query.question_id,
        lang=query.lang,
        author_id=query.author_id,
        since=query.since,
        until=query.until,
        theme_id=query.theme_id,
        cited=query.cited,
        cited_version=cited_version,
        after=after,
        limit=query.limit + 1,
    )
    rows, more = page_of(rows, query.limit)
    return SearchPage(
        items=[from_row(SearchHit, r, snippet_html=snippet_html(r.snippet)) for r in rows],
        next_cursor=encode_cursor(rows[-1], fingerprint) if more else None,
    )
