"""docs/protocol.md documents every stewarding error code and reason code."""

import re
from pathlib import Path

import pytest

from server import errors
from server.schemas.reasons import CONTROL_REASONS, RESTRICTION_REASONS

DOC = (Path(__file__).resolve().parent.parent / "docs" / "protocol.md").read_text()
STEWARDING_ERRORS: tuple[type[errors.AppError], ...] = (
    errors.AccountSuspended,
    errors.SpaceLocked,
    errors.Muted,
    errors.Banned,
    errors.QuestionNotOpen,
    errors.QuestionClosed,
    errors.SlowMode,
    errors.SpaceClosed,
    errors.NotModerator,
    errors.CannotRestrictSteward,
    errors.RestrictionNotFound,
    errors.AnnouncementNotFound,
    errors.NoteNotFound,
    errors.NoteTargetNotFound,
    errors.ScreenNotFound,
    errors.InvalidScreenToken,
    errors.ScreenReadOnly,
    errors.InvitationNotFound,
    errors.InvitationRevoked,
    errors.InvitationExpired,
    errors.InvitationUsedUp,
)


def section(title: str) -> str:
    start = DOC.index(f"\n## {title}\n")
    end = DOC.find("\n## ", start + 1)
    return DOC[start:end]


def documented_codes() -> dict[str, int]:
    rows = re.findall(r"^\| `(\w+)` \| (\d{3}) \|", section("Stewarding a space"), re.MULTILINE)
    return {code: int(status) for code, status in rows}


@pytest.mark.parametrize("error", STEWARDING_ERRORS, ids=lambda e: e.code)
def test_every_stewarding_error_is_documented_with_its_status(error: type[errors.AppError]) -> None:
    assert documented_codes().get(error.code) == error.status


def test_every_reason_code_is_documented() -> None:
    text = section("Stewarding a space")
    for code, meaning in (RESTRICTION_REASONS | CONTROL_REASONS).items():
        assert f"| `{code}` | {meaning} |" in text
