"""Themes endpoints: a question's themes for its moderators, regrouping, renaming and merging
themes, the terms kept off screens (read and replaced), and a comment's similar comments in any
language."""

from server import errors
from server.access.admission import ANYONE, MODERATOR
from server.actions import comments as comment_actions
from server.actions import themes as theme_actions
from server.api.call import Call
from server.api.declaring import ApiModule
from server.queries import themes as theme_queries
from server.schemas.comments import comment
from server.schemas.themes import (
    ExcludedTerms,
    ExcludedTermsView,
    QuestionThemes,
    SimilarComment,
    SimilarComments,
    ThemeMerge,
    ThemeRename,
)

QUESTION_STEWARD_ERRORS = (errors.QuestionNotFound, errors.SpaceNotFound, errors.NotModerator)
THEME_ERRORS = (*QUESTION_STEWARD_ERRORS, errors.ThemeNotFound)


api = ApiModule(tag="themes", auth=MODERATOR)


@api.get("/questions/{id:int}/themes", raises=QUESTION_STEWARD_ERRORS)
async def get_themes(call: Call, _: None) -> QuestionThemes:
    """A question's themes, with their labels and counts, and how stable the last regrouping was"""
    return await theme_actions.read_question_themes(call.pool, call.path_id(errors.QuestionNotFound))


@api.post(
    "/questions/{id:int}/themes/regroup",
    raises=(*QUESTION_STEWARD_ERRORS, errors.TooFewToGroup, errors.ThemesUnavailable),
)
async def regroup(call: Call, _: None) -> QuestionThemes:
    """Group a question's published comments into themes afresh (in the worker process)"""
    return await theme_actions.regroup_question(
        call.services, call.viewer, call.path_id(errors.QuestionNotFound)
    )


def _question_and_theme(call: Call) -> tuple[int, int]:
    """The ids of the question and of its theme the path names."""
    return call.path_id(errors.QuestionNotFound), call.path_id(errors.ThemeNotFound, "theme_id")


@api.patch("/questions/{id:int}/themes/{theme_id:int}", raises=THEME_ERRORS)
async def rename(call: Call, body: ThemeRename) -> QuestionThemes:
    """Rename a theme (the name survives regrouping); null goes back to its terms"""
    question_id, theme_id = _question_and_theme(call)
    return await theme_actions.rename_theme(call.services, call.viewer, question_id, theme_id, body.name)


@api.post("/questions/{id:int}/themes/{theme_id:int}/merge", raises=THEME_ERRORS)
async def merge(call: Call, body: ThemeMerge) -> QuestionThemes:
    """Merge a theme into another theme of the same question"""
    question_id, theme_id = _question_and_theme(call)
    return await theme_actions.merge_themes(call.services, call.viewer, question_id, theme_id, body.into_id)


@api.post(
    "/questions/{id:int}/themes/{theme_id:int}/split",
    raises=(*THEME_ERRORS, errors.TooFewToGroup, errors.ThemesUnavailable),
)
async def split(call: Call, _: None) -> QuestionThemes:
    """Split a theme in two (in the worker process); the halves are unnamed"""
    return await theme_actions.split_theme(call.services, call.viewer, *_question_and_theme(call))


@api.get("/spaces/{slug}/themes/excluded-terms", raises=(errors.SpaceNotFound, errors.NotModerator))
async def get_excluded_terms(call: Call, _: None) -> ExcludedTermsView:
    """The terms kept off the screens' theme cloud"""
    space = call.moderated_space
    return ExcludedTermsView(terms=await theme_queries.list_excluded_terms(call.pool, space.id))


@api.put("/spaces/{slug}/themes/excluded-terms", raises=(errors.SpaceNotFound, errors.NotModerator))
async def exclude_terms(call: Call, body: ExcludedTerms) -> ExcludedTermsView:
    """Replace the terms kept off the screens' theme cloud"""
    kept = await theme_actions.set_excluded_terms(call.services, call.viewer, call.slug, body.terms)
    return ExcludedTermsView(terms=kept)


@api.get(
    "/comments/{id:int}/similar",
    auth=ANYONE,
    raises=(errors.CommentNotFound, errors.SpaceNotFound, errors.NotEmbeddedYet),
)
async def similar(call: Call, _: None) -> SimilarComments:
    """Comments of the same question closest in meaning, in any language"""
    svc = call.services
    who = call.viewer
    source = await comment_actions.visible_comment(svc, who, call.path_id(errors.CommentNotFound))
    found, moderator = await theme_actions.similar_comments(svc, who, source)
    # Moderators read withheld text for review; the others are given published comments only.
    return SimilarComments(
        items=[
            SimilarComment(comment=comment(row, reveal=moderator), similarity=score) for row, score in found
        ]
    )


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
