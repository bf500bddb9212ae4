"""The background note: moderators write, check, compare, export and publish it;
everyone who may read the space reads the published note and what it cited."""

import asyncio
import difflib

from starlette.responses import Response

from server import errors
from server.access.admission import ANYONE, MODERATOR
from server.actions import synthesis as synthesis_actions
from server.api.call import Call
from server.api.declaring import ApiModule
from server.api.routing import written
from server.exports.docx_note import DOCX_MEDIA_TYPE, note_docx
from server.exports.note_document import build_document, render_markdown
from server.insight.quoting import attribution, read_pseudonyms
from server.queries import questions as question_queries
from server.queries import synthesis as synthesis_queries
from server.queries import themes as theme_queries
from server.schemas.synthesis import (
    CitedContributions,
    Coverage,
    Note,
    NoteDiff,
    NoteDiffQuery,
    NoteDraft,
    NoteDraftQuery,
    NoteExportQuery,
    NotePublish,
    NoteSave,
    NoteVersionList,
    NoteVersionSummary,
    NoteWrite,
    PublishedNote,
    PublishedSource,
)
from server.synthesis.coverage import measure_coverage
from server.synthesis.draft import draft_note
from server.synthesis.draft_wording import DRAFT_LANGUAGES
from server.synthesis.markup import count_words
from server.synthesis.reading import read_note
from server.synthesis.withdrawn import without_withdrawn_quotes

STEWARD_ERRORS = (errors.SpaceNotFound, errors.NotModerator)
NOTE_ERRORS = (*STEWARD_ERRORS, errors.BackgroundNoteNotFound)
CITATION_ERRORS = (
    errors.CitationInvalid,
    errors.CitedCommentNotFound,
    errors.QuoteNotInComment,
    errors.QuoteOutOfOrder,
)


api = ApiModule(tag="synthesis", auth=MODERATOR)


@api.get("/spaces/{slug}/note", raises=NOTE_ERRORS)
async def get_note(call: Call, _: None) -> Note:
    """The background note's latest version, sentence by sentence"""
    space = call.moderated_space
    saved = await synthesis_actions.read_saved_note(call.pool, space.id)
    return read_note(space.slug, saved.note, saved.version, saved.citations, saved.sources)


@api.put("/spaces/{slug}/note", raises=(*STEWARD_ERRORS, errors.NoteConflict, *CITATION_ERRORS))
async def save_note(call: Call, body: NoteSave) -> NoteWrite:
    """Save a new version of the background note (from `base_version`)"""
    note, event = await synthesis_actions.save_note(
        call.services, call.viewer, call.moderated_space.slug, body
    )
    return written(NoteWrite, note, event)


@api.post("/spaces/{slug}/note/publish", raises=NOTE_ERRORS)
async def publish_note(call: Call, body: NotePublish) -> NoteWrite:
    """Publish a version of the note for everyone to read"""
    note, event = await synthesis_actions.publish_note(
        call.services, call.viewer, call.moderated_space.slug, body
    )
    return written(NoteWrite, note, event)


@api.get("/spaces/{slug}/note/versions", raises=STEWARD_ERRORS)
async def list_versions(call: Call, _: None) -> NoteVersionList:
    """Every saved version of the note, newest first"""
    space = call.moderated_space
    rows = await synthesis_queries.list_versions(call.pool, space.id)
    return NoteVersionList(
        items=[
            NoteVersionSummary(
                version=r.version,
                lang=r.lang,
                saved_at=r.saved_at,
                saved_by=r.author_name,
                words=count_words(r.body),
            )
            for r in rows
        ]
    )


@api.get("/spaces/{slug}/note/diff", query=NoteDiffQuery, raises=(*NOTE_ERRORS, errors.InvalidQuery))
async def diff_versions(call: Call, _: None) -> NoteDiff:
    """A unified diff between two versions of the note"""
    space = call.moderated_space
    query = call.query(NoteDiffQuery)
    pool = call.pool
    note = await synthesis_queries.get_note(pool, space.id)
    if note is None:
        raise errors.BackgroundNoteNotFound()
    to_version = query.to_version or note.version
    from_version = query.from_version or max(to_version - 1, 1)
    old = await synthesis_queries.get_version(pool, space.id, from_version)
    new = await synthesis_queries.get_version(pool, space.id, to_version)
    if old is None or new is None:
        raise errors.BackgroundNoteNotFound()
    lines = difflib.unified_diff(
        old.body.splitlines(keepends=True),
        new.body.splitlines(keepends=True),
        fromfile=f"version {old.version}",
        tofile=f"version {new.version}",
    )
    return NoteDiff(from_version=old.version, to_version=new.version, diff="".join(lines))


