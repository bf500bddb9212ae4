"""The spotlight state as screens see it: what is shown now and what comes next.

Read by the snapshot, the HTTP API and the actions that change it; comments
appear in their public form (only published comments are ever spotlighted).
"""

from server import views
from server.models import Spotlight, SpotlightItem
from server.queries import Executor
from server.queries import comments as comment_queries
from server.queries import questions as question_queries
from server.queries import spotlight as spotlight_queries
from server.queries.spotlight import SpotlightRow


async def _item(db: Executor, row: SpotlightRow) -> SpotlightItem:
    if row.comment_id is not None:
        comment = await comment_queries.get_comment(db, row.comment_id, None)
        assert comment is not None
        return SpotlightItem(
            id=row.id,
            kind="comment",
            comment=views.comment(comment, personal=False),
            question=None,
            added_at=row.added_at,
        )
    assert row.question_id is not None
    question = await question_queries.get_question(db, row.question_id)
    assert question is not None
    return SpotlightItem(
        id=row.id, kind="question", comment=None, question=views.question(question), added_at=row.added_at
    )


async def read_spotlight(db: Executor, space_id: int) -> Spotlight:
    rows = await spotlight_queries.list_items(db, space_id)
    items = [await _item(db, row) for row in rows]
    now = items[0] if rows and rows[0].position == 0 else None
    return Spotlight(now=now, next=[item for item, row in zip(items, rows, strict=True) if row.position > 0])
