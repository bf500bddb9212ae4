"""Themes: placing newly embedded comments, regrouping a question, and the moderators'
renames, merges and terms kept off screens.

Each change commits one `theme.updated` event with the question's themes, for moderators
only; screens learn of it through their statistics (theme counts and cloud), which follow
every event. Neither ever carries a vector or a comment's text.
"""

from typing import Any

from server import errors
from server.access import roles
from server.access.identity import Viewer
from server.actions.audit import audited, record_audit
from server.events import Event, record_event
from server.insight.placement import centring_from, place_vectors
from server.insight.worker import InsightWorker
from server.queries import Executor
from server.queries import comments as comment_queries
from server.queries import questions as question_queries
from server.queries import themes as theme_queries
from server.queries.comments import CommentRow
from server.running.services import Services
from server.schemas.audit import AuditEntry
from server.schemas.themes import QuestionThemes, question_themes

# A question is regrouped by itself once this many published comments wait unplaced and they
# are at least this share of its placed ones: a handful of off-topic remarks is no reason to
# reshuffle every theme, a fifth of the question being new is.
REGROUP_MIN_UNPLACED = 8
REGROUP_UNPLACED_SHARE = 0.2
# Similar comments returned at most: a list a moderator reads, not a ranking of everything.
SIMILAR_LIMIT = 10


async def read_question_themes(db: Executor, question_id: int) -> QuestionThemes:
    themes = await theme_queries.list_themes(db, question_id)
    grouping = await theme_queries.get_grouping(db, question_id)
    unplaced = await theme_queries.count_unplaced(db, question_id)
    return question_themes(question_id, themes, grouping, unplaced)


async def _themes_event(
    db: Executor, space_id: int, question_id: int, audit: AuditEntry | None = None
) -> Event:
    data: dict[str, Any] = {"themes": (await read_question_themes(db, question_id)).model_dump(mode="json")}
    if audit is not None:
        data = audited(data, audit)
    return await record_event(db, space_id, "theme.updated", public=None, moderators=data)


async def place_new_comments(services: Services, question_id: int) -> bool:
    """Place the question's embedded, published, unplaced comments; True when enough wait
    unplaced that the question should be regrouped."""
    async with services.pool.acquire() as conn, conn.transaction():
        question = await question_queries.get_question(conn, question_id)
        if question is None:
            return False
        grouping = await theme_queries.get_grouping(conn, question_id, lock=True)
        waiting = await theme_queries.list_unplaced(conn, question_id)
        if not waiting:
            return False
        centres = await theme_queries.list_centres(conn, question_id) if grouping else []
        placed = (
            place_vectors(
                centring_from(grouping.language_means, grouping.overall_mean),
                [c.centre for c in centres],
                [w.lang for w in waiting],
                [w.vector for w in waiting],
            )
            if grouping is not None
            else [(None, 0.0)] * len(waiting)
        )
        await theme_queries.insert_members(
            conn,
            question_id,
            [
                (w.comment_id, None if index is None else centres[index].id, similarity)
                for w, (index, similarity) in zip(waiting, placed, strict=True)
            ],
        )
        event = await _themes_event(conn, question.space_id, question_id)
        unplaced = await theme_queries.count_unplaced(conn, question_id)
        grouped = grouping.comments if grouping else 0
    await services.publish(event)
    return unplaced >= REGROUP_MIN_UNPLACED and unplaced >= REGROUP_UNPLACED_SHARE * grouped


def _carried_names(
    old_names: dict[int, str], old_members: dict[int, int], new_members: list[tuple[int, ...]]
) -> dict[int, str]:
    """Index of a new theme to the moderator's name of the old theme it succeeds: the new
    theme holding most of the old one's comments (a name goes to one successor only)."""
    carried: dict[int, str] = {}
    for old_id, name in sorted(old_names.items()):
        members = {c for c, t in old_members.items() if t == old_id}
        overlaps = [len(members.intersection(ids)) for ids in new_members]
        if not overlaps or max(overlaps) == 0:
            continue
        best = overlaps.index(max(overlaps))
        carried.setdefault(best, name)
    return carried


