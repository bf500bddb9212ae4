"""Invitation links to invitation-only spaces; only a hash of each token is stored."""

from dataclasses import dataclass
from datetime import datetime

from server.queries import Executor, build

INVITATION_COLUMNS = "id, space_id, label, expires_at, max_uses, uses, created_by, created_at, revoked_at"


@dataclass(frozen=True, slots=True)
class InvitationRow:
    id: int
    space_id: int
    label: str
    expires_at: datetime | None
    max_uses: int | None
    uses: int
    created_by: int | None
    created_at: datetime
    revoked_at: datetime | None


async def insert_invitation(
    db: Executor,
    *,
    space_id: int,
    token_hash: bytes,
    label: str,
    expires_at: datetime | None,
    max_uses: int | None,
    created_by: int,
) -> InvitationRow:
    record = await db.fetchrow(
        f"""INSERT INTO invitation_links (space_id, token_hash, label, expires_at, max_uses, created_by)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING {INVITATION_COLUMNS}""",
        space_id,
        token_hash,
        label,
        expires_at,
        max_uses,
        created_by,
    )
    return InvitationRow(**dict(record))


async def list_invitations(db: Executor, space_id: int) -> list[InvitationRow]:
    rows = await db.fetch(
        f"SELECT {INVITATION_COLUMNS} FROM invitation_links WHERE space_id = $1 ORDER BY id DESC", space_id
    )
    return [InvitationRow(**dict(r)) for r in rows]


async def get_invitation(db: Executor, space_id: int, invitation_id: int) -> InvitationRow | None:
    return build(
        InvitationRow,
        await db.fetchrow(
            f"SELECT {INVITATION_COLUMNS} FROM invitation_links WHERE space_id = $1 AND id = $2",
            space_id,
            invitation_id,
        ),
    )


async def find_invitation(db: Executor, token_hash: bytes) -> InvitationRow | None:
    return build(
        InvitationRow,
        await db.fetchrow(
            f"SELECT {INVITATION_COLUMNS} FROM invitation_links WHERE token_hash = $1", token_hash
        ),
    )


async def lock_invitation(db: Executor, invitation_id: int) -> InvitationRow:
    record = await db.fetchrow(
        f"SELECT {INVITATION_COLUMNS} FROM invitation_links WHERE id = $1 FOR UPDATE", invitation_id
    )
    return InvitationRow(**dict(record))


async def count_use(db: Executor, invitation_id: int) -> None:
    await db.execute("UPDATE invitation_links SET uses = uses + 1 WHERE id = $1", invitation_id)


async def revoke_invitation(db: Executor, invitation_id: int) -> InvitationRow | None:
    """Revoke it; None when it already was."""
    return build(
        InvitationRow,
        await db.fetchrow(
            f"""UPDATE invitation_links SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL
                RETURNING {INVITATION_COLUMNS}""",
            invitation_id,
        ),
    )
