"""Ending live connections that lost their right to be open.

A connection whose screen token (server/access/identity.py) is revoked, whose
user is suspended, or whose session ended (logout, logout everywhere, a password
change, expiry) is closed with 4001: at once on the process that made the change,
and by every process's scheduler within its interval (server/running/scheduler.py).
"""

from server.access.identity import token_hash
from server.live import messages
from server.live.connections import LiveConnection
from server.queries import restrictions as restriction_queries
from server.queries import screens as screen_queries
from server.queries import users as user_queries
from server.running.services import Services


def _close(connection: LiveConnection) -> None:
    connection.outbox.push(messages.error_frame("unauthorized"))
    connection.outbox.close(messages.CLOSE_UNAUTHORIZED, messages.CLOSE_CODES[messages.CLOSE_UNAUTHORIZED])


def _close_each(closing: list[LiveConnection]) -> int:
    for connection in closing:
        _close(connection)
    return len(closing)


def _live_connections(services: Services) -> list[LiveConnection]:
    if services.hub is None:
        return []
    return [c for c in services.hub.connections() if isinstance(c, LiveConnection)]


def close_screen_connections(services: Services, token_id: int) -> int:
    """Close this process's connections that use the screen token; return how many."""
    return _close_each(
        [c for c in _live_connections(services) if c.viewer.screen and c.viewer.screen.token_id == token_id]
    )


def close_user_connections(services: Services, user_id: int, keep_token: str | None = None) -> int:
    """Close this process's connections of the user, but those opened with `keep_token`."""
    return _close_each(
        [
            c
            for c in _live_connections(services)
            if c.viewer.user_id == user_id and (keep_token is None or c.viewer.token != keep_token)
        ]
    )


def close_session_connections(services: Services, token: str) -> int:
    """Close this process's connections opened with this session's token; return how many."""
    return _close_each([c for c in _live_connections(services) if c.viewer.token == token])


async def close_lapsed_connections(services: Services) -> int:
    """Close this process's connections of revoked screen tokens, suspended users
    and sessions that ended or expired.

    The change that revoked, suspended or logged out closed those on its own
    process; this finds the ones on every other process, any a lost message
    missed, and sessions that simply ran out of time.
    """
    connections = _live_connections(services)
    screen_ids = {c.viewer.screen.token_id for c in connections if c.viewer.screen}
    user_ids = {c.viewer.user_id for c in connections if c.viewer.user_id is not None}
    sessions = {c.viewer.token: token_hash(c.viewer.token) for c in connections if c.viewer.token}
    if not screen_ids and not user_ids:
        return 0
    pool = services.pool
    revoked = await screen_queries.list_revoked(pool, sorted(screen_ids)) if screen_ids else set()
    suspended = await restriction_queries.list_suspended(pool, sorted(user_ids)) if user_ids else set()
    live_sessions = (
        await user_queries.list_live_sessions(pool, list(sessions.values())) if sessions else set()
    )
    closed = 0
    for connection in connections:
        screen = connection.viewer.screen
        token = connection.viewer.token
        lapsed = (
            (screen and screen.token_id in revoked)
            or connection.viewer.user_id in suspended
            or (token is not None and sessions[token] not in live_sessions)
        )
        if lapsed and not connection.outbox.closed:
            _close(connection)
            closed += 1
    return closed
