"""Registering, logging in and out, profiles, and creating admins."""

import re
import unicodedata

import asyncpg

from server import errors
from server.access import rate_limits
from server.access.identity import new_token, token_hash
from server.live.revocation import close_session_connections, close_user_connections
from server.queries import Executor
from server.queries import restrictions as restriction_queries
from server.queries import users as user_queries
from server.queries.users import UserRow
from server.running.services import Services
from server.schemas.accounts import LoginBody, ProfilePatch, RegisterBody

HANDLE_MAX_CHARS = 30


def handle_base(display_name: str) -> str:
    """ "José Pérez" → "jose_perez": ASCII letters, digits and underscores."""
    ascii_name = unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    return (base or "user")[: HANDLE_MAX_CHARS - 4]


async def _free_handle(db: Executor, display_name: str) -> str:
    base = handle_base(display_name)
    taken = await user_queries.list_handles_taken(db, base)
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


async def _insert_user(
    services: Services,
    *,
    email: str,
    password: str,
    display_name: str,
    affiliation: str | None,
    language: str,
    is_admin: bool,
) -> UserRow:
    # A taken email is refused before the costly hash, not after it.
    if await user_queries.get_user_by_email(services.pool, email):
        raise errors.EmailTaken()
    password_hash = await services.passwords.hash(password)
    async with services.pool.acquire() as conn:
        # Two people picking the same handle at once: the loser retries.
        for _ in range(5):
            try:
                async with conn.transaction():
                    handle = await _free_handle(conn, display_name)
                    user = await user_queries.insert_user(
                        conn,
                        email=email,
                        password_hash=password_hash,
                        display_name=display_name,
                        handle=handle,
                        affiliation=affiliation or None,
                        language=language,
                        is_admin=is_admin,
                    )
            except asyncpg.UniqueViolationError:
                continue
            if user is None:
                if await user_queries.get_user_by_email(conn, email):
                    raise errors.EmailTaken()
                continue
            return user
    raise errors.EmailTaken("Could not pick a free handle; try again.")


async def register(services: Services, body: RegisterBody) -> UserRow:
    return await _insert_user(
        services,
        email=body.email,
        password=body.password,
        display_name=body.display_name,
        affiliation=body.affiliation,
        language=body.language,
        is_admin=False,
    )


async def login(services: Services, body: LoginBody, address: str) -> tuple[str, UserRow]:
    """Check the password; return a new session token and the user.

    Each attempt is counted before the password is checked, in one atomic step
    per counter, so parallel guesses each see their own count: twenty at once
    against a limit of ten let ten through, not twenty.

    Two counters, no lockout of the account itself. Locking an account after
    N failures from anywhere would hand anyone a button to keep a named
    moderator out all day; instead failures count per account *and address*
    (a guesser is stopped at their address, the owner at theirs is not) and
    per address (one address cannot spread guesses across many accounts). A
    guesser with many addresses gets the per-pair limit at each: the
    memory-hard hash keeps that slow, and the per-address limit on
    registration keeps them from minting accounts to go with it.
    """
    settings = services.settings
    counters = services.counters
    window = settings.login_window_secs
    pair_key = f"login:{body.email.lower()}|{address}"
    address_key = f"login:ip:{address}"
    for key, most, scope in (
        (pair_key, settings.login_max_failures_per_account_address, "account_address"),
        (address_key, settings.login_max_failures_per_address, "address"),
    ):
        limit = rate_limits.RateLimit(most, window)
        await rate_limits.count_attempt(counters, key, limit, errors.TooManyLoginAttempts, {"scope": scope})
    user = await user_queries.get_user_by_email(services.pool, body.email)
    if not await services.passwords.verify(user.password_hash if user else None, body.password) or not user:
        raise errors.InvalidCredentials()
    # A right password was no guess: it neither counts from this address nor
    # against this account from it.
    await counters.decr(address_key)
    await counters.reset(pair_key)
    if await restriction_queries.is_suspended(services.pool, user.id):
        raise errors.AccountSuspended()
    async with services.pool.acquire() as conn, conn.transaction():
        token = await start_session(services, conn, user)
    return token, user


async def start_session(services: Services, db: Executor, user: UserRow) -> str:
    """A new session for the user; return its token."""
    token = new_token()
    await user_queries.insert_session(db, token_hash(token), user.id, services.settings.session_ttl_secs)
    return token


async def logout(services: Services, token: str) -> None:
    """End this session; its live connections here close now, elsewhere within the scheduler's interval."""
    await user_queries.delete_session(services.pool, token_hash(token))
    close_session_connections(services, token)


async def logout_everywhere(services: Services, user: UserRow) -> int:
    """End every session of the account (this one too); return how many ended."""
    ended = await user_queries.delete_sessions_of_user(services.pool, user.id)
    close_user_connections(services, user.id)
    return ended


async def update_profile(services: Services, user: UserRow, token: str, body: ProfilePatch) -> UserRow:
    """Edit the profile; a new password also ends every other session of the account.

    Whoever changes a password usually fears someone else knows it: the old
    sessions (and their live connections) go, the one changing it stays.
    """
    sent = body.model_fields_set
    new_hash = None
    if body.new_password is not None:
        current = body.current_password
        if current is None or not await services.passwords.verify(user.password_hash, current):
            raise errors.WrongPassword()
        new_hash = await services.passwords.hash(body.new_password)
    async with services.pool.acquire() as conn, conn.transaction():
        updated = await user_queries.update_profile(
            conn,
            user.id,
            display_name=body.display_name if body.display_name is not None else user.display_name,
            affiliation=(body.affiliation or None) if "affiliation" in sent else user.affiliation,
            language=body.language or user.language,
            quoting=body.quoting or user.quoting,
        )
        if new_hash is not None:
            await user_queries.update_password(conn, user.id, new_hash)
            await user_queries.delete_sessions_of_user(conn, user.id, keep_hash=token_hash(token))
    if new_hash is not None:
        close_user_connections(services, user.id, keep_token=token)
    return updated


async def create_admin(services: Services, email: str, password: str, display_name: str) -> UserRow:
    """Create an admin account, or make an existing account an admin with this password."""
    existing = await user_queries.get_user_by_email(services.pool, email)
    if existing is None:
        return await _insert_user(
            services,
            email=email,
            password=password,
            display_name=display_name,
            affiliation=None,
            language="en",
            is_admin=True,
        )
    password_hash = await services.passwords.hash(password)
    await user_queries.set_admin(services.pool, existing.id, password_hash, display_name)
    user = await user_queries.get_user(services.pool, existing.id)
    assert user is not None
    return user
