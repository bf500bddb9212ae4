"""Quoting consent in reports: an author who chose "anonymous" for a comment is quoted
under a pseudonym ("Participant 17"), the same one throughout a space.

The background note and every export name authors through `attribution`.
"""

from dataclasses import dataclass
from typing import Protocol

from server.queries import Executor
from server.queries import quoting as quoting_queries


class Quotable(Protocol):
    """A comment as reports attribute it (a `CommentRow`, or the note's source row)."""

    @property
    def quoting(self) -> str: ...
    @property
    def author_name(self) -> str: ...
    @property
    def author_id(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Pseudonyms:
    """A space's authors' pseudonyms, stable for the space's whole life."""

    numbers: dict[int, int]

    def of(self, author_id: int) -> str:
        number = self.numbers.get(author_id)
        if number is None:
            # Only authors of the space's comments are ever quoted.
            raise KeyError(f"user {author_id} has not commented in this space")
        return f"Participant {number}"


async def read_pseudonyms(db: Executor, space_id: int) -> Pseudonyms:
    return Pseudonyms(await quoting_queries.list_author_numbers(db, space_id))


def attribution(comment: Quotable, pseudonyms: Pseudonyms) -> str:
    """Who a report says wrote the comment: the author's name only with their consent."""
    if comment.quoting == "named":
        return comment.author_name
    return pseudonyms.of(comment.author_id)
