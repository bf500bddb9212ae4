"""The HTTP API fuzzed from its own OpenAPI document with schemathesis, as anonymous,
participant and moderator, against a running server and real PostgreSQL: no answer
is a 500, and every answer has a documented status, content type and body."""

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import hypothesis
import hypothesis.strategies as st
import pytest
import requests
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.helpers import Api, RunningServer

# Fixed and derandomised, so CI sees the same requests on every run; sized so the
# three passes over every operation take well under a minute on two cores.
EXAMPLES_PER_OPERATION = 4
# Ending the caller's own session would turn the rest of the pass into anonymous requests.
SKIPPED = {("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/auth/logout-all")}
# Never ends by itself: its first message is read, then the stream is dropped.
STREAM = ("GET", "/api/v1/spaces/{slug}/events")
STREAM_READ_TIMEOUT_SECS = 10
LIVE_MESSAGES = {"snapshot", "resync", "events", "presence", "statistics", "heartbeat", "error"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
SLUG = "fuzzed"


@dataclass
class Scene:
    """Real path values, so that half the requests reach existing resources."""

    slug: str
    ids: list[int]
    user_id: int
    handle: str

    def path_value(self, name: str, generated: Any, pick: int) -> Any:
        if name == "slug":
            return self.slug
        if name == "id":
            return self.ids[pick % len(self.ids)]
        if name == "user_id":
            return self.user_id
        if name == "handle":
            return self.handle
        return generated


def fuzz_as(base_url: str, headers: dict[str, str], scene: Scene) -> list[str]:
    """Every operation, EXAMPLES_PER_OPERATION times; the failures, described."""
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json")
    failures: list[str] = []
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid document raises here
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        try:
            fuzz_operation(operation, base_url, session, headers, scene)
        except Exception as error:
            # Every operation's failure is reported, not just the first one's.
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    return failures


def fuzz_operation(
    operation: Any, base_url: str, session: requests.Session, headers: dict[str, str], scene: Scene
) -> None:
    is_stream = (operation.method.upper(), operation.path) == STREAM

    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(), real=st.booleans(), pick=st.integers(0, 7))
    def check(case: Any, real: bool, pick: int) -> None:
        if real and case.path_parameters:
            case.path_parameters = {
                name: scene.path_value(name, value, pick) for name, value in case.path_parameters.items()
            }
        if is_stream:
            check_stream(case, base_url, session, headers)
        else:
            response = case.call(base_url=base_url, session=session, headers=headers, timeout=10)
            case.validate_response(response, checks=CHECKS, headers=headers)
        # A fuzzed login or registration must not turn this caller into someone else.
        session.cookies.clear()

    check()


def check_stream(case: Any, base_url: str, session: requests.Session, headers: dict[str, str]) -> None:
    """A documented status; a 200 is an event stream whose first message is a live message."""
    request = case.as_transport_kwargs(base_url=base_url, headers=headers)
    request.pop("timeout", None)
    with session.request(**request, stream=True, timeout=STREAM_READ_TIMEOUT_SECS) as response:
        documented = case.operation.definition.raw["responses"]
        assert str(response.status_code) in documented, (response.status_code, response.text)
        if response.status_code != 200:
            case.validate_response(response, checks=CHECKS, headers=headers)
            return
        assert response.headers["content-type"].startswith("text/event-stream"), response.headers
        fields: dict[str, str] = {}
        for raw in response.iter_lines():
            line = raw.decode()
            if line == "" and "data" in fields:
                break
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
        message = json.loads(fields["data"])
        assert message["type"] in LIVE_MESSAGES and fields.get("event") in (None, message["type"]), fields


@pytest.fixture
async def scene(api: Api) -> tuple[Scene, dict[str, dict[str, str]]]:
    await api.space(SLUG)
    question = await api.question(SLUG)
    participant = await api.register("Fuzzed Participant")
    moderator = await api.moderator(SLUG)
    comment = await api.comment(participant, question["id"])
    reply = await api.comment(moderator, question["id"], "A reply.", parent_id=comment["id"])
    ids = sorted({1, question["id"], comment["id"], reply["id"]})
    callers = {"anonymous": {}, "participant": participant.headers, "moderator": moderator.headers}
    return Scene(SLUG, ids, participant.id, participant.handle), callers


@pytest.mark.parametrize("caller", ["anonymous", "participant", "moderator"])
async def test_every_operation_answers_as_its_openapi_document_says(
    server: RunningServer, scene: tuple[Scene, dict[str, dict[str, str]]], caller: str
) -> None:
    found, callers = scene
    failures = await asyncio.to_thread(fuzz_as, server.url, callers[caller], found)
    assert not failures, "\n\n".join(failures)
