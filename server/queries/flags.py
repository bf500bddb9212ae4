"""Participants' flags on comments and on participants' questions: adding one, the open
flags per comment or question with their flaggers' standing, resolving them."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor, build


@dataclass(frozen=True, slots=True)
class FlagRow:
    id: int
    comment_id: int
    user_id: int
    reason: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FlaggerRow:
    """An open flag with its flagger and the flagger's standing in the space."""

    user_id: int
    display_name: str
    handle: str
    affiliation: str | None
    reason: str
    text: str
    flagged_at: datetime
    account_created_at: datetime
    steward: bool
    published_in_space: int
    in_good_standing: bool


@dataclass(frozen=True, slots=True)
class FlagSummaryRow:
    count: int
    counted: int
    reasons: dict[str, int]
    texts: list[str]
    flaggers: list[FlaggerRow]


# The flags of each kind of flagged thing: its table and the column naming it.
FLAG_TABLES = {"comment": ("comment_flags", "comment_id"), "question": ("question_flags", "question_id")}


async def insert_flag(
    db: Executor,
    *,
    space_id: int,
    target_id: int,
    user_id: int,
    reason: str,
    text: str,
    target: str = "comment",
) -> FlagRow | None:
    """Add a flag on a comment (or, with `target` "question", on a participant's question);
    None when this user already flagged it."""
    table, column = FLAG_TABLES[target]
    record = await db.fetchrow(
        f"""INSERT INTO {table} (space_id, {column}, user_id, reason, text)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT ({column}, user_id) DO NOTHING
           RETURNING id, {column} AS comment_id, user_id, reason, text, created_at""",
        space_id,
        target_id,
        user_id,
        reason,
        text,
    )
    return build(FlagRow, record)


async def count_open_flags(db: Executor, target_id: int, *, target: str = "comment") -> int:
    table, column = FLAG_TABLES[target]
    count: int = await db.fetchval(
        f"SELECT count(*) FROM {table} WHERE {column} = $1 AND resolved_at IS NULL", target_id
    )
    return count


async def resolve_flags(db: Executor, target_id: int, resolution: str, *, target: str = "comment") -> int:
    """Resolve the comment's (or question's) open flags; return how many there were."""
    table, column = FLAG_TABLES[target]
    status: str = await db.execute(
        f"""UPDATE {table} SET resolved_at = now(), resolution = $2
           WHERE {column} = $1 AND resolved_at IS NULL""",
        target_id,
        resolution,
    )
    return int(status.rsplit(" ", 1)[-1])


async def summarise_open_flags(
    db: Executor, comment_ids: list[int], min_account_age_secs: float, *, target: str = "comment"
) -> dict[int, FlagSummaryRow]:
    """Open flags per comment (or, with `target` "question", per participant's question):
    how many, how many count towards hiding, per reason, their texts and their flaggers
    (oldest first).

    A flag counts when its flagger is in good standing in the comment's space: a
    steward of it (moderator or admin), or an account at least
    `min_account_age_secs` old with at least one published comment there.
    """
    table, column = FLAG_TABLES[target]
    rows = await db.fetch(
        f"""SELECT f.{column} AS comment_id, f.reason, f.text, f.created_at AS flagged_at,
                  u.id AS user_id, u.display_name, u.handle, u.affiliation,
                  u.created_at AS account_created_at,
                  (u.is_admin OR EXISTS (SELECT 1 FROM space_moderators m
                                         WHERE m.space_id = f.space_id AND m.user_id = f.user_id))
                      AS steward,
                  (SELECT count(*) FROM comments c
                   WHERE c.space_id = f.space_id AND c.author_id = f.user_id
                         AND c.status = 'published')::int AS published_in_space,
                  (u.created_at <= now() - make_interval(secs => $2)) AS old_enough
           FROM {table} f JOIN users u ON u.id = f.user_id
           WHERE f.{column} = ANY($1::bigint[]) AND f.resolved_at IS NULL ORDER BY f.id""",
        comment_ids,
        min_account_age_secs,
    )
    found: dict[int, FlagSummaryRow] = {i: FlagSummaryRow(0, 0, {}, [], []) for i in comment_ids}
    for row in rows:
        summary = found[row["comment_id"]]
        good = row["steward"] or (row["old_enough"] and row["published_in_space"] > 0)
        summary.reasons[row["reason"]] = summary.reasons.get(row["reason"], 0) + 1
        if row["text"]:
            summary.texts.append(row["text"])
        summary.flaggers.append(
            FlaggerRow(
                user_id=row["user_id"],
                display_name=row["display_name"],
                handle=row["handle"],
                affiliation=row["affiliation"],
                reason=row["reason"],
                text=row["text"],
                flagged_at=row["flagged_at"],
                account_created_at=row["account_created_at"],
                steward=row["steward"],
                published_in_space=row["published_in_space"],
                in_good_standing=good,
            )
        )
        found[row["comment_id"]] = FlagSummaryRow(
            summary.count + 1,
            summary.counted + (1 if good else 0),
            summary.reasons,
            summary.texts,
            summary.flaggers,
        )
    return found


async def is_space_steward(db: Executor, space_id: int, user_id: int) -> bool:
    """Whether the user moderates this space or is an admin."""
    found: bool = await db.fetchval(
        """SELECT u.is_admin OR EXISTS (SELECT 1 FROM space_moderators m
                                        WHERE m.space_id = $1 AND m.user_id = u.id)
           FROM users u WHERE u.id = $2""",
        space_id,
        user_id,
    )
    return bool(found)
