"""The background note: its versions, their citations, and the comments it may cite."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor, build


@dataclass(frozen=True, slots=True)
class NoteRow:
    space_id: int
    version: int
    published_version: int | None
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class VersionRow:
    space_id: int
    version: int
    lang: str
    body: str
    author_id: int | None
    author_name: str | None
    saved_at: datetime


@dataclass(frozen=True, slots=True)
class CitationRow:
    comment_id: int
    span_start: int
    span_end: int
    quote: str
    body_sha256: str
    revision: int


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A comment as the note cites it: its text now, its author and consent, its standing."""

    id: int
    space_id: int
    question_id: int
    author_id: int
    author_name: str
    lang: str
    body: str
    status: str
    support_count: int
    quoting: str
    revision: int


VERSION_VIEW = """
    SELECT v.space_id, v.version, v.lang, v.body, v.author_id, u.display_name AS author_name, v.saved_at
    FROM synthesis_note_versions v LEFT JOIN users u ON u.id = v.author_id
"""
SOURCE_VIEW = """
    SELECT c.id, c.space_id, c.question_id, c.author_id, u.display_name AS author_name, c.lang,
           c.body, c.status, c.support_count, c.quoting,
           (SELECT count(*) FROM comment_revisions r WHERE r.comment_id = c.id)::int AS revision
    FROM comments c JOIN users u ON u.id = c.author_id
"""


async def lock_note(db: Executor, space_id: int) -> NoteRow | None:
    return build(
        NoteRow,
        await db.fetchrow(
            """SELECT space_id, version, published_version, published_at
               FROM synthesis_notes WHERE space_id = $1 FOR UPDATE""",
            space_id,
        ),
    )


async def get_note(db: Executor, space_id: int) -> NoteRow | None:
    return build(
        NoteRow,
        await db.fetchrow(
            """SELECT space_id, version, published_version, published_at
               FROM synthesis_notes WHERE space_id = $1""",
            space_id,
        ),
    )


async def upsert_note_version(db: Executor, space_id: int, version: int) -> None:
    await db.execute(
        """INSERT INTO synthesis_notes (space_id, version) VALUES ($1, $2)
           ON CONFLICT (space_id) DO UPDATE SET version = EXCLUDED.version""",
        space_id,
        version,
    )


async def set_published(db: Executor, space_id: int, version: int) -> NoteRow:
    row = await db.fetchrow(
        """UPDATE synthesis_notes SET published_version = $2, published_at = now()
           WHERE space_id = $1 RETURNING space_id, version, published_version, published_at""",
        space_id,
        version,
    )
    return NoteRow(**dict(row))


async def insert_version(
    db: Executor, space_id: int, version: int, lang: str, body: str, author_id: int | None
) -> VersionRow:
    await db.execute(
        """INSERT INTO synthesis_note_versions (space_id, version, lang, body, author_id)
           VALUES ($1, $2, $3, $4, $5)""",
        space_id,
        version,
        lang,
        body,
        author_id,
    )
    row = await get_version(db, space_id, version)
    assert row is not None
    return row


async def get_version(db: Executor, space_id: int, version: int) -> VersionRow | None:
    return build(
        VersionRow,
        await db.fetchrow(VERSION_VIEW + " WHERE v.space_id = $1 AND v.version = $2", space_id, version),
    )


async def list_versions(db: Executor, space_id: int) -> list[VersionRow]:
    rows = await db.fetch(VERSION_VIEW + " WHERE v.space_id = $1 ORDER BY v.version DESC", space_id)
    return [VersionRow(**dict(r)) for r in rows]


async def insert_citations(db: Executor, space_id: int, version: int, citations: list[CitationRow]) -> None:
    await db.executemany(
        """INSERT INTO synthesis_citations
               (space_id, version, comment_id, span_start, span_end, quote, body_sha256, revision)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""",
        [
            (space_id, version, c.comment_id, c.span_start, c.span_end, c.quote, c.body_sha256, c.revision)
            for c in citations
        ],
    )


async def list_citations(db: Executor, space_id: int, version: int) -> list[CitationRow]:
    rows = await db.fetch(
        """SELECT comment_id, span_start, span_end, quote, body_sha256, revision
           FROM synthesis_citations WHERE space_id = $1 AND version = $2
           ORDER BY comment_id, span_start""",
        space_id,
        version,
    )
    return [CitationRow(**dict(r)) for r in rows]


async def list_sources(db: Executor, space_id: int, comment_ids: list[int]) -> dict[int, SourceRow]:
    rows = await db.fetch(
        SOURCE_VIEW + " WHERE c.space_id = $1 AND c.id = ANY($2::bigint[])", space_id, comment_ids
    )
    return {r["id"]: SourceRow(**dict(r)) for r in rows}


async def list_published_sources(db: Executor, space_id: int) -> list[SourceRow]:
    """Every published comment and reply of the space, oldest first: what a note may draw on."""
    rows = await db.fetch(
        SOURCE_VIEW + " WHERE c.space_id = $1 AND c.status = 'published' ORDER BY c.id", space_id
    )
    return [SourceRow(**dict(r)) for r in rows]
