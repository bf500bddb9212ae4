"""Themes of a question, the screens' theme cloud, similar comments, and the moderators'
requests that rename and merge themes and keep terms off screens."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from server.queries.themes import GroupingRow, ThemeRow
from server.schemas.comments import Comment
from server.schemas.common import Id, Resource

THEME_NAME_MAX_CHARS = 80
EXCLUDED_TERM_MAX_CHARS = 60
# A screen shows a cloud of a few dozen words; a longer stop list is not a moderator's job.
EXCLUDED_TERMS_MAX = 200


class Term(Resource):
    phrase: str = Field(description="The concept as shown: one term, whichever language said it best.")
    lang: str
    variants: list[str] = Field(description="The same concept in other words or languages.")


class ThemeView(Resource):
    id: int
    question_id: int
    name: str | None = Field(description="A moderator's name for it; kept across regroupings.")
    label: str = Field(description="The name, else its terms joined: what a screen shows.")
    terms: list[Term]
    representative_id: int | None = Field(description="The comment nearest the theme's centre.")
    comments: int = Field(description="Published comments in it.")
    comment_ids: list[int] = Field(
        description="Those published comments' ids, most central first (what a note may cite of it)."
    )


class QuestionThemes(Resource):
    question_id: int
    themes: list[ThemeView]
    unplaced: int = Field(description="Published comments far from every theme, until the next regrouping.")
    stability: float | None = Field(
        description="Adjusted Rand index against the previous grouping (1: the same themes); null at first."
    )
    grouped_at: datetime | None


class SimilarComment(Resource):
    comment: Comment
    similarity: float = Field(description="Cosine similarity of the two comments' sentence vectors.")


class SimilarComments(Resource):
    items: list[SimilarComment] = Field(description="Most similar first; the same idea in any language.")


class ThemeRename(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=THEME_NAME_MAX_CHARS)] | None = (
        Field(description="Null or empty to go back to the label's terms.")
    )


class ThemeMerge(BaseModel):
    model_config = ConfigDict(extra="forbid")
    into_id: Id = Field(description="The theme of the same question that takes this one's comments.")


ExcludedTerm = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=EXCLUDED_TERM_MAX_CHARS),
]


class ExcludedTerms(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terms: list[ExcludedTerm] = Field(max_length=EXCLUDED_TERMS_MAX)


class ExcludedTermsView(Resource):
    terms: list[str]


def theme_view(row: ThemeRow) -> ThemeView:
    terms = [
        Term(phrase=str(t["phrase"]), lang=str(t["lang"]), variants=list(t["variants"])) for t in row.terms
    ]
    label = row.name or ", ".join(term.phrase for term in terms)
    return ThemeView(
        id=row.id,
        question_id=row.question_id,
        name=row.name,
        label=label,
        terms=terms,
        representative_id=row.representative_id,
        comments=row.comments,
        comment_ids=row.comment_ids,
    )


def question_themes(
    question_id: int, themes: list[ThemeRow], grouping: GroupingRow | None, unplaced: int
) -> QuestionThemes:
    return QuestionThemes(
        question_id=question_id,
        themes=[theme_view(row) for row in themes],
        unplaced=unplaced,
        stability=grouping.stability if grouping else None,
        grouped_at=grouping.grouped_at if grouping else None,
    )
