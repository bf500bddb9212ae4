"""The README keeps up with the code: every setting and every endpoint is listed."""

import re
from pathlib import Path

from pydantic import AliasChoices

from server.app import build_api
from server.running.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def section(title: str) -> str:
    """The README's text from a `## title` heading to the next `## ` heading."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def table_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not re.match(r"^\|\s*-", line):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows[1:]  # without the header


def environment_variable(name: str) -> str:
    """The variable a setting is read from: its own alias, else ROUNDTABLE_<FIELD>."""
    field = Settings.model_fields[name]
    prefix = Settings.model_config.get("env_prefix", "")
    if isinstance(field.validation_alias, AliasChoices):
        return str(next(a for a in field.validation_alias.choices if isinstance(a, str) and a.isupper()))
    return f"{prefix}{name}".upper()


def test_the_configuration_table_lists_every_setting_by_its_environment_variable() -> None:
    listed = [row[0].strip("`") for row in table_rows(section("Configuration"))]
    expected = [environment_variable(name) for name in Settings.model_fields]
    assert {"DATABASE_URL", "REDIS_URL", "PORT", "ROUNDTABLE_HOST"} <= set(expected)
    missing = [name for name in expected if name not in listed]
    assert not missing, f"add these settings to the README's configuration table: {missing}"
    stale = [name for name in listed if name not in expected]
    assert not stale, f"the README's configuration table lists settings that do not exist: {stale}"


def test_the_api_table_lists_every_endpoint() -> None:
    listed = {(row[0].strip("`"), row[1].strip("`")) for row in table_rows(section("API"))}
    missing = [
        (op.method, op.openapi_path)
        for op in build_api().operations
        if (op.method, op.openapi_path) not in listed
    ]
    assert not missing, f"add these endpoints to the README's API table: {missing}"
