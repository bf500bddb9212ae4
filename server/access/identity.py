"""Who is calling: password hashing, session tokens, and the viewer of a request.

Sessions are server-side rows keyed by a SHA-256 of the token; the same token
works as the browser's HttpOnly cookie and as a script's bearer token.
"""

import asyncio
import hashlib
import secrets
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.queries import Executor
from server.queries import users as user_queries
from server.queries.spaces import is_moderator
from server.queries.users import UserRow

SESSION_COOKIE = "roundtable_session"
# 32 random bytes: far beyond guessing, short enough for a header.
TOKEN_BYTES = 32

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile.
_hasher = PasswordHasher()
# Verified against when an email is unknown, so the answer takes as long as for
# a known one and does not reveal which emails have accounts.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


async def hash_password(password: str) -> str:
    # Hashing is deliberately slow; keep it off the event loop.
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


@dataclass(frozen=True, slots=True)
class ScreenGrant:
    """A screen token's right to follow one space's public stream (server/live/revocation.py)."""

    token_id: int
    space_id: int


@dataclass(slots=True)
class Viewer:
    """The person behind a request or a connection; `user` is None when anonymous.

    A screen is anonymous with a `screen` grant: it reads one space's public stream.
    """

    user: UserRow | None
    token: str | None = None
    _moderates: dict[int, bool] = field(default_factory=dict)
    screen: ScreenGrant | None = None

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user else None

    @property
    def is_admin(self) -> bool:
        return bool(self.user and self.user.is_admin)

    def forget_roles(self) -> None:
        """Read roles afresh next time (for viewers that outlive a request)."""
        self._moderates.clear()

    async def moderates(self, db: Executor, space_id: int) -> bool:
        """Whether this viewer moderates the space (admins count as moderators)."""
        if self.user is None:
            return False
        if self.user.is_admin:
            return True
        if space_id not in self._moderates:
            self._moderates[space_id] = await is_moderator(db, space_id, self.user.id)
        return self._moderates[space_id]


async def viewer_for_token(db: Executor, token: str | None) -> Viewer:
    if not token or len(token) > 200:
        return Viewer(user=None)
    user = await user_queries.get_session_user(db, token_hash(token))
    return Viewer(user=user, token=token if user else None)


def token_from_headers(authorization: str | None, cookie: str | None) -> str | None:
    """A bearer token wins over the cookie, so a script's identity is explicit."""
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    return cookie or None
