"""The events log: every change writes exactly one event with the space's next seq,
in the change's own transaction; refusals write nothing."""

import asyncio
from typing import Any

import httpx

from tests.helpers import Api, assert_error, fetch_rows

# Twenty writers at once is several times the pool's size: they queue on the
# space's row lock, which is what keeps seqs gapless.
CONCURRENT_POSTS = 20
CONCURRENT_TIMEOUT_SECS = 30

# Tables an API request can write to.
TABLES = (
    "users",
    "sessions",
    "spaces",
    "space_moderators",
    "space_participants",
    "questions",
    "comments",
    "comment_revisions",
    "comment_mentions",
    "supports",
    "events",
)


async def events(database_url: str, slug: str) -> list[dict[str, Any]]:
    return await fetch_rows(
        database_url,
        """SELECT e.seq, e.type, e.public, e.moderators FROM events e JOIN spaces s ON s.id = e.space_id
           WHERE s.slug = $1 ORDER BY e.seq""",
        slug,
    )


async def snapshot(database_url: str) -> dict[str, str]:
    """Every row of every table, as one fingerprint per table."""
    result = {}
    for table in TABLES:
        rows = await fetch_rows(
            database_url,
            f"SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM {table} t",
        )
        result[table] = f"{rows[0]['n']}:{rows[0]['h']}"
    return result


async def test_each_change_writes_exactly_one_event_with_the_next_seq(api: Api, database_url: str) -> None:
    admin = await api.admin()
    moderator = await api.register("Moderator")
    sarah = await api.register("Sarah")
    bob = await api.register("Bob")
    seqs = iter(range(1, 100))

    async def one_event(type_: str, response: httpx.Response) -> dict[str, Any]:
        """The change succeeded and wrote exactly the next event, of this type."""
        seq = next(seqs)
        assert response.status_code in (200, 201), (type_, response.text)
        logged = await events(database_url, "water")
        assert [e["seq"] for e in logged] == list(range(1, seq + 1)), type_
        assert logged[-1]["type"] == type_
        assert logged[-1]["moderators"], type_
        result: dict[str, Any] = response.json()
        assert result["event_seq"] == seq, type_
        return result

    http, h, m = api.http, admin.headers, moderator.headers
    await one_event(
        "space.created", await http.post("/api/v1/spaces", json={"slug": "water", "title": "W"}, headers=h)
    )
    await one_event(
        "space.moderator_added",
        await http.post("/api/v1/spaces/water/moderators", json={"user_id": moderator.id}, headers=h),
    )
    await one_event(
        "space.opened", await http.patch("/api/v1/spaces/water", json={"status": "open"}, headers=h)
    )
    await one_event(
        "space.updated", await http.patch("/api/v1/spaces/water", json={"title": "Water"}, headers=h)
    )
    q1 = await one_event(
        "question.created",
        await http.post("/api/v1/spaces/water/questions", json={"title": "One"}, headers=m),
    )
    q2 = await one_event(
        "question.created",
        await http.post("/api/v1/spaces/water/questions", json={"title": "Two"}, headers=m),
    )
    await one_event(
        "question.updated",
        await http.patch(f"/api/v1/questions/{q1['id']}", json={"body": "More"}, headers=m),
    )
    await one_event(
        "question.moved", await http.patch(f"/api/v1/questions/{q2['id']}", json={"position": 1}, headers=m)
    )
    await one_event(
        "question.closed",
        await http.patch(f"/api/v1/questions/{q2['id']}", json={"status": "closed"}, headers=m),
    )
    await one_event(
        "question.reopened",
        await http.patch(f"/api/v1/questions/{q2['id']}", json={"status": "open"}, headers=m),
    )
    c1 = await one_event(
        "comment.created",
        await http.post(f"/api/v1/questions/{q1['id']}/comments", json={"body": "Hi"}, headers=sarah.headers),
    )
    reply = await one_event(
        "comment.created",
        await http.post(
            f"/api/v1/questions/{q1['id']}/comments",
            json={"body": "Re", "parent_id": c1["id"]},
            headers=bob.headers,
        ),
    )
    await one_event(
        "comment.edited",
        await http.patch(f"/api/v1/comments/{c1['id']}", json={"body": "Hello"}, headers=sarah.headers),
    )
    await one_event(
        "comment.deleted", await http.delete(f"/api/v1/comments/{c1['id']}", headers=sarah.headers)
    )
    await one_event(
        "space.moderator_removed",
        await http.delete(f"/api/v1/spaces/water/moderators/{moderator.id}", headers=h),
    )
    await one_event(
        "participant.invited",
        await http.post("/api/v1/spaces/water/participants", json={"user_id": bob.id}, headers=h),
    )
    last = next(seqs) - 1
    spaces = await fetch_rows(database_url, "SELECT event_seq FROM spaces WHERE slug = 'water'")
    assert spaces[0]["event_seq"] == last

    # Ephemeral or personal changes are not sequenced events.
    for response in (
        await http.post(f"/api/v1/comments/{reply['id']}/support", headers=sarah.headers),
        await http.patch("/api/v1/me", json={"display_name": "Bobby"}, headers=bob.headers),
    ):
        assert response.status_code in (200, 201), response.text
    assert [e["seq"] for e in await events(database_url, "water")] == list(range(1, last + 1))


