"""Saving and publishing the background note.

A save names the version it was based on: when another writer saved since, it is
refused with `note_conflict` and the current version, so no change is silently lost.
Every citation is checked in the save's transaction; a refused citation leaves nothing
written. Saves are seen live by the space's moderators; publishing, by everyone.
"""

from dataclasses import dataclass

from server import errors
from server.access import roles
from server.access.identity import Viewer
from server.actions.audit import audited, record_audit
from server.events import Event, record_event
from server.queries import Executor
from server.queries import synthesis as synthesis_queries
from server.queries.synthesis import CitationRow, NoteRow, SourceRow, VersionRow
from server.running.database import Pool
from server.running.services import Services
from server.schemas.synthesis import Note, NotePublish, NoteSave
from server.synthesis.citations import check_citations, cited_comment_ids, key
from server.synthesis.markup import parse_note
from server.synthesis.reading import read_note


async def save_note(services: Services, viewer: Viewer, slug: str, body: NoteSave) -> tuple[Note, Event]:
    sections = parse_note(body.markdown)
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        note = await synthesis_queries.lock_note(conn, space.id)
        current = note.version if note is not None else None
        if body.base_version != current:
            raise errors.NoteConflict(details=await _conflict_details(conn, space.id, current))
        earlier = (
            {key(c): c for c in await synthesis_queries.list_citations(conn, space.id, current)}
            if current is not None
            else {}
        )
        sources = await synthesis_queries.list_sources(conn, space.id, cited_comment_ids(sections))
        citations = check_citations(sections, sources, earlier)
        version_number = (current or 0) + 1
        version = await synthesis_queries.insert_version(
            conn, space.id, version_number, body.lang, body.markdown, viewer.user_id
        )
        await synthesis_queries.insert_citations(conn, space.id, version_number, citations)
        await synthesis_queries.upsert_note_version(conn, space.id, version_number)
        saved = await synthesis_queries.get_note(conn, space.id)
        assert saved is not None
        resource = read_note(space.slug, saved, version, citations, sources)
        entry = await record_audit(
            conn,
            space.id,
            viewer,
            "note.save",
            "background_note",
            version_number,
            details={"version": version_number, "based_on": current, "citations": len(citations)},
        )
        event = await record_event(
            conn,
            space.id,
            "note.saved",
            public=None,
            moderators=audited({"note": _summary(resource)}, entry),
        )
    await services.publish(event)
    return resource, event


async def _conflict_details(db: Executor, space_id: int, current: int | None) -> dict[str, object]:
    if current is None:
        return {"current_version": None, "markdown": None, "lang": None}
    version = await synthesis_queries.get_version(db, space_id, current)
    assert version is not None
    return {"current_version": current, "markdown": version.body, "lang": version.lang}


def _summary(note: Note) -> dict[str, object]:
    return {
        "version": note.version,
        "lang": note.lang,
        "saved_by": note.saved_by,
        "words": note.words,
        "unsourced_sentences": note.unsourced_sentences,
        "citations_needing_review": note.citations_needing_review,
    }


async def publish_note(
    services: Services, viewer: Viewer, slug: str, body: NotePublish
) -> tuple[Note, Event]:
    """Publish a saved version as the space's page, readable by everyone who may read the space."""
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        note = await synthesis_queries.lock_note(conn, space.id)
        version = await synthesis_queries.get_version(conn, space.id, body.version) if note else None
        if note is None or version is None:
            raise errors.BackgroundNoteNotFound()
        published = await synthesis_queries.set_published(conn, space.id, body.version)
        citations = await synthesis_queries.list_citations(conn, space.id, body.version)
        sources = await synthesis_queries.list_sources(
            conn, space.id, sorted({c.comment_id for c in citations})
        )
        resource = read_note(space.slug, published, version, citations, sources)
        assert published.published_at is not None
        public: dict[str, object] = {
            "note": {
                "version": body.version,
                "lang": version.lang,
                "published_at": published.published_at.isoformat(),
            },
            # Ids only, and only of comments still published: a withdrawn one is not shown as cited.
            "cited_comment_ids": [i for i, source in sorted(sources.items()) if source.status == "published"],
        }
        entry = await record_audit(
            conn,
            space.id,
            viewer,
            "note.publish",
            "background_note",
            body.version,
            details={"version": body.version},
        )
        event = await record_event(
            conn,
            space.id,
            "note.published",
            public=public,
            moderators=audited(public, entry),
        )
    await services.publish(event)
    return resource, event


@dataclass(frozen=True, slots=True)
class SavedNote:
    """A version of the note with its citations and the cited comments as they are now."""

    note: NoteRow
    version: VersionRow
    citations: list[CitationRow]
    sources: dict[int, SourceRow]


async def read_saved_note(pool: Pool, space_id: int, version: int | None = None) -> SavedNote:
    """A version of the space's note, the latest by default, read in one consistent moment."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        note = await synthesis_queries.get_note(conn, space_id)
        if note is None:
            raise errors.BackgroundNoteNotFound()
        row = await synthesis_queries.get_version(conn, space_id, version or note.version)
        if row is None:
            raise errors.BackgroundNoteNotFound()
        citations = await synthesis_queries.list_citations(conn, space_id, row.version)
        sources = await synthesis_queries.list_sources(
            conn, space_id, sorted({c.comment_id for c in citations})
        )
    return SavedNote(note, row, citations, sources)
