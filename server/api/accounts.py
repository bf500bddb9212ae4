"""Accounts: register, log in and out, the current user, finding users."""

from starlette.responses import Response

from server import errors
from server.access.admission import ANY_MODERATOR, USER
from server.access.identity import SESSION_COOKIE
from server.actions import accounts
from server.api.call import Call
from server.api.declaring import ApiModule
from server.api.routing import client_address, json_response
from server.queries import users as user_queries
from server.schemas import accounts as account_schemas
from server.schemas import common as common_schemas
from server.schemas.accounts import (
    AuthResult,
    LoggedOut,
    LoggedOutEverywhere,
    LoginBody,
    Me,
    ProfilePatch,
    RegisterBody,
    Session,
    UserList,
    UserSearchQuery,
)
from server.schemas.common import UserSummary

# Enough to pick a moderator from a search; not a way to list everyone.
USER_SEARCH_LIMIT = 20


api = ApiModule(tag="accounts")


async def _me(call: Call, user: user_queries.UserRow) -> Me:
    return account_schemas.me(user, await user_queries.list_moderated_slugs(call.pool, user.id))


def _with_cookie(call: Call, result: AuthResult, token: str, status: int) -> Response:
    response = json_response(result, status)
    settings = call.services.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_ttl_secs,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    return response


@api.post(
    "/auth/register", response=AuthResult, status=201, raises=(errors.EmailTaken,), rate_limit="register"
)
async def register(call: Call, body: RegisterBody) -> Response:
    # The router has already counted this attempt against the address's
    # registration limit (rate_limit="register"), before the body is read and
    # long before the memory-hard hash: a refused flood costs the server a
    # counter increment. Considered too: a proof-of-work puzzle (costs honest
    # phones as much as attackers' servers), a CAPTCHA (a third party sees
    # every participant), email confirmation (no mail service to rely on).
    """Create an account and log in"""
    svc = call.services
    user = await accounts.register(svc, body)
    # A new account starts logged in; failed-login limits are for guessing, not this.
    token = await accounts.start_session(svc, svc.pool, user)
    return _with_cookie(call, AuthResult(token=token, user=await _me(call, user)), token, 201)


@api.post("/auth/login", response=AuthResult, raises=(errors.InvalidCredentials, errors.TooManyLoginAttempts))
async def login(call: Call, body: LoginBody) -> Response:
    """Log in: sets the session cookie, returns a bearer token"""
    token, user = await accounts.login(call.services, body, client_address(call.request))
    return _with_cookie(call, AuthResult(token=token, user=await _me(call, user)), token, 200)


@api.post("/auth/logout", response=LoggedOut)
async def logout(call: Call, _: None) -> Response:
    """End the current session"""
    who = call.viewer
    if who.token:
        await accounts.logout(call.services, who.token)
    response = json_response(LoggedOut(logged_out=True))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@api.post("/auth/logout-all", response=LoggedOutEverywhere, auth=USER, raises=(errors.NotAuthenticated,))
async def logout_all(call: Call, _: None) -> Response:
    """End every session of the account, on every device"""
    ended = await accounts.logout_everywhere(call.services, call.user)
    response = json_response(LoggedOutEverywhere(sessions_ended=ended))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# Pages anyone may read ask this first: an anonymous reader is no error (no 401 logged).
@api.get("/auth/session")
async def get_session(call: Call, _: None) -> Session:
    """The current user, or null"""
    user = call.viewer.user
    return Session(user=await _me(call, user) if user else None)


@api.get("/me", auth=USER, raises=(errors.NotAuthenticated,))
async def get_me(call: Call, _: None) -> Me:
    """The current user"""
    return await _me(call, call.user)


@api.patch("/me", auth=USER, raises=(errors.NotAuthenticated, errors.WrongPassword))
async def patch_me(call: Call, body: ProfilePatch) -> Me:
    """Edit the current user's profile, or change the password"""
    who = call.viewer
    assert who.user is not None and who.token is not None, "the router admits only users here"
    return await _me(call, await accounts.update_profile(call.services, who.user, who.token, body))


@api.get("/users", query=UserSearchQuery, auth=ANY_MODERATOR)
async def search_users(call: Call, _: None) -> UserList:
    """Find users (admins: anyone; moderators: an exact email, or their spaces' participants)"""
    query = call.query(UserSearchQuery)
    who = call.viewer
    pool = call.pool
    if who.is_admin:
        found = await user_queries.search_users(pool, query.q, USER_SEARCH_LIMIT)
    else:
        # A moderator finds the people of their own spaces, or someone whose
        # email they already know, never the site's accounts by email fragment.
        found = await user_queries.search_participants_of_moderator(
            pool, who.user_id or 0, query.q, USER_SEARCH_LIMIT
        )
    return UserList(items=[common_schemas.user_summary(u) for u in found])


@api.get("/users/{handle}", raises=(errors.UserNotFound,))
async def get_user(call: Call, _: None) -> UserSummary:
    """A user's public profile"""
    user = await user_queries.get_user_by_handle(call.pool, call.request.path_params["handle"])
    if user is None:
        raise errors.UserNotFound()
    return common_schemas.user_summary(user)


# What build_api (server/app.py) calls to add this module's routes.
register_routes = api.register_routes
