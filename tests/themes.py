"""Stored themes for tests that read them (coverage, search, screens' cloud) without
running the encoder: a theme as a grouping would have written it."""

from typing import Any

from tests.helpers import fetch_rows


async def store_theme(
    database_url: str,
    question_id: int,
    comment_ids: list[int],
    terms: list[dict[str, Any]],
    name: str | None = None,
) -> int:
    """A theme of the question holding these comments; its id."""
    [theme] = await fetch_rows(
        database_url,
        """INSERT INTO themes (question_id, space_id, name, terms, representative_id, centre)
           SELECT id, space_id, $2, $3, $4, '{}' FROM questions WHERE id = $1 RETURNING id""",
        question_id,
        name,
        terms,
        comment_ids[0],
    )
    await fetch_rows(
        database_url,
        """INSERT INTO theme_members (comment_id, question_id, theme_id, similarity)
           SELECT unnest($1::bigint[]), $2, $3, 1""",
        comment_ids,
        question_id,
        theme["id"],
    )
    theme_id: int = theme["id"]
    return theme_id


def term(phrase: str, *variants: str, lang: str = "en") -> dict[str, Any]:
    return {"phrase": phrase, "lang": lang, "variants": list(variants)}
