"""Comments' detected languages: written when a text is posted or changed, read by the
detection sweep for texts that changed without one (a moderator approving an edit)."""

from dataclasses import dataclass

from server.queries import Executor


@dataclass(frozen=True, slots=True)
class UndetectedRow:
    id: int
    body: str
    languages: list[str]  # the space's


async def set_detected_languages(
    db: Executor, comment_id: int, detected: list[str], *, declared: bool | None = None
) -> None:
    """Store what was detected; `declared` (when given) says whether the author chose the language."""
    await db.execute(
        """UPDATE comments SET detected_langs = $2, lang_declared = coalesce($3, lang_declared)
           WHERE id = $1""",
        comment_id,
        detected,
        declared,
    )


async def list_undetected(db: Executor, limit: int) -> list[UndetectedRow]:
    """Comments with text whose languages are not known yet, oldest first."""
    rows = await db.fetch(
        """SELECT c.id, c.body, s.languages
           FROM comments c JOIN spaces s ON s.id = c.space_id
           WHERE c.detected_langs IS NULL AND c.status <> 'deleted' AND c.body <> ''
           ORDER BY c.id LIMIT $1""",
        limit,
    )
    return [UndetectedRow(**dict(r)) for r in rows]
