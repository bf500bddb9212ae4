"""Registering, logging in and out, profiles, and creating admins."""

import re
import unicodedata

import asyncpg

from server import errors
from server.access.identity import hash_password, new_token, token_hash, verify_password
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
    password_hash = await hash_password(password)
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

    Failures are counted per account and per address; past the limit within
    the window, even a right password is refused until the window passes.
    """
    settings = services.settings
    account_key = "account:" + body.email.lower()
    address_key = "address:" + address
    pool = services.pool
    window = settings.login_window_secs
    if (
        await user_queries.count_login_failures(pool, account_key, window)
        >= settings.login_max_failures_per_account
        or await user_queries.count_login_failures(pool, address_key, window)
        >= settings.login_max_failures_per_address
    ):
        raise errors.TooManyLoginAttempts(details={"retry_after_secs": window})
    user = await user_queries.get_user_by_email(pool, body.email)
    if not await verify_password(user.password_hash if user else None, body.password) or not user:
        async with pool.acquire() as conn, conn.transaction():
            await user_queries.insert_login_failure(conn, account_key)
            await user_queries.insert_login_failure(conn, address_key)
        raise errors.InvalidCredentials()
    if await restriction_queries.is_suspended(pool, user.id):
        raise errors.AccountSuspended()
    async with pool.acquire() as conn, conn.transaction():
        await user_queries.delete_login_failures(conn, account_key)
        token = await start_session(services, conn, user)
    return token, user


async def start_session(services: Services, db: Executor, user: UserRow) -> str:
    """A new session for the user; return its token."""
    token = new_token()
    await user_queries.insert_session(db, token_hash(token), user.id, services.settings.session_ttl_secs)
    return token


async def logout(services: Services, token: str) -> None:
    await user_queries.delete_session(services.pool, token_hash(token))


async def update_profile(services: Services, user: UserRow, body: ProfilePatch) -> UserRow:
    sent = body.model_fields_set
    return await user_queries.update_profile(
        services.pool,
        user.id,
        display_name=body.display_name if body.display_name is not None else user.display_name,
        affiliation=(body.affiliation or None) if "affiliation" in sent else user.affiliation,
        language=body.language or user.language,
    )


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
    await user_queries.set_admin(services.pool, existing.id, await hash_password(password), display_name)
    user = await user_queries.get_user(services.pool, existing.id)
    assert user is not None
    return user
