"""Who is calling: password hashing, session tokens, screen tokens, and the viewer of a request.

Sessions are server-side rows keyed by a SHA-256 of the token; the same token
works as the browser's HttpOnly cookie and as a script's bearer token. A screen
(a display on a wall) carries a screen token a moderator created instead:
`Authorization: Screen <token>` or `?screen_token=…` on the live endpoints.
"""

import asyncio
import hashlib
import secrets
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.queries import Executor
from server.queries import screens as screen_queries
from server.queries import users as user_queries
from server.queries.spaces import is_moderator
from server.queries.users import UserRow

SESSION_COOKIE = "roundtable_session"
SCREEN_SCHEME = "screen"
# 32 random bytes: far beyond guessing, short enough for a header.
TOKEN_BYTES = 32
# Longer than any token this server gives out; a longer one is not worth a lookup.
TOKEN_MAX_CHARS = 200

class Passwords:
    """Password hashing: argon2id at the cost the settings give.

    The defaults are argon2-cffi's (RFC 9106's low-memory profile: 3 passes over
    64 MiB). A test suite may lower them; a deployment should not.
    """

    def __init__(self, time_cost: int, memory_kib: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        # Verified against when an email is unknown, so the answer takes as long as for
        # a known one and does not reveal which emails have accounts. Made on first use,
        # off the event loop.
        self._dummy_hash: str | None = None

    async def hash(self, password: str) -> str:
        # Hashing is deliberately slow; keep it off the event loop.
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        def verify() -> bool:
            if self._dummy_hash is None:
                self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))
            try:
                matches = self._hasher.verify(password_hash or self._dummy_hash, password)
                return matches and password_hash is not None
            except (VerificationError, InvalidHashError):
                return False

        return await asyncio.to_thread(verify)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


@dataclass(frozen=True, slots=True)
class ScreenGrant:
    """A screen token's right to follow one space's public stream (revoked: server/live/revocation.py)."""

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
    if not token or len(token) > TOKEN_MAX_CHARS:
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


def screen_token_from(query_value: str | None, authorization: str | None) -> str | None:
    """The screen token a request carries, if it carries one (it may be empty: then invalid)."""
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == SCREEN_SCHEME:
            return value.strip()
    return query_value


async def screen_viewer(db: Executor, token: str) -> Viewer | None:
    """The read-only viewer of a live screen token; None if unknown or revoked."""
    if not token or len(token) > TOKEN_MAX_CHARS:
        return None
    screen = await screen_queries.get_live_screen(db, token_hash(token))
    if screen is None:
        return None
    return Viewer(user=None, screen=ScreenGrant(token_id=screen.id, space_id=screen.space_id))
