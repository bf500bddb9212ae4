"""What each route declares it requires, and admitting a caller to it.

The router (server/api/routing.py) calls `admit` before it reads the body or runs
the handler, so a route that declares `MODERATOR` cannot be reached by anyone
else even if its handler forgets to check.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any, Literal

from server import errors
from server.access import roles
from server.access.identity import Viewer
from server.queries import Executor
from server.queries import comments as comment_queries
from server.queries import questions as question_queries
from server.queries import spaces as space_queries
from server.queries import users as user_queries
from server.queries.spaces import SpaceRow
from server.schemas.common import MAX_ID, Role


class Level(StrEnum):
    """Who may call a route, from the widest to the narrowest."""

    ANYONE = "anyone"
    USER = "user"
    # A signed-in user; the action then checks they wrote the thing (or moderate its space).
    AUTHOR = "author"
    # The moderators of the space the path names, and admins; with no space in the path,
    # the moderators of any space.
    MODERATOR = "moderator"
    ADMIN = "admin"


@dataclass(frozen=True)
class Access:
    """A route's declared access, and how a signed-in caller without it is refused."""

    level: Level
    refusal: Callable[[], errors.AppError] = errors.Forbidden


ANYONE = Access(Level.ANYONE)
USER = Access(Level.USER)
AUTHOR = Access(Level.AUTHOR)
ADMIN = Access(Level.ADMIN, partial(errors.Forbidden, "Only a site admin may do this."))
MODERATOR = Access(Level.MODERATOR, errors.NotModerator)
# A space's settings and members, and finding users, came before moderation and its
# `not_moderator`; they keep refusing with `forbidden`.
SPACE_MODERATOR = Access(
    Level.MODERATOR, partial(errors.Forbidden, "Only this space's moderators may do this.")
)
ANY_MODERATOR = Access(
    Level.MODERATOR, partial(errors.Forbidden, "Only moderators and admins may search users.")
)


# The part of a route's path that names its space: a slug, or a question's or comment's id.
SpaceInPath = Literal["slug", "question", "comment"]


@dataclass(frozen=True)
class Admission:
    """The caller admitted to a route; `space` and `role` when the route is for a space's moderators."""

    viewer: Viewer
    space: SpaceRow | None = None
    role: Role | None = None

    @property
    def moderated_space(self) -> SpaceRow:
        """The space the path names, which the caller moderates (only on `MODERATOR` routes with one)."""
        assert self.space is not None, "only a MODERATOR route whose path names a space has one"
        return self.space


async def _space_id_by_question(db: Executor, params: Mapping[str, Any]) -> int:
    question_id: int = params["id"]
    question = await question_queries.get_question(db, question_id) if 1 <= question_id <= MAX_ID else None
    if question is None:
        raise errors.QuestionNotFound()
    return question.space_id


async def _space_id_by_comment(db: Executor, params: Mapping[str, Any]) -> int:
    comment_id: int = params["id"]
    # Any comment, pending or hidden too: moderators act on what others do not see.
    comment = await comment_queries.get_comment(db, comment_id, None) if 1 <= comment_id <= MAX_ID else None
    if comment is None:
        raise errors.CommentNotFound()
    return comment.space_id


async def moderates_space_in_path(
    db: Executor, viewer: Viewer, space_from: SpaceInPath | None, params: Mapping[str, Any]
) -> bool:
    """Whether the viewer moderates the space the path names (false where it names none,
    or nothing that exists: the handler then refuses as it would anyone)."""
    if viewer.user is None or space_from is None:
        return False
    try:
        if space_from == "slug":
            space = await space_queries.get_space_by_slug(db, params["slug"])
            if space is None:
                return False
            space_id = space.id
        elif space_from == "question":
            space_id = await _space_id_by_question(db, params)
        else:
            space_id = await _space_id_by_comment(db, params)
    except (errors.QuestionNotFound, errors.CommentNotFound):
        return False
    return await viewer.moderates(db, space_id)


def space_in_path(path: str) -> SpaceInPath | None:
    """Which part of a route's path names its space: `slug`, `question`, `comment`, or none."""
    if "{slug}" in path:
        return "slug"
    if "/questions/{id:int}" in path:
        return "question"
    if "/comments/{id:int}" in path:
        return "comment"
    return None


async def admit(
    db: Executor, viewer: Viewer, access: Access, space_from: SpaceInPath | None, params: Mapping[str, Any]
) -> Admission:
    """Admit the viewer to a route declaring `access`, or raise how the route refuses them.

    Anonymous callers get 401 for anything but `ANYONE`; a space the viewer may
    not read is not found (404) before its role is asked, as everywhere else.
    """
    if access.level is Level.ANYONE:
        return Admission(viewer)
    if viewer.user is None:
        raise errors.NotAuthenticated()
    if access.level is Level.ADMIN and not viewer.is_admin:
        raise access.refusal()
    if access.level is not Level.MODERATOR:
        return Admission(viewer)
    if space_from is None:
        if viewer.is_admin or await user_queries.list_moderated_slugs(db, viewer.user.id):
            return Admission(viewer)
        raise access.refusal()
    if space_from == "slug":
        space, role = await roles.visible_space(db, viewer, params["slug"])
    elif space_from == "question":
        space, role = await roles.visible_space_by_id(db, viewer, await _space_id_by_question(db, params))
    else:
        space, role = await roles.visible_space_by_id(db, viewer, await _space_id_by_comment(db, params))
    if not roles.is_steward(role):
        raise access.refusal()
    return Admission(viewer, space, role)
