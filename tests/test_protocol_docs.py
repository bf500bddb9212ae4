"""docs/protocol.md documents everything the live protocol's code can send or accept.

Message types, error codes, close codes and event types are read from the
code, so a new one fails here until it is documented; the embedded JSON
Schemas must equal the models' (regenerate with docs/gen_protocol_schemas.py).
"""

import json
import re
from pathlib import Path
from typing import get_args

import pytest
from pydantic import BaseModel

from server.live import messages, snapshot, ws
from server.live.presence import WRITING_TTL_SECS
from server.running.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "protocol.md").read_text()
SCHEMA_BLOCK = re.compile(r"<!-- schema: (\w+) -->\n```json\n(.*?)\n```", re.DOTALL)
# Event types are dotted and past tense, written as literals by the actions
# (with the irregular past tenses they use).
EVENT_TYPE = re.compile(r"\"([a-z]+\.[a-z_]*(?:ed|hidden|held))\"")
# The settings that shape live delivery; each has a row with its default.
LIVE_SETTINGS = (
    "live_outbox_limit_bytes",
    "slow_client_grace_secs",
    "ring_events",
    "resume_max_events",
    "resume_max_age_secs",
    "repair_interval_secs",
    "heartbeat_interval_secs",
    "presence_interval_secs",
    "live_max_connections",
    "live_max_connections_per_address",
    "live_max_frame_bytes",
    "live_messages_per_sec",
    "live_messages_burst",
    "live_subscriptions_per_sec",
    "live_subscriptions_burst",
    "live_max_refusals",
    "restart_spread_secs",
    "shutdown_grace_secs",
)
INBOUND_MESSAGES: tuple[type[messages.Inbound], ...] = (
    messages.Subscribe,
    messages.Unsubscribe,
    messages.Ping,
    messages.Typing,
)


def section(title: str) -> str:
    """The text under a `## title` heading, up to the next one."""
    start = DOC.index(f"\n## {title}\n")
    end = DOC.find("\n## ", start + 1)
    return DOC[start : end if end != -1 else len(DOC)]


def type_literal(model: type[BaseModel]) -> str:
    (value,) = get_args(model.model_fields["type"].annotation)
    return str(value)


def table_rows(text: str) -> list[list[str]]:
    rows = [line.strip("|").split("|") for line in text.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows]


def event_types_written() -> set[str]:
    found: set[str] = set()
    for source in (ROOT / "server" / "actions").glob("*.py"):
        found |= set(EVENT_TYPE.findall(source.read_text()))
    return found


def test_inbound_messages_are_the_documented_ones() -> None:
    union = get_args(get_args(messages.InboundMessage)[0])
    assert set(union) == set(INBOUND_MESSAGES)


@pytest.mark.parametrize("model", INBOUND_MESSAGES, ids=lambda m: m.__name__)
def test_every_client_message_has_a_section(model: type[messages.Inbound]) -> None:
    assert f"\n### `{type_literal(model)}`\n" in section("Client to server")


@pytest.mark.parametrize("model", messages.OUTBOUND_MESSAGES, ids=lambda m: m.__name__)
def test_every_server_message_has_a_section(model: type[messages.Outbound]) -> None:
    assert f"\n### `{type_literal(model)}`\n" in section("Server to client")


def test_every_message_type_is_in_the_overview() -> None:
    listed = {row[1].strip("`") for row in table_rows(section("Messages at a glance"))[2:]}
    assert listed == {type_literal(m) for m in (*INBOUND_MESSAGES, *messages.OUTBOUND_MESSAGES)}


def test_every_message_model_has_its_current_json_schema() -> None:
    embedded = {name: json.loads(text) for name, text in SCHEMA_BLOCK.findall(DOC)}
    models = {m.__name__: m for m in (*INBOUND_MESSAGES, *messages.OUTBOUND_MESSAGES)}
    assert set(embedded) == set(models)
    for name, model in models.items():
        assert embedded[name] == model.model_json_schema(), (
            f"the schema of {name} is stale: run python docs/gen_protocol_schemas.py"
        )


def test_every_error_code_is_in_the_table() -> None:
    documented = {row[0].strip("`") for row in table_rows(section("Error codes"))[2:]}
    assert documented == set(messages.ERROR_CODES)


def test_every_close_code_is_in_the_table_with_its_name() -> None:
    documented = {int(row[0]): row[1].strip("`") for row in table_rows(section("Close codes"))[2:]}
    assert documented == messages.CLOSE_CODES


def test_every_event_type_the_actions_write_is_in_the_table() -> None:
    written = event_types_written()
    # The pattern must keep finding the types written today.
    assert {"space.created", "question.moved", "comment.deleted"} <= written
    documented = {row[0].strip("`") for row in table_rows(section("Event types"))[2:]}
    assert documented == written


def test_every_resync_reason_is_explained() -> None:
    reasons = get_args(messages.ResyncMessage.model_fields["reason"].annotation)
    resync = section("Server to client").split("### `resync`")[1].split("\n### ")[0]
    for reason in reasons:
        assert f"`{reason}`" in resync


@pytest.mark.parametrize("name", LIVE_SETTINGS)
def test_every_live_setting_is_listed_with_its_default(name: str) -> None:
    default = Settings.model_fields[name].default
    value = f"{default:g}" if isinstance(default, float) else str(default)
    rows = {row[0].strip("`"): row[1] for row in table_rows(section("Limits and settings"))}
    assert rows[name].split(" ")[0] == value


def test_fixed_limits_are_the_codes() -> None:
    limits = {row[0]: row[1] for row in table_rows(section("Limits and settings"))}
    assert limits["Characters in a client message"] == str(ws.MAX_MESSAGE_CHARS)
    assert limits["Subscriptions per connection"] == str(ws.MAX_SUBSCRIPTIONS)
    assert limits["Comments in a snapshot"] == str(snapshot.SNAPSHOT_COMMENTS)
    assert limits['"Writing" after the last `typing`'] == f"{WRITING_TTL_SECS:g} s"


def test_client_library_api_is_documented() -> None:
    source = (ROOT / "client" / "live.js").read_text()
    exported = set(re.findall(r"^export function (\w+)", source, re.MULTILINE))
    assert exported == {"createLiveClient", "createSpaceStore"}
    client_section = section("The JavaScript client (`client/live.js`)")
    for name in exported:
        assert f"`{name}(" in client_section
