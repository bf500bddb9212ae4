"""The API's contract as a whole: the OpenAPI document lists every route, no input
produces a 500, every error has the one shape, and foreign origins change nothing."""

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.routing import BaseRoute, Mount, Route

from server.app import API_PREFIX, build_api
from server.running.settings import Settings
from tests.helpers import PASSWORD, Api, RunningServer, User, assert_error, fetch_rows

ALLOWED_ORIGIN = "https://consult.example.org"
FOREIGN_ORIGIN = "https://evil.example"
HUGE_ID = "99999999999999999999"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# A body each endpoint accepts, so that bad paths reach the handler. An endpoint
# added with a new body model needs an entry here.
VALID_BODIES: dict[str, dict[str, Any]] = {
    "RegisterBody": {"email": "sample@example.org", "password": PASSWORD, "display_name": "Sample"},
    "LoginBody": {"email": "sample@example.org", "password": PASSWORD},
    "ProfilePatch": {"affiliation": "Sample Org"},
    "SpaceCreate": {"slug": "sample", "title": "Sample"},
    "SpacePatch": {"title": "Renamed"},
    "MemberAdd": {"user_id": 1},
    "QuestionCreate": {"title": "Sample question"},
    "QuestionPatch": {"title": "Renamed question"},
    "CommentCreate": {"body": "Sample comment"},
    "CommentPatch": {"body": "Edited comment"},
    # Moderation of comments.
    "DecisionBody": {"action": "pin"},
    "ModeratorEditBody": {"body": "Edited by a moderator"},
    "FlagBody": {"reason": "spam"},
    "HoldBody": {"reason": "spam"},
    "SpotlightTarget": {"question_id": 1},
    "SpotlightEnqueue": {"question_id": 1},
    "SpotlightOrder": {"item_ids": []},
    # Stewarding a space.
    "LockBody": {"reason": "pause"},
    "SlowModeBody": {"seconds": 30, "reason": "volume"},
    "AnnouncementCreate": {"body": "Sample announcement"},
    "RestrictionCreate": {"user_id": 1, "kind": "muted", "reason": "spam"},
    "SuspensionCreate": {"reason": "spam"},
    "InvitationCreate": {"label": "Sample"},
    "InvitationAccept": {"token": "sample-token"},
    "NoteCreate": {"target_type": "user", "target_id": 1, "body": "Sample note"},
    "ScreenCreate": {"name": "Sample screen"},
    "RenderBody": {"body": "A *preview*"},
    "NoteSave": {"markdown": "A sample sentence.", "lang": "en", "base_version": None},
    "NotePublish": {"version": 1},
    # Themes.
    "ThemeRename": {"name": "Aquifers"},
    "ThemeMerge": {"into_id": 1},
    "ExcludedTerms": {"terms": ["water"]},
}

MALFORMED_BODIES: list[tuple[str, bytes]] = [
    ("truncated", b'{"title": "x"'),
    ("single quotes", b"{'title': 'x'}"),
    ("trailing comma", b'{"title": "x",}'),
    ("not UTF-8", b'{"title": "\xff\xfe"}'),
    ("a lone surrogate", b'{"title": "\\ud800"}'),
    ("an infinite number", b'{"title": 1e400}'),
    ("deep nesting", b"[" * 5_000 + b"]" * 5_000),
    ("whitespace", b"   "),
]
WRONG_SHAPES: list[tuple[str, Any]] = [
    ("an array", [1, 2]),
    ("a string", "title"),
    ("null", None),
    ("a number", 99999999999999999999),
    ("an unknown field", {"definitely_not_a_field": 1}),
]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, redis_url=None, allowed_origins=[ALLOWED_ORIGIN])


def assert_error_shape(response: httpx.Response, label: Any) -> None:
    """No 500, and an error (if it is one) has the one shape."""
    assert response.status_code < 500, (label, response.status_code, response.text)
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}, (label, body)
        assert set(body["error"]) == {"code", "message", "details"}, (label, body)
        assert isinstance(body["error"]["code"], str) and body["error"]["code"], (label, body)
        assert isinstance(body["error"]["message"], str) and body["error"]["message"], (label, body)