async def test_a_drafts_events_are_for_moderators_only(api: Api, database_url: str) -> None:
    await api.space("water", status="draft")
    await api.question("water")
    logged = await events(database_url, "water")
    assert [(e["type"], e["public"]) for e in logged] == [("space.created", None), ("question.created", None)]
    assert logged[1]["moderators"]["question"]["title"] == "What works?"


async def test_refused_requests_write_no_event_and_no_row(api: Api, database_url: str) -> None:
    admin = await api.admin()
    await api.space("water", allow_participant_questions=False)
    await api.space("air")
    question = await api.question("water")
    elsewhere = await api.question("air")
    sarah = await api.register("Sarah")
    bob = await api.register("Bob")
    comment = await api.comment(sarah, question["id"])
    other = await api.comment(sarah, elsewhere["id"])
    before = await snapshot(database_url)
    qid, cid = question["id"], comment["id"]

    refusals: list[tuple[httpx.Response, int, str]] = [
        (
            await api.http.post(f"/api/v1/questions/{qid}/comments", json={"body": "x"}),
            401,
            "not_authenticated",
        ),
        (
            await api.http.post(
                f"/api/v1/questions/{qid}/comments", json={"body": "x" * 10_001}, headers=bob.headers
            ),
            422,
            "text_too_long",
        ),
        (
            await api.http.post(
                f"/api/v1/questions/{qid}/comments",
                json={"body": "x", "parent_id": other["id"]},
                headers=bob.headers,
            ),
            422,
            "parent_in_other_question",
        ),
        (
            await api.http.post(
                f"/api/v1/questions/{qid}/comments", json={"body": "x", "lang": "de"}, headers=bob.headers
            ),
            422,
            "unsupported_language",
        ),
        (
            await api.http.patch(f"/api/v1/comments/{cid}", json={"body": "Mine"}, headers=bob.headers),
            403,
            "not_author",
        ),
        (await api.http.delete(f"/api/v1/comments/{cid}", headers=bob.headers), 403, "not_author"),
        (await api.http.post(f"/api/v1/comments/{cid}/support", headers=sarah.headers), 409, "own_comment"),
        (
            await api.http.post(
                "/api/v1/spaces/water/questions", json={"title": "Mine"}, headers=bob.headers
            ),
            403,
            "participant_questions_not_allowed",
        ),
        (
            await api.http.post(
                "/api/v1/spaces/water/questions", json={"title": "Late", "position": 9}, headers=admin.headers
            ),
            422,
            "invalid_position",
        ),
        (
            await api.http.patch(f"/api/v1/questions/{qid}", json={"status": "closed"}, headers=bob.headers),
            403,
            "forbidden",
        ),
        (
            await api.http.patch("/api/v1/spaces/water", json={"title": "Mine"}, headers=bob.headers),
            403,
            "forbidden",
        ),
        (
            await api.http.post(
                "/api/v1/spaces", json={"slug": "water", "title": "Again"}, headers=admin.headers
            ),
            409,
            "slug_taken",
        ),
        (
            await api.http.post("/api/v1/spaces", json={"slug": "new", "title": "New"}, headers=bob.headers),
            403,
            "forbidden",
        ),
        (
            await api.http.post(
                "/api/v1/spaces/water/moderators", json={"user_id": bob.id}, headers=bob.headers
            ),
            403,
            "forbidden",
        ),
        (
            await api.http.post(
                "/api/v1/spaces/water/moderators", json={"user_id": 987654}, headers=admin.headers
            ),
            404,
            "user_not_found",
        ),
        (
            await api.http.post(
                "/api/v1/auth/register",
                json={"email": sarah.email, "password": "long enough", "display_name": "Dup"},
            ),
            409,
            "email_taken",
        ),
        (
            await api.http.patch("/api/v1/me", json={"display_name": "x" * 81}, headers=bob.headers),
            422,
            "text_too_long",
        ),
        (
            await api.http.post(
                "/api/v1/spaces",
                json={"slug": "evil", "title": "Evil"},
                headers=admin.headers | {"Origin": "https://evil.example"},
            ),
            403,
            "origin_not_allowed",
        ),
    ]
    for response, status, code in refusals:
        assert_error(response, status, code)
    assert await snapshot(database_url) == before