@api.get("/spaces/{slug}/note/coverage", raises=NOTE_ERRORS)
async def get_coverage(call: Call, _: None) -> Coverage:
    """What the latest version cites of the consultation"""
    space = call.moderated_space
    svc = call.services
    saved = await synthesis_actions.read_saved_note(svc.pool, space.id)
    published = await synthesis_queries.list_published_sources(svc.pool, space.id)
    pseudonyms = await read_pseudonyms(svc.pool, space.id)
    return measure_coverage(
        saved.version.body,
        saved.citations,
        published,
        pseudonyms,
        await theme_queries.list_space_themes(svc.pool, space.id),
        await theme_queries.list_space_memberships(svc.pool, space.id),
        target_words=svc.settings.note_target_words,
        max_participant_share=svc.settings.note_max_participant_share,
    )


@api.get("/spaces/{slug}/note/draft", query=NoteDraftQuery, raises=(*STEWARD_ERRORS, errors.InvalidQuery))
async def get_draft(call: Call, _: None) -> NoteDraft:
    """A generated first draft, per question, every sentence cited, in the note's language"""
    space = call.moderated_space
    asked = call.query(NoteDraftQuery).lang
    first = space.languages[0] if space.languages else "en"
    lang: str = asked or (first if first in DRAFT_LANGUAGES else "en")
    pool = call.pool
    questions = [q for q in await question_queries.list_questions(pool, space.id) if q.kind == "discussion"]
    published = await synthesis_queries.list_published_sources(pool, space.id)
    return NoteDraft(lang=lang, markdown=draft_note(questions, published, lang))


@api.get("/spaces/{slug}/note/export", query=NoteExportQuery, raises=(*NOTE_ERRORS, errors.InvalidQuery))
async def export_note(call: Call, _: None) -> Response:
    """The latest version as Markdown or Word, quotes footnoted"""
    space = call.moderated_space
    query = call.query(NoteExportQuery)
    pool = call.pool
    saved = await synthesis_actions.read_saved_note(pool, space.id)
    pseudonyms = await read_pseudonyms(pool, space.id)
    version = saved.version
    document = build_document(
        space.title, version.lang, version.body, saved.citations, saved.sources, pseudonyms
    )
    name = f"roundtable-note-{space.slug}-v{version.version}"
    if query.format == "docx":
        content = await asyncio.to_thread(note_docx, document)
        return _download(content, DOCX_MEDIA_TYPE, f"{name}.docx")
    return _download(render_markdown(document).encode(), "text/markdown; charset=utf-8", f"{name}.md")


def _download(content: bytes, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    return Response(content, media_type=media_type, headers=headers)


@api.get("/spaces/{slug}/note/published", auth=ANYONE, raises=(errors.SpaceNotFound, errors.NoteNotPublished))
async def get_published(call: Call, _: None) -> PublishedNote:
    """The published background note, with its sources"""
    pool = call.pool
    space, _role = await call.visible_space()
    note = await synthesis_queries.get_note(pool, space.id)
    if note is None or note.published_version is None or note.published_at is None:
        raise errors.NoteNotPublished()
    saved = await synthesis_actions.read_saved_note(pool, space.id, note.published_version)
    version, sources = saved.version, saved.sources
    pseudonyms = await read_pseudonyms(pool, space.id)
    # A comment hidden, rejected or deleted since is not offered as a source, nor quoted.
    withdrawn = {
        c.comment_id
        for c in saved.citations
        if (source := sources.get(c.comment_id)) is None or source.status != "published"
    }
    return PublishedNote(
        space=space.slug,
        version=version.version,
        lang=version.lang,
        markdown=without_withdrawn_quotes(version.body, version.lang, withdrawn),
        published_at=note.published_at,
        sources=[
            PublishedSource(
                comment_id=c.comment_id,
                start=c.span_start,
                end=c.span_end,
                quote=c.quote,
                lang=source.lang,
                attribution=attribution(source, pseudonyms),
            )
            for c in saved.citations
            if c.comment_id not in withdrawn and (source := sources[c.comment_id])
        ],
    )


@api.get("/spaces/{slug}/note/cited", auth=ANYONE, raises=(errors.SpaceNotFound,))
async def get_cited(call: Call, _: None) -> CitedContributions:
    """Comments the published note cites, and which are the caller's"""
    pool = call.pool
    who = call.viewer
    space, _role = await call.visible_space()
    note = await synthesis_queries.get_note(pool, space.id)
    if note is None or note.published_version is None:
        return CitedContributions(version=None, comment_ids=[], mine=[])
    citations = await synthesis_queries.list_citations(pool, space.id, note.published_version)
    cited = sorted({c.comment_id for c in citations})
    sources = await synthesis_queries.list_sources(pool, space.id, cited)
    cited = [i for i in cited if i in sources and sources[i].status == "published"]
    mine = [i for i in cited if who.user_id is not None and sources[i].author_id == who.user_id]
    return CitedContributions(version=note.published_version, comment_ids=cited, mine=mine)


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
