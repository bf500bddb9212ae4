"""Shortcuts shared by the stewarding tests."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from websockets.exceptions import ConnectionClosed

from tests.helpers import Api, User, fetch_rows
from tests.live import LiveClient


def soon(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def as_admin(api: Api, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
    admin = await api.admin()
    return await api.http.request(method, path, json=body, headers=admin.headers)


async def counts(database_url: str) -> dict[str, Any]:
    """Rows of everything a refused write must not touch."""
    rows = await fetch_rows(
        database_url,
        """SELECT (SELECT count(*) FROM comments) AS comments, (SELECT count(*) FROM events) AS events,
                  (SELECT count(*) FROM questions) AS questions, (SELECT count(*) FROM supports) AS supports,
                  (SELECT count(*) FROM audit_log) AS audit,
                  (SELECT count(*) FROM space_participants) AS invited,
                  (SELECT coalesce(sum(uses), 0) FROM invitation_links) AS uses,
                  (SELECT string_agg(body, '|' ORDER BY id) FROM comments) AS bodies""",
    )
    return rows[0]


async def close_code(live: LiveClient, timeout: float = 5) -> int:
    """Read until the server closes the connection; its close code."""
    async with asyncio.timeout(timeout):
        try:
            while True:
                await live.ws.recv()
        except ConnectionClosed as closed:
            assert closed.rcvd is not None
            return closed.rcvd.code


async def post_comment(
    api: Api, user: User | None, question_id: int, body: str = "My view."
) -> httpx.Response:
    return await api.http.post(
        f"/api/v1/questions/{question_id}/comments", json={"body": body}, headers=user.headers if user else {}
    )


async def screen_token(api: Api, slug: str, name: str = "Wall") -> dict[str, Any]:
    return await ok(await as_admin(api, "POST", f"/api/v1/spaces/{slug}/screens", {"name": name}), 201)


async def group_into_theme(database_url: str, question_id: int, name: str, comment_ids: list[int]) -> int:
    """A theme holding these comments, written as the keeper would (without embedding them)."""
    [theme] = await fetch_rows(
        database_url,
        """INSERT INTO themes (question_id, space_id, name, centre)
           SELECT id, space_id, $2, '{0}' FROM questions WHERE id = $1 RETURNING id""",
        question_id,
        name,
    )
    for similarity, comment_id in enumerate(reversed(comment_ids)):
        await fetch_rows(
            database_url,
            """INSERT INTO theme_members (comment_id, question_id, theme_id, similarity)
               VALUES ($1, $2, $3, $4)""",
            comment_id,
            question_id,
            theme["id"],
            similarity,
        )
    theme_id: int = theme["id"]
    return theme_id
