"""Themes endpoints: a question's themes for its moderators, regrouping, renaming and
merging themes, the terms kept off screens, and a comment's similar comments in any language."""

from starlette.requests import Request

from server import errors
from server.access.admission import MODERATOR
from server.actions import comments as comment_actions
from server.actions import themes as theme_actions
from server.api.routing import Api, path_id, path_slug, services, viewer
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


def register_routes(api: Api) -> None:
    api.route(
        "GET",
        "/questions/{id:int}/themes",
        summary="A question's themes, with their labels and counts, and how stable the last regrouping was",
        tag="themes",
        response=QuestionThemes,
        auth=MODERATOR,
        raises=QUESTION_STEWARD_ERRORS,
    )(get_themes)
    api.route(
        "POST",
        "/questions/{id:int}/themes/regroup",
        summary="Group a question's published comments into themes afresh (in the worker process)",
        tag="themes",
        response=QuestionThemes,
        auth=MODERATOR,
        raises=(*QUESTION_STEWARD_ERRORS, errors.TooFewToGroup, errors.ThemesUnavailable),
    )(regroup)
    api.route(
        "PATCH",
        "/questions/{id:int}/themes/{theme_id:int}",
        summary="Rename a theme (the name survives regrouping); null goes back to its terms",
        tag="themes",
        body=ThemeRename,
        response=QuestionThemes,
        auth=MODERATOR,
        raises=(*QUESTION_STEWARD_ERRORS, errors.ThemeNotFound),
    )(rename)
    api.route(
        "POST",
        "/questions/{id:int}/themes/{theme_id:int}/merge",
        summary="Merge a theme into another theme of the same question",
        tag="themes",
        body=ThemeMerge,
        response=QuestionThemes,
        auth=MODERATOR,
        raises=(*QUESTION_STEWARD_ERRORS, errors.ThemeNotFound),
    )(merge)
    api.route(
        "POST",
        "/questions/{id:int}/themes/{theme_id:int}/split",
        summary="Split a theme in two (in the worker process); the halves are unnamed",
        tag="themes",
        response=QuestionThemes,
        auth=MODERATOR,
        raises=(
            *QUESTION_STEWARD_ERRORS,
            errors.ThemeNotFound,
            errors.TooFewToGroup,
            errors.ThemesUnavailable,
        ),
    )(split)
    api.route(
        "PUT",
        "/spaces/{slug}/themes/excluded-terms",
        summary="Replace the terms kept off the screens' theme cloud",
        tag="themes",
        body=ExcludedTerms,
        response=ExcludedTermsView,
        auth=MODERATOR,
        raises=(errors.SpaceNotFound, errors.NotModerator),
    )(exclude_terms)
    api.route(
        "GET",
        "/comments/{id:int}/similar",
        summary="Comments of the same question closest in meaning, in any language",
        tag="themes",
        response=SimilarComments,
        raises=(errors.CommentNotFound, errors.SpaceNotFound, errors.NotEmbeddedYet),
    )(similar)


async def get_themes(request: Request, _: None) -> QuestionThemes:
    return await theme_actions.read_question_themes(services(request).pool, request.path_params["id"])


async def regroup(request: Request, _: None) -> QuestionThemes:
    return await theme_actions.regroup_question(
        services(request), await viewer(request), request.path_params["id"]
    )


async def rename(request: Request, body: ThemeRename) -> QuestionThemes:
    theme_id = path_id(request, "theme_id", errors.ThemeNotFound)
    return await theme_actions.rename_theme(
        services(request), await viewer(request), request.path_params["id"], theme_id, body.name
    )


async def merge(request: Request, body: ThemeMerge) -> QuestionThemes:
    theme_id = path_id(request, "theme_id", errors.ThemeNotFound)
    return await theme_actions.merge_themes(
        services(request), await viewer(request), request.path_params["id"], theme_id, body.into_id
    )


async def split(request: Request, _: None) -> QuestionThemes:
    theme_id = path_id(request, "theme_id", errors.ThemeNotFound)
    return await theme_actions.split_theme(
        services(request), await viewer(request), request.path_params["id"], theme_id
    )


async def exclude_terms(request: Request, body: ExcludedTerms) -> ExcludedTermsView:
    kept = await theme_actions.set_excluded_terms(
        services(request), await viewer(request), path_slug(request), body.terms
    )
    return ExcludedTermsView(terms=kept)


async def similar(request: Request, _: None) -> SimilarComments:
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
