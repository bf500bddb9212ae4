"""A space's state as one audience sees it, consistent with one event seq."""

from typing import Any

from server.access import roles
from server.events import Audience
from server.insight.statistics import for_audience
from server.live.channels import Channel
from server.live.statistics import snapshot_statistics
from server.live.tally import NoTally, Tally
from server.queries import controls as control_queries
from server.queries import live as live_queries
from server.queries import questions as question_queries
from server.queries import spaces as space_queries
from server.running.database import Pool
from server.schemas import comments as comment_schemas
from server.schemas import questions as question_schemas
from server.schemas import space_controls as control_schemas
from server.schemas import spaces as space_schemas
from server.schemas.screens import read_spotlight

# A snapshot carries the most recent comments (a live wall, a catching-up
# thread); older ones are a page away through the HTTP API.
SNAPSHOT_COMMENTS = 200


async def read_snapshot(
    pool: Pool,
    space_id: int,
    audience: Audience,
    user_id: int | None = None,
    *,
    statistics_of: Channel | None = None,
    tally: Tally | None = None,
) -> tuple[int, dict[str, Any]]:
    """Return (seq, state): every read sees the same committed moment, that of `seq`.

    Pending comments are in it for moderators, and for their own authors; statistics
    when `statistics_of` (the space's channel) is given: for moderators and screens, who
    then receive them live.
    """
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        space = await space_queries.get_space(conn, space_id)
        assert space is not None
        moderators = (await space_queries.list_moderators(conn, [space.id]))[space.id]
        questions = await question_queries.list_questions(conn, space.id)
        include_pending = audience == "moderators"
        # One more than the snapshot carries says whether there are older ones, without
        # counting them: a snapshot costs the same in a space of any size.
        comments = await live_queries.list_recent_comments(
            conn, space.id, include_pending=include_pending, author_id=user_id, limit=SNAPSHOT_COMMENTS + 1
        )
        complete = len(comments) <= SNAPSHOT_COMMENTS
        comments = comments[-SNAPSHOT_COMMENTS:]
        spotlight = await read_spotlight(conn, space.id)
        announcements = await control_queries.list_active_announcements(conn, space.id)
        statistics = (
            await snapshot_statistics(conn, statistics_of, space.event_seq, tally or NoTally())
            if statistics_of is not None
            else None
        )
    space_view = space_schemas.space(space, moderators, "anonymous", roles.accepting_input(space))
    state = {
        "space": space_view.model_dump(mode="json", exclude={"my_role"}),
        # Participants' questions waiting for a moderator: for moderators and their authors.
        "questions": question_schemas.visible_questions(questions, user_id, include_pending).model_dump(
            mode="json"
        ),
        # Moderators review hidden and rejected comments: they keep the text.
        "comments": [
            comment_schemas.comment(c, personal=False, reveal=include_pending).model_dump(mode="json")
            for c in comments
        ],
        "comments_complete": complete,
        "spotlight": spotlight.model_dump(mode="json"),
        "announcements": [control_schemas.announcement(a).model_dump(mode="json") for a in announcements],
        "statistics": None
        if statistics is None
        else for_audience(statistics, audience == "moderators").model_dump(mode="json"),
    }
    return space.event_seq, state
