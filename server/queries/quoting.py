"""The order in which a space's authors first commented, the basis of their pseudonyms."""

from server.queries import Executor


async def list_author_numbers(db: Executor, space_id: int) -> dict[int, int]:
    """Each author of the space numbered 1, 2, … by their first comment.

    Comment rows are never removed (a deleted comment stays as a tombstone), and
    a newcomer's first comment comes after every earlier one, so a number once
    given never changes.
    """
    rows = await db.fetch(
        """SELECT author_id, row_number() OVER (ORDER BY min(id)) AS number
           FROM comments WHERE space_id = $1
           GROUP BY author_id""",
        space_id,
    )
    return {r["author_id"]: r["number"] for r in rows}
