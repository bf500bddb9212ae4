"""Themes endpoints: a question's themes for its moderators, regrouping, renaming and merging
themes, the terms kept off screens (read and replaced), and a comment's similar comments in any
language."""

from starlette.requests import Request

from server import errors
from server.access.admission import ANYONE, MODERATOR
from server.actions import comments as comment_actions
from server.actions import themes as theme_actions
from server.api.declaring import ApiModule
from server.api.routing import admission, path_id, path_slug, services, viewer
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


api = ApiModule(tag="themes", auth=MODERATOR)


@api.get("/questions/{id:int}/themes", raises=QUESTION_STEWARD_ERRORS)
async def get_themes(request: Request, _: None) -> QuestionThemes:
    """A question's themes, with their labels and counts, and how stable the last regrouping was"""
    return await theme_actions.read_question_themes(services(request).pool, request.path_params["id"])


@api.post(
    "/questions/{id:int}/themes/regroup",
    raises=(*QUESTION_STEWARD_ERRORS, errors.TooFewToGroup, errors.ThemesUnavailable),
)
async def regroup(request: Request, _: None) -> QuestionThemes:
    """Group a question's published comments into themes afresh (in the worker process)"""
    return await theme_actions.regroup_question(
        services(request), await viewer(request), request.path_params["id"]
    )


@api.patch(
    "/questions/{id:int}/themes/{theme_id:int}", raises=(*QUESTION_STEWARD_ERRORS, errors.ThemeNotFound)
)
async def rename(request: Request, body: ThemeRename) -> QuestionThemes:
    """Rename a theme (the name survives regrouping); null goes back to its terms"""
    theme_id = path_id(request, "theme_id", errors.ThemeNotFound)
    return await theme_actions.rename_theme(
        services(request), await viewer(request), request.path_params["id"], theme_id, body.name
    )


@api.post(
    "/questions/{id:int}/themes/{theme_id:int}/merge", raises=(*QUESTION_STEWARD_ERRORS, errors.ThemeNotFound)
)
async def merge(request: Request, body: ThemeMerge) -> QuestionThemes:
    """Merge a theme into another theme of the same question"""
    theme_id = path_id(request, "theme_id", errors.ThemeNotFound)
    return await theme_actions.merge_themes(
        services(request), await viewer(request), request.path_params["id"], theme_id, body.into_id
    )


@api.post(
    "/questions/{id:int}/themes/{theme_id:int}/split",
    raises=(
        *QUESTION_STEWARD_ERRORS,
        errors.ThemeNotFound,
        errors.TooFewToGroup,
        errors.ThemesUnavailable,
    ),
)
async def split(request: Request, _: None) -> QuestionThemes:
    """Split a theme in two (in the worker process); the halves are unnamed"""
    theme_id = path_id(request, "theme_id", errors.ThemeNotFound)
    return await theme_actions.split_theme(
        services(request), await viewer(request), request.path_params["id"], theme_id
    )


@api.get("/spaces/{slug}/themes/excluded-terms", raises=(errors.SpaceNotFound, errors.NotModerator))
async def get_excluded_terms(request: Request, _: None) -> ExcludedTermsView:
    """The terms kept off the screens' theme cloud"""
    space = admission(request).moderated_space
    return ExcludedTermsView(terms=await theme_queries.list_excluded_terms(services(request).pool, space.id))


@api.put("/spaces/{slug}/themes/excluded-terms", raises=(errors.SpaceNotFound, errors.NotModerator))
async def exclude_terms(request: Request, body: ExcludedTerms) -> ExcludedTermsView:
    """Replace the terms kept off the screens' theme cloud"""
    kept = await theme_actions.set_excluded_terms(
        services(request), await viewer(request), path_slug(request), body.terms
    )
    return ExcludedTermsView(terms=kept)


@api.get(
    "/comments/{id:int}/similar",
    auth=ANYONE,
    raises=(errors.CommentNotFound, errors.SpaceNotFound, errors.NotEmbeddedYet),
)
async def similar(request: Request, _: None) -> SimilarComments:
    """Comments of the same question closest in meaning, in any language"""
    svc = services(request)
    who = await viewer(request)
    source = await comment_actions.visible_comment(svc, who, path_id(request, "id", errors.CommentNotFound))
    found, moderator = await theme_actions.similar_comments(svc, who, source)
    # Moderators read withheld text for review; the others are given published comments only.
    return SimilarComments(
        items=[
            SimilarComment(comment=comment(row, reveal=moderator), similarity=score) for row, score in found
        ]
    )


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
