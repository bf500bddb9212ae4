"""Screen tokens: read-only access to one space's public stream, stored as hashes."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor, build

SCREEN_COLUMNS = "id, space_id, name, created_by, created_at, revoked_at"


@dataclass(frozen=True, slots=True)
class ScreenRow:
    id: int
    space_id: int
    name: str
    created_by: int | None
    created_at: datetime
    revoked_at: datetime | None


async def insert_screen(
    db: Executor, space_id: int, token_hash: bytes, name: str, created_by: int
) -> ScreenRow:
    record = await db.fetchrow(
        f"""INSERT INTO screen_tokens (space_id, token_hash, name, created_by) VALUES ($1, $2, $3, $4)
            RETURNING {SCREEN_COLUMNS}""",
        space_id,
        token_hash,
        name,
        created_by,
    )
    return ScreenRow(**dict(record))


async def list_screens(db: Executor, space_id: int) -> list[ScreenRow]:
    rows = await db.fetch(
        f"SELECT {SCREEN_COLUMNS} FROM screen_tokens WHERE space_id = $1 ORDER BY id", space_id
    )
    return [ScreenRow(**dict(r)) for r in rows]


async def get_screen(db: Executor, space_id: int, screen_id: int) -> ScreenRow | None:
    return build(
        ScreenRow,
        await db.fetchrow(
            f"SELECT {SCREEN_COLUMNS} FROM screen_tokens WHERE space_id = $1 AND id = $2", space_id, screen_id
        ),
    )


async def get_live_screen(db: Executor, token_hash: bytes) -> ScreenRow | None:
    """The screen token with this hash, unless revoked."""
    return build(
        ScreenRow,
        await db.fetchrow(
            f"SELECT {SCREEN_COLUMNS} FROM screen_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
            token_hash,
        ),
    )


async def revoke_screen(db: Executor, screen_id: int) -> ScreenRow | None:
    """Revoke it; None when it already was."""
    return build(
        ScreenRow,
        await db.fetchrow(
            f"""UPDATE screen_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL
                RETURNING {SCREEN_COLUMNS}""",
            screen_id,
        ),
    )


async def list_revoked(db: Executor, screen_ids: list[int]) -> set[int]:
    rows = await db.fetch(
        "SELECT id FROM screen_tokens WHERE id = ANY($1::bigint[]) AND revoked_at IS NOT NULL", screen_ids
    )
    return {r["id"] for r in rows}
