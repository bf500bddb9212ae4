"""Comments: posting and replying, editing with revisions, tombstones, support,
paginated threads, mentions and safe rendering."""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import httpx

from server.render import COMMENT_TAGS
from tests.helpers import Api, User, assert_error, fetch_rows


async def post(api: Api, user: User | None, question_id: int | str, **body: Any) -> httpx.Response:
    return await api.http.post(
        f"/api/v1/questions/{question_id}/comments",
        json={"body": "My view."} | body,
        headers=user.headers if user else {},
    )


async def thread(api: Api, question_id: int, user: User | None = None, **params: Any) -> list[dict[str, Any]]:
    response = await api.http.get(
        f"/api/v1/questions/{question_id}/comments", params=params, headers=user.headers if user else {}
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def count_rows(database_url: str) -> tuple[int, int]:
    rows = await fetch_rows(
        database_url, "SELECT (SELECT count(*) FROM comments) AS c, (SELECT count(*) FROM events) AS e"
    )
    return int(rows[0]["c"]), int(rows[0]["e"])


# ---- Posting and replying ----------------------------------------------------------------------


async def test_a_participant_comments_and_replies_at_any_depth(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register("Sarah Doyel", affiliation="IOM")
    jean = await api.register("Jean Martin", affiliation=None, language="fr")

    root = (await post(api, sarah, question["id"], body="Early warning *works*.")).json()
    assert root["depth"] == 0 and root["parent_id"] is None
    assert root["author"] == {
        "id": sarah.id,
        "display_name": "Sarah Doyel",
        "handle": "sarah_doyel",
        "affiliation": "IOM",
    }
    assert root["html"] == "<p>Early warning <em>works</em>.</p>"
    assert (root["lang"], root["status"], root["support_count"]) == ("en", "published", 0)
    assert root["edited_at"] is None and root["deleted_at"] is None
    assert datetime.fromisoformat(root["created_at"]) <= datetime.now(UTC)

    parent = root
    for depth in (1, 2, 3):
        author = jean if depth % 2 else sarah
        response = await post(api, author, question["id"], body=f"Level {depth}", parent_id=parent["id"])
        assert response.status_code == 201, response.text
        reply = response.json()
        assert (reply["depth"], reply["parent_id"]) == (depth, parent["id"])
        parent = reply
    assert [c["depth"] for c in await thread(api, question["id"])] == [0, 1, 2, 3]
    assert (await api.http.get(f"/api/v1/questions/{question['id']}")).json()["comment_count"] == 4
    one = await api.http.get(f"/api/v1/comments/{parent['id']}")
    assert one.status_code == 200 and one.json()["body"] == "Level 3"


async def test_the_language_defaults_to_the_authors_and_may_be_declared(api: Api) -> None:
    await api.space("water", languages=["en", "fr", "es"])
    question = await api.question("water")
    jean = await api.register("Jean", language="fr")
    assert (await post(api, jean, question["id"])).json()["lang"] == "fr"
    assert (await post(api, jean, question["id"], lang="es")).json()["lang"] == "es"


async def test_each_bad_comment_gets_its_own_error_and_writes_nothing(api: Api, database_url: str) -> None:
    await api.space("water", languages=["en", "fr"])
    await api.space("air")
    question = await api.question("water")
    elsewhere = await api.question("air")
    sarah = await api.register("Sarah")
    german = await api.register("Dieter", language="de")
    other_parent = (await post(api, sarah, elsewhere["id"])).json()
    before = await count_rows(database_url)

    qid = question["id"]
    cases: list[tuple[str, httpx.Response, int, str]] = [
        ("logged out", await post(api, None, qid), 401, "not_authenticated"),
        (
            "bad token",
            await api.http.post(
                f"/api/v1/questions/{qid}/comments",
                json={"body": "x"},
                headers={"Authorization": "Bearer nope"},
            ),
            401,
            "not_authenticated",
        ),
        ("over-long", await post(api, sarah, qid, body="x" * 10_001), 422, "text_too_long"),
        ("blank", await post(api, sarah, qid, body=" \n\t "), 422, "invalid_body"),
        ("empty", await post(api, sarah, qid, body=""), 422, "invalid_body"),
        (
            "no body",
            await api.http.post(
                f"/api/v1/questions/{qid}/comments", json={"lang": "en"}, headers=sarah.headers
            ),
            422,
            "invalid_body",
        ),
        ("number body", await post(api, sarah, qid, body=42), 422, "invalid_body"),
        ("string parent", await post(api, sarah, qid, parent_id="1"), 422, "invalid_body"),
        ("unknown field", await post(api, sarah, qid, author_id=1), 422, "invalid_body"),
        ("NUL", await post(api, sarah, qid, body="a\u0000b"), 422, "invalid_body"),
        (
            "malformed",
            await api.http.post(
                f"/api/v1/questions/{qid}/comments", content=b'{"body": "x"', headers=sarah.headers
            ),
            400,
            "malformed_json",
        ),
        ("unsupported language", await post(api, sarah, qid, lang="es"), 422, "unsupported_language"),
        ("profile language not taken", await post(api, german, qid), 422, "unsupported_language"),
        ("malformed language", await post(api, sarah, qid, lang="English"), 422, "invalid_body"),
        ("unknown parent", await post(api, sarah, qid, parent_id=987654), 422, "parent_not_found"),
        (
            "parent elsewhere",
            await post(api, sarah, qid, parent_id=other_parent["id"]),
            422,
            "parent_in_other_question",
        ),
        ("unknown question", await post(api, sarah, 987654), 404, "question_not_found"),
        ("huge question id", await post(api, sarah, "99999999999999999999"), 404, "question_not_found"),
    ]
    for label, response, status, code in cases:
        assert response.status_code == status, (label, response.text)
        assert_error(response, status, code)
    assert await count_rows(database_url) == before
    assert await thread(api, qid) == []

    longest = await post(api, sarah, qid, body="x" * 10_000)
    assert longest.status_code == 201


async def test_a_reply_whose_parent_is_in_another_question_is_refused(api: Api) -> None:
    await api.space("water")
    first, second = await api.question("water", "First"), await api.question("water", "Second")
    sarah = await api.register()
    parent = (await post(api, sarah, first["id"])).json()
    response = await post(api, sarah, second["id"], parent_id=parent["id"])
    error = assert_error(response, 422, "parent_in_other_question")
    assert error["message"]
    assert await thread(api, second["id"]) == []


async def test_comments_on_a_closed_question_are_refused(api: Api) -> None:
    admin = await api.admin()
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register()
    first = (await post(api, sarah, question["id"])).json()
    await api.http.patch(
        f"/api/v1/questions/{question['id']}", json={"status": "closed"}, headers=admin.headers
    )
    assert_error(await post(api, sarah, question["id"]), 409, "question_closed")
    assert_error(await post(api, sarah, question["id"], parent_id=first["id"]), 409, "question_closed")
    # Moderators are held to it too; reading goes on.
    assert_error(await post(api, admin, question["id"]), 409, "question_closed")
    assert len(await thread(api, question["id"])) == 1


async def test_closed_and_archived_spaces_take_no_input_but_stay_readable(api: Api) -> None:
    admin = await api.admin()
    sarah = await api.register()
    for status in ("closed", "archived"):
        await api.space(status)
        question = await api.question(status)
        first = (await post(api, sarah, question["id"])).json()
        await api.http.patch(f"/api/v1/spaces/{status}", json={"status": status}, headers=admin.headers)
        assert_error(await post(api, sarah, question["id"]), 409, "space_closed")
        assert_error(await post(api, admin, question["id"]), 409, "space_closed")
        assert_error(
            await api.http.patch(
                f"/api/v1/comments/{first['id']}", json={"body": "Later"}, headers=sarah.headers
            ),
            409,
            "space_closed",
        )
        assert (await api.http.get(f"/api/v1/spaces/{status}")).json()["accepting_input"] is False
        assert [c["id"] for c in await thread(api, question["id"])] == [first["id"]]


async def test_a_space_past_its_closing_time_takes_no_input(api: Api) -> None:
    admin = await api.admin()
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register()
    past = datetime.now(UTC) - timedelta(minutes=1)
    await api.http.patch(
        "/api/v1/spaces/water",
        json={"opens_at": (past - timedelta(days=1)).isoformat(), "closes_at": past.isoformat()},
        headers=admin.headers,
    )
    assert_error(await post(api, sarah, question["id"]), 409, "space_closed")


async def test_a_space_before_its_opening_time_takes_no_input(api: Api) -> None:
    await api.space("water", opens_at=(datetime.now(UTC) + timedelta(days=1)).isoformat())
    question = await api.question("water")
    sarah = await api.register()
    error = assert_error(await post(api, sarah, question["id"]), 409, "space_not_open")
    assert "opens_at" in error["details"]
    assert (await api.http.get("/api/v1/spaces/water")).json()["accepting_input"] is False


async def test_a_draft_space_takes_no_comments(api: Api) -> None:
    admin = await api.admin()
    await api.space("water", status="draft")
    question = await api.question("water")
    sarah = await api.register()
    # Participants cannot see the draft at all; its stewards see it but cannot post yet.
    assert_error(await post(api, sarah, question["id"]), 404, "space_not_found")
    assert_error(await post(api, admin, question["id"]), 409, "space_not_open")
    assert await thread(api, question["id"], admin) == []


async def test_a_space_taken_back_to_draft_hides_its_comments_from_all_but_its_stewards(api: Api) -> None:
    admin = await api.admin()
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water")
    sarah = await api.register()
    comment = (await post(api, sarah, question["id"])).json()
    await api.http.patch("/api/v1/spaces/water", json={"status": "draft"}, headers=admin.headers)
    for headers in ({}, sarah.headers):
        for path in (f"/api/v1/comments/{comment['id']}", f"/api/v1/questions/{question['id']}/comments"):
            assert_error(await api.http.get(path, headers=headers), 404, "space_not_found")
    assert [c["id"] for c in await thread(api, question["id"], moderator)] == [comment["id"]]
    seen = await api.http.get(f"/api/v1/comments/{comment['id']}", headers=moderator.headers)
    assert seen.status_code == 200


async def test_a_logged_out_session_cannot_post(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register()
    await api.http.post("/api/v1/auth/logout", headers=sarah.headers)
    assert_error(await post(api, sarah, question["id"]), 401, "not_authenticated")


async def test_anyone_reads_comments_of_an_open_space(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register()
    posted = (await post(api, sarah, question["id"])).json()
    assert [c["id"] for c in await thread(api, question["id"])] == [posted["id"]]
    anonymous = await api.http.get(f"/api/v1/comments/{posted['id']}")
    assert anonymous.status_code == 200
    assert anonymous.json()["supported_by_me"] is False
    assert_error(await api.http.get("/api/v1/comments/987654"), 404, "comment_not_found")
    assert_error(await api.http.get("/api/v1/comments/99999999999999999999"), 404, "comment_not_found")
    assert_error(await api.http.get("/api/v1/questions/987654/comments"), 404, "question_not_found")


# ---- Editing and deleting ----------------------------------------------------------------------


async def test_editing_keeps_earlier_versions_for_the_author_and_moderators(api: Api) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water")
    sarah = await api.register()
    bob = await api.register()
    comment = (await post(api, sarah, question["id"], body="First version.")).json()

    edited = await api.http.patch(
        f"/api/v1/comments/{comment['id']}", json={"body": "Second **version**."}, headers=sarah.headers
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["body"] == "Second **version**."
    assert edited.json()["html"] == "<p>Second <strong>version</strong>.</p>"
    assert edited.json()["edited_at"] is not None
    assert edited.json()["event_seq"] is not None
    await api.http.patch(f"/api/v1/comments/{comment['id']}", json={"lang": "fr"}, headers=sarah.headers)

    for who in (sarah, moderator):
        response = await api.http.get(f"/api/v1/comments/{comment['id']}/revisions", headers=who.headers)
        assert response.status_code == 200, response.text
        assert [(r["body"], r["lang"]) for r in response.json()["items"]] == [
            ("First version.", "en"),
            ("Second **version**.", "en"),
        ]
    assert_error(
        await api.http.get(f"/api/v1/comments/{comment['id']}/revisions", headers=bob.headers),
        403,
        "forbidden",
    )
    assert_error(await api.http.get(f"/api/v1/comments/{comment['id']}/revisions"), 401, "not_authenticated")

    shown = (await thread(api, question["id"]))[0]
    assert (shown["body"], shown["lang"]) == ("Second **version**.", "fr")
    assert shown["edited_at"] is not None

    same = await api.http.patch(
        f"/api/v1/comments/{comment['id']}", json={"body": "Second **version**."}, headers=sarah.headers
    )
    assert same.status_code == 200 and same.json()["event_seq"] is None


async def test_bad_edits_are_refused_and_change_nothing(api: Api) -> None:
    await api.space("water", languages=["en", "fr"])
    question = await api.question("water")
    sarah = await api.register()
    comment = (await post(api, sarah, question["id"], body="Original.")).json()
    path = f"/api/v1/comments/{comment['id']}"
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"body": "x" * 10_001}, 422, "text_too_long"),
        ({"body": "  "}, 422, "invalid_body"),
        ({"body": None}, 422, "invalid_body"),
        ({"body": ["x"]}, 422, "invalid_body"),
        ({"lang": "es"}, 422, "unsupported_language"),
        ({"parent_id": 1}, 422, "invalid_body"),
    ]
    for body, status, code in cases:
        response = await api.http.patch(path, json=body, headers=sarah.headers)
        assert response.status_code == status, (body, response.text)
        assert_error(response, status, code)
    assert_error(await api.http.patch(path, content=b"[", headers=sarah.headers), 400, "malformed_json")
    assert_error(
        await api.http.patch("/api/v1/comments/987654", json={"body": "x"}, headers=sarah.headers),
        404,
        "comment_not_found",
    )
    unchanged = (await api.http.get(path)).json()
    assert (unchanged["body"], unchanged["edited_at"]) == ("Original.", None)


async def test_only_the_author_edits_or_deletes_a_comment(api: Api) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water")
    sarah = await api.register()
    bob = await api.register()
    comment = (await post(api, sarah, question["id"], body="Mine.")).json()
    path = f"/api/v1/comments/{comment['id']}"
    for who in (bob, moderator):
        assert_error(
            await api.http.patch(path, json={"body": "Theirs."}, headers=who.headers), 403, "not_author"
        )
        assert_error(await api.http.delete(path, headers=who.headers), 403, "not_author")
    assert_error(await api.http.patch(path, json={"body": "Theirs."}), 401, "not_authenticated")
    assert_error(await api.http.delete(path), 401, "not_authenticated")
    assert (await api.http.get(path)).json()["body"] == "Mine."


async def test_deleting_leaves_a_tombstone_that_keeps_the_replies(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register()
    bob = await api.register()
    parent = (await post(api, sarah, question["id"], body="Parent.")).json()
    reply = (await post(api, bob, question["id"], body="Reply.", parent_id=parent["id"])).json()
    await api.http.patch(f"/api/v1/comments/{parent['id']}", json={"body": "Edited."}, headers=sarah.headers)

    response = await api.http.delete(f"/api/v1/comments/{parent['id']}", headers=sarah.headers)
    assert response.status_code == 200, response.text
    tombstone = response.json()
    assert (tombstone["body"], tombstone["html"], tombstone["author"]) == (None, None, None)
    assert tombstone["status"] == "deleted" and tombstone["deleted_at"] is not None

    items = await thread(api, question["id"])
    assert [(c["id"], c["status"]) for c in items] == [(parent["id"], "deleted"), (reply["id"], "published")]
    assert items[0]["body"] is None and items[0]["author"] is None
    assert items[1]["parent_id"] == parent["id"] and items[1]["body"] == "Reply."
    # The text and its earlier versions are gone, as the author asked.
    revisions = await api.http.get(f"/api/v1/comments/{parent['id']}/revisions", headers=sarah.headers)
    assert revisions.json()["items"] == []

    path = f"/api/v1/comments/{parent['id']}"
    assert_error(await api.http.delete(path, headers=sarah.headers), 409, "comment_deleted")
    assert_error(
        await api.http.patch(path, json={"body": "Back"}, headers=sarah.headers), 409, "comment_deleted"
    )
    assert_error(await post(api, bob, question["id"], parent_id=parent["id"]), 409, "parent_not_replyable")
    assert_error(await api.http.post(f"{path}/support", headers=bob.headers), 409, "comment_deleted")


# ---- Support -----------------------------------------------------------------------------------


async def test_a_participant_supports_a_comment_once_and_may_take_it_back(api: Api) -> None:
    admin = await api.admin()
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register()
    bob = await api.register()
    comment = (await post(api, sarah, question["id"])).json()
    support = f"/api/v1/comments/{comment['id']}/support"

    first = await api.http.post(support, headers=bob.headers)
    assert first.status_code == 200, first.text
    assert (first.json()["support_count"], first.json()["supported_by_me"]) == (1, True)
    assert_error(await api.http.post(support, headers=bob.headers), 409, "already_supported")
    assert_error(await api.http.post(support, headers=sarah.headers), 409, "own_comment")
    assert_error(await api.http.post(support), 401, "not_authenticated")
    assert (await api.http.post(support, headers=admin.headers)).json()["support_count"] == 2

    seen = {
        name: (await thread(api, question["id"], who))[0]
        for name, who in (("bob", bob), ("sarah", sarah), ("admin", admin), ("anonymous", None))
    }
    assert {name: c["support_count"] for name, c in seen.items()} == dict.fromkeys(seen, 2)
    assert {name: c["supported_by_me"] for name, c in seen.items()} == {
        "bob": True,
        "sarah": False,
        "admin": True,
        "anonymous": False,
    }

    taken_back = await api.http.delete(support, headers=bob.headers)
    assert taken_back.status_code == 200
    assert (taken_back.json()["support_count"], taken_back.json()["supported_by_me"]) == (1, False)
    assert_error(await api.http.delete(support, headers=bob.headers), 409, "not_supported")
    assert_error(await api.http.delete(support), 401, "not_authenticated")
    assert_error(
        await api.http.post("/api/v1/comments/987654/support", headers=bob.headers), 404, "comment_not_found"
    )
    single = (await api.http.get(f"/api/v1/comments/{comment['id']}", headers=admin.headers)).json()
    assert (single["support_count"], single["supported_by_me"]) == (1, True)


# ---- Pagination --------------------------------------------------------------------------------


async def build_thread(api: Api, question_id: int) -> dict[str, int]:
    """Three threads: r1 (with a, a.b, and a later d), r2 (with c), r3."""
    sarah = await api.register()
    bob = await api.register()
    ids: dict[str, int] = {}

    async def add(name: str, who: User, parent: str | None = None) -> None:
        extra = {"parent_id": ids[parent]} if parent else {}
        ids[name] = (await post(api, who, question_id, body=name, **extra)).json()["id"]

    await add("r1", sarah)
    await add("a", bob, "r1")
    await add("r2", bob)
    await add("b", sarah, "a")
    await add("c", sarah, "r2")
    await add("r3", sarah)
    await add("d", bob, "r1")
    return ids


async def walk(api: Api, question_id: int, order: str, limit: int) -> list[str]:
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(20):
        params: dict[str, Any] = {"order": order, "limit": limit} | ({"cursor": cursor} if cursor else {})
        response = await api.http.get(f"/api/v1/questions/{question_id}/comments", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= limit
        seen += [c["body"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            assert len(seen) == len(set(seen)), f"a comment came twice: {seen}"
            return seen
    raise AssertionError("pagination did not end")


async def test_pages_walk_the_threads_oldest_first_with_each_reply_after_its_parent(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    await build_thread(api, question["id"])
    expected = ["r1", "a", "b", "d", "r2", "c", "r3"]
    for limit in (1, 2, 3, 7, 50):
        assert await walk(api, question["id"], "oldest", limit) == expected, limit


async def test_pages_walk_the_threads_newest_first_with_each_reply_after_its_parent(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    await build_thread(api, question["id"])
    expected = ["r3", "r2", "c", "r1", "a", "b", "d"]
    for limit in (1, 2, 3, 7, 50):
        assert await walk(api, question["id"], "newest", limit) == expected, limit


async def test_a_page_ends_with_a_cursor_only_when_more_follow(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register()
    for _ in range(2):
        await post(api, sarah, question["id"])
    exact = (await api.http.get(f"/api/v1/questions/{question['id']}/comments", params={"limit": 2})).json()
    assert len(exact["items"]) == 2 and exact["next_cursor"] is None
    empty = await api.question("water", "Empty")
    assert (await api.http.get(f"/api/v1/questions/{empty['id']}/comments")).json() == {
        "items": [],
        "next_cursor": None,
    }


async def test_bad_cursors_and_limits_are_refused(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register()
    for _ in range(2):
        await post(api, sarah, question["id"])
    path = f"/api/v1/questions/{question['id']}/comments"
    oldest_cursor = (await api.http.get(path, params={"limit": 1})).json()["next_cursor"]
    assert oldest_cursor

    for cursor in ("not-a-cursor!", "e30", "W10", "eyJvIjoib2xkZXN0IiwicCI6WyJ4Il19", "é"):
        assert_error(await api.http.get(path, params={"cursor": cursor}), 400, "invalid_cursor")
    # A cursor belongs to the order it was given out for.
    assert_error(
        await api.http.get(path, params={"cursor": oldest_cursor, "order": "newest"}), 400, "invalid_cursor"
    )
    for params in (
        {"limit": 0},
        {"limit": 201},
        {"limit": "ten"},
        {"limit": -1},
        {"order": "random"},
        {"cursor": "x" * 2_001},
        {"page": 2},
    ):
        assert_error(await api.http.get(path, params=params), 422, "invalid_query")


# ---- Mentions and rendering --------------------------------------------------------------------


class Html(HTMLParser):
    """The tags and attributes of an HTML fragment."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    @property
    def links(self) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == "a"]


async def test_mentions_of_existing_users_are_linked_and_unknown_ones_are_not(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register("Sarah Doyel")
    bob = await api.register()
    body = "Thanks @Sarah_Doyel! Ask @nobody_here, not `@sarah_doyel` or mail bob@sarah_doyel."
    comment = (await post(api, bob, question["id"], body=body)).json()
    links = Html(comment["html"]).links
    assert links == [{"href": "/#/users/sarah_doyel", "class": "mention", "rel": "nofollow ugc noopener"}]
    assert ">@sarah_doyel</a>" in comment["html"]
    assert "@nobody_here" in comment["html"]
    assert comment["body"] == body
    assert (await api.http.get("/api/v1/users/sarah_doyel")).json()["id"] == sarah.id


HOSTILE_BODIES = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1) )",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<img src=x onerror=alert(1)>",
    "![x](https://evil.example/pixel.png)",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<iframe src="https://evil.example"></iframe>',
    "<p onclick=alert(1)>raw html</p>",
    '[x](https://example.org "title" onmouseover=alert(1))',
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    "# Heading\n\n<h1>raw heading</h1>",
]


async def test_hostile_bodies_render_as_harmless_html(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register()
    for body in HOSTILE_BODIES:
        response = await post(api, sarah, question["id"], body=body)
        assert response.status_code == 201, (body, response.text)
        html = response.json()["html"]
        for tag, attrs in Html(html).tags:
            assert tag in COMMENT_TAGS, (body, html)
            for name, value in attrs.items():
                assert not name.startswith("on") and name != "style", (body, html)
                if name == "href":
                    assert value, (body, html)
                    safe = value.startswith("/") or value.split(":")[0] in ("http", "https", "mailto")
                    assert safe, (body, html)
        for link in Html(html).links:
            assert link["rel"] == "nofollow ugc noopener", (body, html)
        # The raw source is kept as written, for editing.
        assert response.json()["body"] == body.strip()


async def test_links_carry_rel_nofollow_ugc_noopener(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register()
    body = "See [the report](https://example.org/report) and <https://example.org/auto>."
    html = (await post(api, sarah, question["id"], body=body)).json()["html"]
    assert Html(html).links == [
        {"href": "https://example.org/report", "rel": "nofollow ugc noopener"},
        {"href": "https://example.org/auto", "rel": "nofollow ugc noopener"},
    ]
