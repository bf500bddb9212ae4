"""The call a handler answers: the caller as the router admitted them, the services, the
parsed query and the path's slug and ids, resolved once before the handler runs."""

from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel
from starlette.requests import Request

from server import errors
from server.access import roles
from server.access.admission import Admission
from server.access.identity import Viewer
from server.queries.spaces import SpaceRow
from server.queries.users import UserRow
from server.running.database import Pool
from server.running.services import Services
from server.schemas.common import MAX_ID, Role

QueryT = TypeVar("QueryT", bound=BaseModel)


@dataclass(frozen=True)
class Call:
    """One request to a route, as its handler sees it:

    async def post_comment(call: Call, body: CommentCreate) -> CommentWrite:
        question_id = call.path_id(errors.QuestionNotFound)
        row, event = await comment_actions.post_comment(call.services, call.viewer, question_id, body)
    """

    request: Request
    services: Services
    admission: Admission
    # The route's declared query, parsed before access was checked (None where it declares none).
    parsed_query: BaseModel | None = None

    @property
    def viewer(self) -> Viewer:
        return self.admission.viewer

    @property
    def pool(self) -> Pool:
        return self.services.pool

    @property
    def user(self) -> UserRow:
        """The caller's account, on a route the router admits only users to."""
        user = self.viewer.user
        assert user is not None, "only on routes declared for users"
        return user

    @property
    def moderated_space(self) -> SpaceRow:
        """The space the path names, which the caller moderates (on `MODERATOR` routes with one)."""
        return self.admission.moderated_space

    @property
    def slug(self) -> str:
        """The slug of the space the path names."""
        slug: str = self.request.path_params["slug"]
        return slug

    async def visible_space(self) -> tuple[SpaceRow, Role]:
        """The space the path names, if the caller may read it, and their role in it."""
        return await roles.visible_space(self.pool, self.viewer, self.slug)

    def path_id(self, not_found: type[errors.AppError], name: str = "id") -> int:
        """An integer id from the path; one out of the database's range does not exist."""
        value: int = self.request.path_params[name]
        if not 1 <= value <= MAX_ID:
            raise not_found()
        return value

    def query(self, model: type[QueryT]) -> QueryT:
        """The route's declared query parameters, as `model`."""
        assert isinstance(self.parsed_query, model), "only the query model the route declares"
        return self.parsed_query
