"""Every operation in the OpenAPI document refuses whoever its access excludes.

The table below is the specification, written independently of the routes'
declarations: a route added without its entry, or declared with another access
(or none, which is open to anyone), fails here. Each operation is then called
with a valid body, anonymously and as a plain participant, so what refuses is
access, not validation.
"""

from typing import Any

import httpx

from server.access.admission import Level
from server.app import API_PREFIX, build_api
from tests.helpers import Api, assert_error
from tests.test_api_contract import (
    VALID_BODIES,
    body_schema_name,
    document,
    fill,
    fixtures_for_sweep,
    operations,
)

# Who may call each operation (README's API table), by method and path under the prefix.
ACCESS: dict[tuple[str, str], Level] = {
    **dict.fromkeys(
        [
            ("POST", "/auth/register"),
            ("POST", "/auth/login"),
            ("POST", "/auth/logout"),
            ("GET", "/auth/session"),
            ("GET", "/users/{handle}"),
            ("GET", "/spaces"),
            ("GET", "/spaces/{slug}"),
            ("GET", "/spaces/{slug}/questions"),
            ("GET", "/questions/{id}"),
            ("GET", "/questions/{id}/comments"),
            ("GET", "/comments/{id}"),
            ("GET", "/spaces/{slug}/spotlight"),
            ("GET", "/spaces/{slug}/events"),
            ("GET", "/spaces/{slug}/announcements"),
            ("GET", "/spaces/{slug}/statistics"),
            ("GET", "/spaces/{slug}/search"),
            ("GET", "/spaces/{slug}/note/published"),
            ("GET", "/spaces/{slug}/note/cited"),
            ("GET", "/comments/{id}/similar"),
            ("POST", "/invitations/preview"),
        ],
        Level.ANYONE,
    ),
    **dict.fromkeys(
        [
            ("GET", "/me"),
            ("PATCH", "/me"),
            ("POST", "/auth/logout-all"),
            ("POST", "/spaces/{slug}/questions"),
            ("POST", "/questions/{id}/comments"),
            ("POST", "/comments/{id}/support"),
            ("DELETE", "/comments/{id}/support"),
            ("POST", "/render"),
            ("POST", "/comments/{id}/flags"),
            ("POST", "/questions/{id}/flags"),
            ("POST", "/invitations/accept"),
        ],
        Level.USER,
    ),
    **dict.fromkeys(
        [
            ("PATCH", "/questions/{id}"),
            ("DELETE", "/questions/{id}"),
            ("PATCH", "/comments/{id}"),
            ("DELETE", "/comments/{id}"),
            ("GET", "/comments/{id}/revisions"),
        ],
        Level.AUTHOR,
    ),
    **dict.fromkeys(
        [
            ("GET", "/users"),
            ("PATCH", "/spaces/{slug}"),
            ("POST", "/spaces/{slug}/participants"),
            ("DELETE", "/spaces/{slug}/participants/{user_id}"),
            ("POST", "/comments/{id}/decisions"),
            ("POST", "/questions/{id}/decisions"),
            ("PATCH", "/comments/{id}/moderation"),
            ("POST", "/comments/{id}/claim"),
            ("DELETE", "/comments/{id}/claim"),
            ("GET", "/spaces/{slug}/queue"),
            ("GET", "/spaces/{slug}/held-participants"),
            ("PUT", "/spaces/{slug}/held-participants/{user_id}"),
            ("DELETE", "/spaces/{slug}/held-participants/{user_id}"),
            ("PUT", "/spaces/{slug}/spotlight"),
            ("DELETE", "/spaces/{slug}/spotlight"),
            ("POST", "/spaces/{slug}/spotlight/next"),
            ("PUT", "/spaces/{slug}/spotlight/next"),
            ("DELETE", "/spaces/{slug}/spotlight/next/{id}"),
            ("POST", "/spaces/{slug}/spotlight/advance"),
            ("POST", "/spaces/{slug}/lock"),
            ("DELETE", "/spaces/{slug}/lock"),
            ("PUT", "/spaces/{slug}/slow-mode"),
            ("PUT", "/questions/{id}/slow-mode"),
            ("POST", "/spaces/{slug}/announcements"),
            ("DELETE", "/spaces/{slug}/announcements/{id}"),
            ("GET", "/spaces/{slug}/restrictions"),
            ("POST", "/spaces/{slug}/restrictions"),
            ("DELETE", "/spaces/{slug}/restrictions/{user_id}"),
            ("GET", "/spaces/{slug}/invitations"),
            ("POST", "/spaces/{slug}/invitations"),
            ("DELETE", "/spaces/{slug}/invitations/{id}"),
            ("GET", "/spaces/{slug}/notes"),
            ("POST", "/spaces/{slug}/notes"),
            ("DELETE", "/spaces/{slug}/notes/{id}"),
            ("GET", "/spaces/{slug}/screens"),
            ("POST", "/spaces/{slug}/screens"),
            ("DELETE", "/spaces/{slug}/screens/{id}"),
            ("GET", "/spaces/{slug}/audit"),
            ("GET", "/spaces/{slug}/note"),
            ("PUT", "/spaces/{slug}/note"),
            ("GET", "/spaces/{slug}/note/versions"),
            ("GET", "/spaces/{slug}/note/diff"),
            ("GET", "/spaces/{slug}/note/coverage"),
            ("GET", "/spaces/{slug}/note/draft"),
            ("GET", "/spaces/{slug}/note/export"),
            ("POST", "/spaces/{slug}/note/publish"),
            ("GET", "/questions/{id}/themes"),
            ("POST", "/questions/{id}/themes/regroup"),
            ("PATCH", "/questions/{id}/themes/{theme_id}"),
            ("POST", "/questions/{id}/themes/{theme_id}/merge"),
            ("POST", "/questions/{id}/themes/{theme_id}/split"),
            ("GET", "/spaces/{slug}/themes/excluded-terms"),
            ("PUT", "/spaces/{slug}/themes/excluded-terms"),
        ],
        Level.MODERATOR,
    ),
    **dict.fromkeys(
        [
            ("POST", "/spaces"),
            ("POST", "/spaces/{slug}/moderators"),
            ("DELETE", "/spaces/{slug}/moderators/{user_id}"),
            ("POST", "/users/{user_id}/suspension"),
            ("DELETE", "/users/{user_id}/suspension"),
            ("GET", "/audit"),
        ],
        Level.ADMIN,
    ),
}
OPENAPI_DOCUMENT = ("GET", "/openapi.json")
# Operations that end the caller's sessions.
SESSION_ENDING = frozenset({("POST", "/auth/logout-all")})

