"""docs/protocol.md's Moderation section keeps up with the code: reason codes with
their descriptions, and every error code a moderation endpoint declares (or the
Stewarding section, for the codes of who may write)."""

from server.app import build_api
from server.schemas.reasons import DECISION_REASONS, FLAG_REASONS
from tests.test_protocol_docs import section, table_rows
from tests.test_restriction_and_control_docs import documented_codes

MODERATION = section("Moderation")
# Codes every endpoint may answer with, documented with the API as a whole.
COMMON = {
    "not_authenticated",
    "forbidden",
    "invalid_body",
    "text_too_long",
    "comment_not_found",
    "question_not_found",
    "space_not_found",
    "user_not_found",
    "comment_deleted",
    "own_comment",
    "not_invited",
    "unsupported_language",
    "invalid_cursor",
    "invalid_query",
}


def subsection(title: str) -> str:
    start = MODERATION.index(f"\n### {title}\n")
    end = MODERATION.find("\n### ", start + 1)
    return MODERATION[start : end if end != -1 else len(MODERATION)]


def test_every_reason_code_is_listed_with_its_description() -> None:
    decisions, flags = subsection("Reason codes").split("Flag reasons")
    for text, expected in ((decisions, DECISION_REASONS), (flags, FLAG_REASONS)):
        rows = {row[0].strip("`"): row[1] for row in table_rows(text)[2:]}
        assert rows == expected


def test_every_error_code_of_the_moderation_endpoints_is_in_the_table() -> None:
    documented = {row[0].strip("`") for row in table_rows(subsection("HTTP error codes"))[2:]}
    declared = {
        error.code
        for op in build_api().operations
        if op.tag in ("moderation", "spotlight")
        for error in op.raises
    }
    # Why a person may not write (muted, space_locked, …) is told under "Stewarding a space".
    assert declared - COMMON - set(documented_codes()) <= documented
    assert documented <= declared | {"reason_required"}
