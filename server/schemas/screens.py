"""Screens on a wall: their read-only tokens, and the spotlight they show
(what is on screen now and what comes next)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from server.queries import Executor
from server.queries import comments as comment_queries
from server.queries import questions as question_queries
from server.queries import spotlight as spotlight_queries
from server.queries.screens import ScreenRow
from server.queries.spotlight import SpotlightRow
from server.schemas.comments import Comment, comment
from server.schemas.common import NAME_MAX_CHARS, Body, EventSeq, Id, NonBlank, Resource, from_row
from server.schemas.questions import Question, question

# A screen's "next" list is a short running order, not a second queue.
SPOTLIGHT_NEXT_MAX = 10


class ScreenCreate(Body):
    name: Annotated[str, NonBlank, StringConstraints(max_length=NAME_MAX_CHARS)] = Field(
        description="Which display it is, e.g. `Plenary hall, left wall`."
    )


class Screen(Resource):
    id: int
    space: str
    name: str
    created_by: int | None
    created_at: datetime
    revoked_at: datetime | None


class ScreenCreated(Screen):
    token: str = Field(
        description="Shown once. Connect with `/ws?screen_token=…`, `Authorization: Screen …`, "
        "or `GET /api/v1/spaces/{slug}/events?screen_token=…`."
    )
    event_seq: int


class ScreenWrite(Screen):
    event_seq: EventSeq


class ScreenList(Resource):
    items: list[Screen]


def screen(row: ScreenRow, slug: str) -> Screen:
    return from_row(Screen, row, space=slug)


# ---- The spotlight ----------------------------------------------------------------------------


class SpotlightTarget(Body):
    """Exactly one of comment_id and question_id."""

    comment_id: Id | None = None
    question_id: Id | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "SpotlightTarget":
        if (self.comment_id is None) == (self.question_id is None):
            raise ValueError("give exactly one of comment_id and question_id")
        return self


class SpotlightEnqueue(SpotlightTarget):
    position: Annotated[int, Field(ge=1, le=SPOTLIGHT_NEXT_MAX)] | None = Field(
        default=None, description="1 = next; default: last."
    )


class SpotlightOrder(Body):
    item_ids: Annotated[list[Id], Field(max_length=SPOTLIGHT_NEXT_MAX)] = Field(
        description="The ids of the queued items, in their new order: all of them, each once."
    )


class SpotlightItem(Resource):
    id: int
    kind: Literal["comment", "question"]
    comment: Comment | None = Field(description="The comment as the public sees it, for kind comment.")
    question: Question | None = Field(description="For kind question.")
    added_at: datetime


class Spotlight(Resource):
    now: SpotlightItem | None = Field(description="On screens now; null for none.")
    next: list[SpotlightItem] = Field(description="What comes next, in order (at most 10).")


class SpotlightWrite(Spotlight):
    event_seq: int | None = Field(description="Seq of the event this write produced; null if none.")


async def _spotlight_item(db: Executor, row: SpotlightRow) -> SpotlightItem:
    # Only published comments are ever spotlighted, so the public form is the one shown.
    if row.comment_id is not None:
        comment_row = await comment_queries.get_comment(db, row.comment_id, None)
        assert comment_row is not None
        return SpotlightItem(
            id=row.id,
            kind="comment",
            comment=comment(comment_row, personal=False),
            question=None,
            added_at=row.added_at,
        )
    assert row.question_id is not None
    question_row = await question_queries.get_question(db, row.question_id)
    assert question_row is not None
    return SpotlightItem(
        id=row.id, kind="question", comment=None, question=question(question_row), added_at=row.added_at
    )


async def read_spotlight(db: Executor, space_id: int) -> Spotlight:
    """The space's spotlight as screens see it; read by the snapshot, the API and its actions."""
    rows = await spotlight_queries.list_items(db, space_id)
    items = [await _spotlight_item(db, row) for row in rows]
    now = items[0] if rows and rows[0].position == 0 else None
    return Spotlight(now=now, next=[item for item, row in zip(items, rows, strict=True) if row.position > 0])