# A value for each required query parameter, so that the query is valid too.
VALID_QUERY_VALUES = {"q": "sample"}


def test_every_route_declares_exactly_the_access_the_table_gives_it() -> None:
    declared = {
        (op.method, op.openapi_path.removeprefix(API_PREFIX)): op.auth.level for op in build_api().operations
    }
    assert declared == ACCESS


async def test_every_operation_refuses_anonymous_callers_and_participants_its_access_excludes(
    api: Api,
) -> None:
    _admin, real = await fixtures_for_sweep(api)
    participant = await api.register("Plain Participant")
    walked: set[tuple[str, str]] = set()
    for path, method, operation in operations(await document(api)):
        key = (method, path.removeprefix(API_PREFIX))
        if key == OPENAPI_DOCUMENT:
            continue
        level = ACCESS[key]
        walked.add(key)
        if level is Level.ANYONE:
            continue  # nobody to refuse; its readers are covered by the resources' own tests
        request: dict[str, Any] = {}
        if (name := body_schema_name(operation)) is not None:
            request["json"] = VALID_BODIES[name]
        required = [p["name"] for p in operation["parameters"] if p["in"] == "query" and p["required"]]
        request["params"] = {name: VALID_QUERY_VALUES[name] for name in required}
        url = fill(path, real)
        anonymous = await api.http.request(method, url, **request)
        assert_error(anonymous, 401, "not_authenticated")
        # Ending every session would sign the participant out of the rest of the
        # walk: a participant of its own proves it admits users.
        caller = await api.register("Leaving Participant") if key in SESSION_ENDING else participant
        as_participant = await api.http.request(method, url, headers=caller.headers, **request)
        if level in (Level.MODERATOR, Level.ADMIN):
            assert_refused(as_participant, key)
        else:
            assert as_participant.status_code not in (401, 500), (key, as_participant.text)
    assert walked == set(ACCESS), "an operation in the table is missing from the document"


def assert_refused(response: httpx.Response, key: tuple[str, str]) -> None:
    assert response.status_code == 403, (key, response.text)
    assert response.json()["error"]["code"] in ("forbidden", "not_moderator"), (key, response.text)