async def regroup_question(services: Services, viewer: Viewer | None, question_id: int) -> QuestionThemes:
    """Group the question's published comments afresh in the worker process, then replace its
    themes and memberships in one transaction; moderators' names follow their successors."""
    async with services.pool.acquire() as conn:
        question = await question_queries.get_question(conn, question_id)
        if question is None:
            raise errors.QuestionNotFound()
        worker = _worker(services)
        previous = await theme_queries.list_memberships(conn, question_id)
    # The worker reads the vectors itself: decoding and pickling them here would stall the loop.
    result = await worker.group(services.database_url, question_id, previous)
    if result is None:
        raise errors.TooFewToGroup()
    async with services.pool.acquire() as conn, conn.transaction():
        await theme_queries.get_grouping(conn, question_id, lock=True)
        old_themes = await theme_queries.list_themes(conn, question_id)
        old_members = await theme_queries.list_memberships(conn, question_id)
        names = _carried_names(
            {t.id: t.name for t in old_themes if t.name}, old_members, [t.comment_ids for t in result.themes]
        )
        await theme_queries.delete_themes(conn, question_id)
        members: list[tuple[int, int | None, float]] = []
        for index, theme in enumerate(result.themes):
            theme_id = await theme_queries.insert_theme(
                conn,
                question_id,
                question.space_id,
                name=names.get(index),
                terms=theme.terms,
                representative_id=theme.representative_id,
                centre=theme.centre,
            )
            members.extend((comment_id, theme_id, 1.0) for comment_id in theme.comment_ids)
        await theme_queries.insert_members(conn, question_id, members)
        await theme_queries.upsert_grouping(
            conn,
            question_id,
            question.space_id,
            stability=result.stability,
            comments=result.comments,
            language_means=result.language_means,
            overall_mean=result.overall_mean,
        )
        audit = None
        if viewer is not None:
            audit = await record_audit(
                conn,
                question.space_id,
                viewer,
                "themes.regroup",
                "question",
                question_id,
                details={
                    "themes": len(result.themes),
                    "comments": result.comments,
                    "stability": result.stability,
                },
            )
        event = await _themes_event(conn, question.space_id, question_id, audit)
        themes = await read_question_themes(conn, question_id)
    await services.publish(event)
    return themes


def _worker(services: Services) -> InsightWorker:
    if services.insight_worker is None:
        raise errors.ThemesUnavailable()
    return services.insight_worker


async def _locked_theme(db: Executor, question_id: int, theme_id: int) -> theme_queries.ThemeRow:
    theme = await theme_queries.get_theme(db, theme_id, lock=True)
    if theme is None or theme.question_id != question_id:
        raise errors.ThemeNotFound()
    return theme


async def rename_theme(
    services: Services, viewer: Viewer, question_id: int, theme_id: int, name: str | None
) -> QuestionThemes:
    async with services.pool.acquire() as conn, conn.transaction():
        theme = await _locked_theme(conn, question_id, theme_id)
        await theme_queries.rename_theme(conn, theme.id, name or None)
        audit = await record_audit(
            conn,
            theme.space_id,
            viewer,
            "theme.rename",
            "theme",
            theme.id,
            details={"from": theme.name, "to": name or None},
        )
        event = await _themes_event(conn, theme.space_id, question_id, audit)
        themes = await read_question_themes(conn, question_id)
    await services.publish(event)
    return themes


