"""Users, sessions and failed logins."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor, build

USER_COLUMNS = (
    "id, email, password_hash, display_name, handle, affiliation, language, is_admin, created_at, quoting"
)


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    email: str
    password_hash: str
    display_name: str
    handle: str
    affiliation: str | None
    language: str
    is_admin: bool
    created_at: datetime
    quoting: str


async def insert_user(
    db: Executor,
    *,
    email: str,
    password_hash: str,
    display_name: str,
    handle: str,
    affiliation: str | None,
    language: str,
    is_admin: bool,
) -> UserRow | None:
    """Insert a user; None when the email (or handle) is taken."""
    record = await db.fetchrow(
        f"""INSERT INTO users (email, password_hash, display_name, handle, affiliation, language, is_admin)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT DO NOTHING
            RETURNING {USER_COLUMNS}""",
        email,
        password_hash,
        display_name,
        handle,
        affiliation,
        language,
        is_admin,
    )
    return build(UserRow, record)


async def get_user(db: Executor, user_id: int) -> UserRow | None:
    record = await db.fetchrow(f"SELECT {USER_COLUMNS} FROM users WHERE id = $1", user_id)
    return build(UserRow, record)


async def get_user_by_email(db: Executor, email: str) -> UserRow | None:
    record = await db.fetchrow(f"SELECT {USER_COLUMNS} FROM users WHERE lower(email) = lower($1)", email)
    return build(UserRow, record)


async def list_handles_taken(db: Executor, base: str) -> set[str]:
    """Handles equal to `base` or `base` followed by digits (for picking a free one)."""
    rows = await db.fetch(
        "SELECT lower(handle) AS h FROM users WHERE lower(handle) ~ ('^' || $1 || '[0-9]*$')",
        base.lower(),
    )
    return {row["h"] for row in rows}


async def list_users_by_handles(db: Executor, handles: list[str]) -> list[UserRow]:
    rows = await db.fetch(
        f"SELECT {USER_COLUMNS} FROM users WHERE lower(handle) = ANY($1::text[])",
        [h.lower() for h in handles],
    )
    return [UserRow(**dict(r)) for r in rows]


async def get_user_by_handle(db: Executor, handle: str) -> UserRow | None:
    record = await db.fetchrow(f"SELECT {USER_COLUMNS} FROM users WHERE lower(handle) = lower($1)", handle)
    return build(UserRow, record)


async def search_users(db: Executor, text: str, limit: int) -> list[UserRow]:
    """Users whose email, name or handle contains `text`, case-insensitively."""
    rows = await db.fetch(
        f"""SELECT {USER_COLUMNS} FROM users
            WHERE strpos(lower(email), lower($1)) > 0
               OR strpos(lower(display_name), lower($1)) > 0
               OR strpos(lower(handle), lower($1)) > 0
            ORDER BY id LIMIT $2""",
        text,
        limit,
    )
    return [UserRow(**dict(r)) for r in rows]


async def search_participants_of_moderator(
    db: Executor, moderator_id: int, text: str, limit: int
) -> list[UserRow]:
    """The user whose email is exactly `text`, and users whose name or handle
    contains it among the participants (posted or invited) of the spaces
    `moderator_id` moderates."""
    rows = await db.fetch(
        f"""SELECT {USER_COLUMNS} FROM users u
            WHERE lower(u.email) = lower($2)
               OR ((strpos(lower(u.display_name), lower($2)) > 0 OR strpos(lower(u.handle), lower($2)) > 0)
                   AND EXISTS (
                       SELECT 1 FROM space_moderators m
                       WHERE m.user_id = $1
                         AND (EXISTS (SELECT 1 FROM comments c
                                      WHERE c.space_id = m.space_id AND c.author_id = u.id)
                              OR EXISTS (SELECT 1 FROM space_participants p
                                         WHERE p.space_id = m.space_id AND p.user_id = u.id))))
            ORDER BY u.id LIMIT $3""",
        moderator_id,
        text,
        limit,
    )
    return [UserRow(**dict(r)) for r in rows]


async def update_profile(
    db: Executor, user_id: int, display_name: str, affiliation: str | None, language: str, quoting: str
) -> UserRow:
    record = await db.fetchrow(
        f"""UPDATE users SET display_name = $2, affiliation = $3, language = $4, quoting = $5
            WHERE id = $1 RETURNING {USER_COLUMNS}""",
        user_id,
        display_name,
        affiliation,
        language,
        quoting,
    )
    user = build(UserRow, record)
    assert user is not None
    return user


async def set_admin(db: Executor, user_id: int, password_hash: str, display_name: str) -> None:
    await db.execute(
        "UPDATE users SET is_admin = true, password_hash = $2, display_name = $3 WHERE id = $1",
        user_id,
        password_hash,
        display_name,
    )


async def insert_session(db: Executor, token_hash: bytes, user_id: int, ttl_secs: int) -> None:
    await db.execute(
        """INSERT INTO sessions (token_hash, user_id, expires_at)
           VALUES ($1, $2, now() + make_interval(secs => $3))""",
        token_hash,
        user_id,
        float(ttl_secs),
    )


async def get_session_user(db: Executor, token_hash: bytes) -> UserRow | None:
    record = await db.fetchrow(
        f"""SELECT {", ".join("u." + c.strip() for c in USER_COLUMNS.split(","))}
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = $1 AND s.expires_at > now()
              AND NOT EXISTS (SELECT 1 FROM account_suspensions x WHERE x.user_id = u.id)""",
        token_hash,
    )
    return build(UserRow, record)


async def delete_session(db: Executor, token_hash: bytes) -> None:
    await db.execute("DELETE FROM sessions WHERE token_hash = $1", token_hash)


async def delete_sessions_of_user(db: Executor, user_id: int, keep_hash: bytes | None = None) -> int:
    """End every session of the user but `keep_hash` (if given); return how many ended."""
    status = await db.execute(
        "DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2", user_id, keep_hash
    )
    return int(status.split()[-1])


async def list_live_sessions(db: Executor, token_hashes: list[bytes]) -> set[bytes]:
    """Which of these sessions still exist and have not expired."""
    rows = await db.fetch(
        "SELECT token_hash FROM sessions WHERE token_hash = ANY($1::bytea[]) AND expires_at > now()",
        token_hashes,
    )
    return {bytes(r["token_hash"]) for r in rows}


async def update_password(db: Executor, user_id: int, password_hash: str) -> None:
    await db.execute("UPDATE users SET password_hash = $2 WHERE id = $1", user_id, password_hash)


async def list_moderated_slugs(db: Executor, user_id: int) -> list[str]:
    rows = await db.fetch(
        """SELECT s.slug FROM space_moderators m JOIN spaces s ON s.id = m.space_id
           WHERE m.user_id = $1 ORDER BY s.slug""",
        user_id,
    )
    return [r["slug"] for r in rows]