async def test_concurrent_comments_to_one_space_take_gapless_seqs_in_commit_order(
    api: Api, database_url: str
) -> None:
    await api.space("water")
    first, second = await api.question("water", "First"), await api.question("water", "Second")
    authors = [await api.register("Sarah"), await api.register("Bob")]
    before = len(await events(database_url, "water"))

    async def post(n: int) -> dict[str, Any]:
        question = (first, second)[n % 2]
        response = await api.http.post(
            f"/api/v1/questions/{question['id']}/comments",
            json={"body": f"Comment {n}"},
            headers=authors[n % 2].headers,
        )
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async with asyncio.timeout(CONCURRENT_TIMEOUT_SECS):
        posted = await asyncio.gather(*(post(n) for n in range(CONCURRENT_POSTS)))

    logged = await events(database_url, "water")
    total = before + CONCURRENT_POSTS
    assert [e["seq"] for e in logged] == list(range(1, total + 1))
    created = logged[before:]
    assert all(e["type"] == "comment.created" for e in created)
    assert sorted(c["event_seq"] for c in posted) == [e["seq"] for e in created]
    by_seq = {e["seq"]: e["public"]["comment"]["id"] for e in created}
    assert all(by_seq[c["event_seq"]] == c["id"] for c in posted)
    # Ids are taken under the space's lock, so seq order is commit order.
    assert [by_seq[s] for s in sorted(by_seq)] == sorted(by_seq.values())
    spaces = await fetch_rows(database_url, "SELECT event_seq FROM spaces WHERE slug = 'water'")
    assert spaces[0]["event_seq"] == total


async def test_a_comment_held_for_premoderation_has_no_public_payload(api: Api, database_url: str) -> None:
    await api.space("water", moderation="pre")
    moderator = await api.moderator("water")
    question = await api.question("water")
    sarah = await api.register("Sarah")
    bob = await api.register("Bob")

    held = await api.comment(sarah, question["id"], "Waiting for approval.")
    assert held["status"] == "pending"
    by_moderator = await api.comment(moderator, question["id"], "Welcome.")
    assert by_moderator["status"] == "published"

    logged = {e["seq"]: e for e in await events(database_url, "water")}
    assert logged[held["event_seq"]]["public"] is None
    assert logged[held["event_seq"]]["moderators"]["comment"]["body"] == "Waiting for approval."
    assert logged[by_moderator["event_seq"]]["public"]["comment"]["body"] == "Welcome."

    path = f"/api/v1/questions/{question['id']}/comments"
    seen: dict[str, list[int]] = {}
    for name, headers in (
        ("anonymous", {}),
        ("bob", bob.headers),
        ("sarah", sarah.headers),
        ("moderator", moderator.headers),
    ):
        seen[name] = [c["id"] for c in (await api.http.get(path, headers=headers)).json()["items"]]
    assert seen == {
        "anonymous": [by_moderator["id"]],
        "bob": [by_moderator["id"]],
        "sarah": [held["id"], by_moderator["id"]],
        "moderator": [held["id"], by_moderator["id"]],
    }
    assert_error(
        await api.http.get(f"/api/v1/comments/{held['id']}", headers=bob.headers), 404, "comment_not_found"
    )
    assert_error(
        await api.http.post(path, json={"body": "Re", "parent_id": held["id"]}, headers=bob.headers),
        422,
        "parent_not_found",
    )
    assert (await api.http.get(f"/api/v1/questions/{question['id']}")).json()["comment_count"] == 1