async def document(api: Api) -> dict[str, Any]:
    response = await api.http.get(f"{API_PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    result: dict[str, Any] = response.json()
    return result


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def body_schema_name(operation: dict[str, Any]) -> str | None:
    body = operation.get("requestBody")
    if body is None:
        return None
    ref: str = body["content"]["application/json"]["schema"]["$ref"]
    return ref.rsplit("/", 1)[-1]


def streams(operation: dict[str, Any]) -> bool:
    """An endpoint answering with an open-ended stream (Server-Sent Events)."""
    return any("text/event-stream" in r.get("content", {}) for r in operation["responses"].values())


def refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref":
                yield item
            else:
                yield from refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from refs(item)


def http_routes(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """Every HTTP route's full path and methods, looking inside mounted routers."""
    for route in routes:
        if isinstance(route, Route):
            yield prefix + route.path, set(route.methods or ())
        elif isinstance(route, Mount) and route.routes:
            yield from http_routes(route.routes, prefix + route.path)


# ---- The document ------------------------------------------------------------------------------


async def test_the_openapi_document_is_3_1_and_lists_every_operation(api: Api) -> None:
    doc = await document(api)
    assert doc["openapi"].startswith("3.1")
    assert doc["info"]["title"] and doc["info"]["version"]
    declared = {(op.openapi_path, op.method) for op in build_api().operations}
    documented = {(path, method) for path, method, _ in operations(doc)}
    assert declared == documented
    ids = [operation["operationId"] for _, _, operation in operations(doc)]
    assert len(ids) == len(set(ids))
    for path, method, operation in operations(doc):
        assert operation["summary"], (method, path)
        for parameter in re.findall(r"\{(\w+)\}", path):
            assert parameter in [p["name"] for p in operation["parameters"] if p["in"] == "path"], (
                method,
                path,
            )
        errors = [r for status, r in operation["responses"].items() if status.startswith("4")]
        assert errors, (method, path)


async def test_every_starlette_route_under_the_api_prefix_is_documented(
    api: Api, server: RunningServer
) -> None:
    doc = await document(api)
    documented = {(path, method) for path, method, _ in operations(doc)}
    routes = [
        (path, methods) for path, methods in http_routes(server.app.routes) if path.startswith(API_PREFIX)
    ]
    assert routes
    for full_path, methods in routes:
        if full_path == f"{API_PREFIX}/openapi.json":
            continue
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", full_path)
        for method in methods - {"HEAD"}:
            assert (path, method) in documented, (method, full_path)


async def test_every_schema_reference_in_the_document_resolves(api: Api) -> None:
    doc = await document(api)
    schemas = doc["components"]["schemas"]
    found = set(refs(doc))
    assert found
    for ref in found:
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[-1] in schemas, ref
    error = schemas["ErrorResponse"]
    assert error["required"] == ["error"]


# ---- Bad input of every kind, to every operation -----------------------------------------------


async def fixtures_for_sweep(api: Api) -> tuple[User, dict[str, str]]:
    admin = await api.admin()
    await api.space("water", allow_participant_questions=True)
    question = await api.question("water")
    sarah = await api.register("Sarah")
    comment = await api.comment(sarah, question["id"])
    real = {"slug": "water", "handle": sarah.handle, "id": str(question["id"]), "user_id": str(sarah.id)}
    real["comment_id"] = str(comment["id"])
    real["theme_id"] = "1"  # no theme exists: access is refused, or the theme not found, first
    return admin, real


def fill(path: str, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "id" and path.startswith(f"{API_PREFIX}/comments/"):
            return values.get("comment_id", values["id"])
        return values[name]

    return re.sub(r"\{(\w+)\}", value, path)


async def test_bad_bodies_to_every_operation_get_4xx_errors_in_the_one_shape(api: Api) -> None:
    admin, real = await fixtures_for_sweep(api)
    doc = await document(api)
    checked = 0
    for path, method, operation in operations(doc):
        name = body_schema_name(operation)
        if name is None:
            continue
        url = fill(path, real)
        properties = doc["components"]["schemas"][name].get("properties", {})
        for headers in ({}, admin.headers):
            sends: list[tuple[str, dict[str, Any]]] = [
                (label, {"content": raw}) for label, raw in MALFORMED_BODIES
            ]
            sends += [(label, {"json": value}) for label, value in WRONG_SHAPES]
            for prop in properties:
                # No field of any body takes an object, so this is the wrong type for each.
                sends.append((f"an object for {prop}", {"json": {prop: {"nested": [1]}}}))
                sends.append((f"a NUL in {prop}", {"json": {prop: "a\u0000b"}}))
            sends.append(("plain text", {"content": b"title=x", "headers": {"Content-Type": "text/plain"}}))
            sends.append(("too large", {"content": b'{"title": "' + b"x" * 600_000 + b'"}'}))
            for label, request in sends:
                request["headers"] = headers | request.get("headers", {})
                response = await api.http.request(method, url, **request)
                api.http.cookies.clear()  # a successful login must not make later requests logged in
                assert_error_shape(response, (method, path, label))
                assert 400 <= response.status_code < 500, (method, path, label, response.text)
                checked += 1
    assert checked > 100


async def test_bad_paths_to_every_operation_never_get_a_500(api: Api) -> None:
    admin, real = await fixtures_for_sweep(api)
    doc = await document(api)
    variants = {
        "huge ids": real | {"id": HUGE_ID, "user_id": HUGE_ID, "comment_id": HUGE_ID, "theme_id": HUGE_ID},
        "unknown": {
            "slug": "nowhere", "handle": "nobody", "id": "987654", "user_id": "987654", "theme_id": "987654"
        },
        "NUL": real | {"slug": "wa%00ter", "handle": "sa%00rah"},
        "odd text": real | {"slug": "%E2%80%AE%F0%9F%92%A7", "handle": "%C3%A9%20x"},
        "real": real,
    }
    # Paths naming something that is not there must not succeed.
    not_there = {"huge ids": r"\{(id|user_id)\}", "unknown": r"\{\w+\}"}
    for path, method, operation in operations(doc):
        name = body_schema_name(operation)
        for label, values in variants.items():
            if streams(operation) and label not in ("unknown", "NUL"):
                continue  # a stream that opens stays open
            if "{" not in path and label != "real":
                continue  # nothing in the path to vary
            for who, headers in (("anonymous", {}), ("admin", admin.headers)):
                if path.endswith(("/auth/logout", "/auth/logout-all")) and who == "admin":
                    continue  # keep the admin's session for the rest of the sweep
                request: dict[str, Any] = {"headers": headers}
                # Required query parameters get a valid value: the path is what varies.
                required = [
                    p["name"] for p in operation["parameters"] if p["in"] == "query" and p["required"]
                ]
                request["params"] = dict.fromkeys(required, "sample")
                if name is not None:
                    assert name in VALID_BODIES, f"add a valid sample body for {name} to VALID_BODIES"
                    request["json"] = VALID_BODIES[name]
                response = await api.http.request(method, fill(path, values), **request)
                api.http.cookies.clear()  # a successful login must not make later requests logged in
                assert_error_shape(response, (method, path, label, who))
                if re.search(not_there.get(label, "^$"), path):
                    assert response.status_code in (401, 403, 404), (method, path, label, who, response.text)
                if who == "anonymous" and label == "real" and "security" in operation:
                    # Logging out without a session is harmless; a query is checked before the caller.
                    allowed = {401} | ({200} if path.endswith("/auth/logout") else set())
                    allowed |= {422} if any(p["in"] == "query" for p in operation["parameters"]) else set()
                    assert response.status_code in allowed, (method, path, response.text)


async def test_bad_query_parameters_to_every_operation_never_get_a_500(api: Api) -> None:
    admin, real = await fixtures_for_sweep(api)
    doc = await document(api)
    checked = 0
    for path, method, operation in operations(doc):
        names = [p["name"] for p in operation["parameters"] if p["in"] == "query"]
        if not names:
            continue
        # A stream that opens stays open: aim streams at a space that is not there.
        url = fill(path, real | {"slug": "nowhere"} if streams(operation) else real)
        for headers in ({}, admin.headers):
            for name in names:
                for value in ("a\u0000b", "", "x" * 5_000, "-1", HUGE_ID, "1.5", "\u202e\U0001f4a7", "null"):
                    response = await api.http.request(method, url, params={name: value}, headers=headers)
                    assert_error_shape(response, (method, path, name, value))
                    checked += 1
            unknown = await api.http.request(method, url, params={"nope": "1"}, headers=headers)
            assert_error(unknown, 422, "invalid_query")
    assert checked > 10


async def test_unknown_routes_get_not_found_in_the_one_shape(api: Api) -> None:
    for path in (
        "/api/v1/nope",
        "/api/v1/spaces/water/nope",
        "/api/v1/questions/abc",
        "/api/v1/questions/-1",
        "/api/v1/comments/1.5",
        "/api/v2/spaces",
        f"/api/v1/questions/{HUGE_ID}/nope",
    ):
        for method in ("GET", "POST"):
            response = await api.http.request(method, path, json={})
            assert_error_shape(response, (method, path))
            assert response.status_code in (404, 405), (method, path)
        assert_error(await api.http.get(path), 404, "not_found")


async def test_a_wrong_method_gets_an_error_in_the_one_shape(api: Api) -> None:
    doc = await document(api)
    for path, methods in doc["paths"].items():
        url = fill(path, {"slug": "water", "handle": "sarah", "id": "1", "user_id": "1", "theme_id": "1"})
        for method in set(METHODS) - {m.upper() for m in methods}:
            response = await api.http.request(method, url)
            assert_error_shape(response, (method, path))
            if method != "GET":
                assert_error(response, 405, "method_not_allowed")
            else:
                assert response.status_code in (404, 405), (method, path)


async def test_a_get_to_an_address_that_takes_only_other_methods_is_405(api: Api) -> None:
    assert_error(await api.http.get("/api/v1/auth/login"), 405, "method_not_allowed")


# ---- Origins -----------------------------------------------------------------------------------


async def test_state_changing_requests_from_a_foreign_origin_are_refused_and_write_nothing(
    api: Api, database_url: str
) -> None:
    admin = await api.admin()
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register("Sarah")
    comment = await api.comment(sarah, question["id"])
    before = await fetch_rows(
        database_url,
        """SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM sessions) AS sessions,
                  (SELECT count(*) FROM spaces) AS spaces, (SELECT count(*) FROM comments) AS comments,
                  (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM supports) AS supports,
                  (SELECT string_agg(body, '|') FROM comments) AS bodies,
                  (SELECT string_agg(display_name, '|' ORDER BY id) FROM users) AS names""",
    )
    cookie = {"Cookie": f"roundtable_session={sarah.token}"}
    for origin in (
        FOREIGN_ORIGIN,
        "null",
        api.server.url.replace("127.0.0.1", "localhost"),
        ALLOWED_ORIGIN + ".evil.example",
    ):
        foreign = {"Origin": origin}
        attempts = [
            await api.http.post(
                "/api/v1/spaces", json={"slug": "evil", "title": "Evil"}, headers=admin.headers | foreign
            ),
            await api.http.post(
                "/api/v1/auth/register",
                json={"email": "evil@example.org", "password": PASSWORD, "display_name": "Evil"},
                headers=foreign,
            ),
            await api.http.post(
                "/api/v1/auth/login", json={"email": sarah.email, "password": PASSWORD}, headers=foreign
            ),
            await api.http.patch("/api/v1/me", json={"display_name": "Pwned"}, headers=cookie | foreign),
            await api.http.post(
                f"/api/v1/questions/{question['id']}/comments",
                json={"body": "Spam"},
                headers=cookie | foreign,
            ),
            await api.http.delete(f"/api/v1/comments/{comment['id']}", headers=cookie | foreign),
            await api.http.post(f"/api/v1/comments/{comment['id']}/support", headers=admin.headers | foreign),
            await api.http.post("/api/v1/auth/logout", headers=cookie | foreign),
        ]
        for response in attempts:
            error = assert_error(response, 403, "origin_not_allowed")
            assert error["details"] == {"origin": origin}
    after = await fetch_rows(
        database_url,
        """SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM sessions) AS sessions,
                  (SELECT count(*) FROM spaces) AS spaces, (SELECT count(*) FROM comments) AS comments,
                  (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM supports) AS supports,
                  (SELECT string_agg(body, '|') FROM comments) AS bodies,
                  (SELECT string_agg(display_name, '|' ORDER BY id) FROM users) AS names""",
    )
    assert after == before
    # Reading needs no origin check.
    read = await api.http.get("/api/v1/spaces/water", headers={"Origin": FOREIGN_ORIGIN})
    assert read.status_code == 200


async def test_the_servers_own_origin_and_configured_origins_may_change_state(api: Api) -> None:
    admin = await api.admin()
    for slug, origin in (("own", api.server.url), ("configured", ALLOWED_ORIGIN)):
        response = await api.http.post(
            "/api/v1/spaces", json={"slug": slug, "title": slug}, headers=admin.headers | {"Origin": origin}
        )
        assert response.status_code == 201, (origin, response.text)