async def merge_themes(
    services: Services, viewer: Viewer, question_id: int, theme_id: int, into_id: int
) -> QuestionThemes:
    """Move a theme's comments into another of the same question; the emptied theme goes.

    The merged theme keeps the centre it had: a regrouping, not the merge, moves centres.
    """
    async with services.pool.acquire() as conn, conn.transaction():
        await theme_queries.get_grouping(conn, question_id, lock=True)
        theme = await _locked_theme(conn, question_id, theme_id)
        into = await _locked_theme(conn, question_id, into_id)
        if theme.id == into.id:
            raise errors.InvalidBody("A theme cannot be merged into itself.")
        await theme_queries.merge_themes(conn, into.id, theme.id)
        audit = await record_audit(
            conn, theme.space_id, viewer, "theme.merge", "theme", into.id, details={"merged": theme.id}
        )
        event = await _themes_event(conn, theme.space_id, question_id, audit)
        themes = await read_question_themes(conn, question_id)
    await services.publish(event)
    return themes


async def split_theme(services: Services, viewer: Viewer, question_id: int, theme_id: int) -> QuestionThemes:
    """Split a theme in two (in the worker process); the halves are unnamed until renamed."""
    async with services.pool.acquire() as conn:
        theme = await theme_queries.get_theme(conn, theme_id)
        grouping = await theme_queries.get_grouping(conn, question_id)
        if theme is None or theme.question_id != question_id or grouping is None:
            raise errors.ThemeNotFound()
        worker = _worker(services)
    halves = await worker.split(
        services.database_url, question_id, theme_id, grouping.language_means, grouping.overall_mean
    )
    if halves is None:
        raise errors.TooFewToGroup("This theme's comments do not fall into two groups.")
    async with services.pool.acquire() as conn, conn.transaction():
        await theme_queries.get_grouping(conn, question_id, lock=True)
        theme = await _locked_theme(conn, question_id, theme_id)  # a regrouping may have replaced it
        new_ids = []
        for half in halves:
            new_id = await theme_queries.insert_theme(
                conn,
                question_id,
                theme.space_id,
                name=None,
                terms=half.terms,
                representative_id=half.representative_id,
                centre=half.centre,
            )
            await theme_queries.move_members(conn, theme.id, new_id, list(half.comment_ids))
            new_ids.append(new_id)
        await theme_queries.delete_theme(conn, theme.id)
        audit = await record_audit(
            conn, theme.space_id, viewer, "theme.split", "theme", theme.id, details={"into": new_ids}
        )
        event = await _themes_event(conn, theme.space_id, question_id, audit)
        themes = await read_question_themes(conn, question_id)
    await services.publish(event)
    return themes


async def set_excluded_terms(services: Services, viewer: Viewer, slug: str, terms: list[str]) -> list[str]:
    """Replace the space's terms kept off screens' theme clouds."""
    async with services.pool.acquire() as conn, conn.transaction():
        space = await roles.locked_moderated_space(conn, viewer, slug)
        kept = sorted(set(terms))
        await theme_queries.replace_excluded_terms(conn, space.id, kept)
        audit = await record_audit(
            conn, space.id, viewer, "themes.exclude_terms", "space", space.id, details={"terms": kept}
        )
        event = await record_event(
            conn, space.id, "theme.updated", public=None, moderators=audited({"excluded_terms": kept}, audit)
        )
    await services.publish(event)
    return kept


async def similar_comments(
    services: Services, viewer: Viewer, comment: CommentRow
) -> tuple[list[tuple[CommentRow, float]], bool]:
    """The question's comments closest in meaning to `comment`, in any language, and whether
    the viewer moderates: published ones for everyone, pending and hidden ones too for the
    space's moderators."""
    pool = services.pool
    _, role = await roles.visible_space_by_id(pool, viewer, comment.space_id)
    moderator = roles.is_steward(role)
    if comment.status != "published" and not moderator and comment.author_id != viewer.user_id:
        raise errors.CommentNotFound()
    vector = await theme_queries.get_vector(pool, comment.id)
    if vector is None:
        raise errors.NotEmbeddedYet()
    found = []
    for similar in await theme_queries.list_similar(
        pool, comment.id, vector, comment.question_id, include_withheld=moderator, limit=SIMILAR_LIMIT
    ):
        row = await comment_queries.get_comment(pool, similar.comment_id, viewer.user_id)
        if row is not None:
            found.append((row, similar.similarity))
    return found, moderator
