"""Questions: the moderators' numbered ones, participants' own, ordering, closing."""

from typing import Any

from tests.helpers import Api, User, assert_error


async def post_question(api: Api, user: User | None, slug: str, **body: Any) -> Any:
    return await api.http.post(
        f"/api/v1/spaces/{slug}/questions",
        json={"title": "A question"} | body,
        headers=user.headers if user else {},
    )


async def numbered(api: Api, slug: str) -> list[tuple[int, int, str]]:
    listed = (await api.http.get(f"/api/v1/spaces/{slug}/questions")).json()
    return [(q["number"], q["id"], q["title"]) for q in listed["discussion"]]


async def comment(api: Api, user: User, question_id: int) -> Any:
    return await api.http.post(
        f"/api/v1/questions/{question_id}/comments", json={"body": "A view."}, headers=user.headers
    )


async def test_a_moderator_posts_numbered_questions_in_order(api: Api) -> None:
    await api.space("water")
    moderator = await api.moderator("water", "Amina Diallo")
    ids = []
    for n, title in enumerate(("Droughts?", "Rivers?", "Voices?"), start=1):
        response = await post_question(api, moderator, "water", title=title, body="Think of *examples*.")
        assert response.status_code == 201, response.text
        question = response.json()
        assert (question["number"], question["kind"], question["status"]) == (n, "discussion", "open")
        assert question["space"] == "water"
        assert question["body_html"] == "<p>Think of <em>examples</em>.</p>"
        assert question["author"]["display_name"] == "Amina Diallo"
        assert question["comment_count"] == 0
        assert question["event_seq"] is not None
        ids.append(question["id"])
    assert await numbered(api, "water") == [
        (1, ids[0], "Droughts?"),
        (2, ids[1], "Rivers?"),
        (3, ids[2], "Voices?"),
    ]
    one = await api.http.get(f"/api/v1/questions/{ids[1]}")
    assert one.status_code == 200 and one.json()["number"] == 2


async def test_inserting_at_a_position_renumbers_the_questions_after_it(api: Api) -> None:
    await api.space("water")
    first, second = (
        (await api.question("water", "First"))["id"],
        (await api.question("water", "Second"))["id"],
    )
    inserted = await api.question("water", "Inserted", position=1)
    assert inserted["number"] == 1
    middle = await api.question("water", "Middle", position=3)
    last = await api.question("water", "Last", position=5)
    assert await numbered(api, "water") == [
        (1, inserted["id"], "Inserted"),
        (2, first, "First"),
        (3, middle["id"], "Middle"),
        (4, second, "Second"),
        (5, last["id"], "Last"),
    ]


async def test_moving_a_question_reorders_the_others(api: Api) -> None:
    admin = await api.admin()
    await api.space("water")
    a, b, c = [(await api.question("water", t))["id"] for t in "ABC"]

    moved = await api.http.patch(f"/api/v1/questions/{c}", json={"position": 1}, headers=admin.headers)
    assert moved.status_code == 200, moved.text
    assert moved.json()["number"] == 1
    assert [i for _, i, _ in await numbered(api, "water")] == [c, a, b]

    await api.http.patch(f"/api/v1/questions/{c}", json={"position": 3}, headers=admin.headers)
    assert [i for _, i, _ in await numbered(api, "water")] == [a, b, c]
    await api.http.patch(f"/api/v1/questions/{a}", json={"position": 2}, headers=admin.headers)
    assert await numbered(api, "water") == [(1, b, "B"), (2, a, "A"), (3, c, "C")]


async def test_a_position_outside_the_list_is_invalid(api: Api) -> None:
    admin = await api.admin()
    await api.space("water", allow_participant_questions=True)
    a = (await api.question("water", "A"))["id"]
    await api.question("water", "B")
    assert_error(await post_question(api, admin, "water", position=4), 422, "invalid_position")
    assert_error(
        await api.http.patch(f"/api/v1/questions/{a}", json={"position": 3}, headers=admin.headers),
        422,
        "invalid_position",
    )
    for bad in (0, -1, "2", 1.5, 10_001):
        assert_error(await post_question(api, admin, "water", position=bad), 422, "invalid_body")
    participant = await api.register()
    own = (await post_question(api, participant, "water", title="Mine")).json()
    assert_error(
        await api.http.patch(f"/api/v1/questions/{own['id']}", json={"position": 1}, headers=admin.headers),
        422,
        "invalid_position",
    )
    assert (await numbered(api, "water"))[0][1] == a


async def test_a_moderator_edits_a_question(api: Api) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water", "Draft title")
    response = await api.http.patch(
        f"/api/v1/questions/{question['id']}",
        json={"title": "Final title", "body": "## Context"},
        headers=moderator.headers,
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["title"], changed["body_html"]) == ("Final title", "<h2>Context</h2>")
    assert changed["updated_at"] is not None and changed["number"] == 1
    unchanged = await api.http.patch(
        f"/api/v1/questions/{question['id']}", json={"title": "Final title"}, headers=moderator.headers
    )
    assert unchanged.json()["event_seq"] is None


async def test_bad_question_bodies_are_refused(api: Api) -> None:
    admin = await api.admin()
    await api.space("water")
    question = await api.question("water")
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({}, 422, "invalid_body"),
        ({"title": "   "}, 422, "invalid_body"),
        ({"title": 7}, 422, "invalid_body"),
        ({"title": "T" * 201}, 422, "text_too_long"),
        ({"title": "T", "body": "b" * 20_001}, 422, "text_too_long"),
        ({"title": "T", "status": "closed"}, 422, "invalid_body"),
    ]
    for body, status, code in cases:
        response = await api.http.post("/api/v1/spaces/water/questions", json=body, headers=admin.headers)
        assert response.status_code == status, (body, response.text)
        assert_error(response, status, code)
    for change in ({"title": None}, {"status": "archived"}, {"kind": "participant"}):
        response = await api.http.patch(
            f"/api/v1/questions/{question['id']}", json=change, headers=admin.headers
        )
        assert_error(response, 422, "invalid_body")
    assert len(await numbered(api, "water")) == 1


async def test_unknown_questions_are_not_found(api: Api) -> None:
    admin = await api.admin()
    for question_id in ("987654", "99999999999999999999"):
        assert_error(await api.http.get(f"/api/v1/questions/{question_id}"), 404, "question_not_found")
        assert_error(
            await api.http.patch(
                f"/api/v1/questions/{question_id}", json={"title": "T"}, headers=admin.headers
            ),
            404,
            "question_not_found",
        )
    assert_error(await post_question(api, admin, "nowhere"), 404, "space_not_found")


async def test_closing_a_question_stops_comments_and_reopening_restarts_them(api: Api) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    participant = await api.register()
    question = await api.question("water")

    closed = await api.http.patch(
        f"/api/v1/questions/{question['id']}", json={"status": "closed"}, headers=moderator.headers
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert_error(await comment(api, participant, question["id"]), 409, "question_closed")
    assert (await api.http.get(f"/api/v1/questions/{question['id']}")).json()["status"] == "closed"

    reopened = await api.http.patch(
        f"/api/v1/questions/{question['id']}", json={"status": "open"}, headers=moderator.headers
    )
    assert reopened.json()["status"] == "open"
    assert (await comment(api, participant, question["id"])).status_code == 201
    listed = (await api.http.get("/api/v1/spaces/water/questions")).json()
    assert listed["discussion"][0]["comment_count"] == 1


async def test_only_moderators_post_move_close_or_edit_discussion_questions(api: Api) -> None:
    await api.space("water", allow_participant_questions=True)
    question = await api.question("water")
    participant = await api.register()
    assert_error(await post_question(api, None, "water"), 401, "not_authenticated")
    assert_error(await post_question(api, participant, "water", position=1), 403, "forbidden")
    for change in ({"status": "closed"}, {"position": 1}, {"title": "Mine now"}):
        response = await api.http.patch(
            f"/api/v1/questions/{question['id']}", json=change, headers=participant.headers
        )
        assert_error(response, 403, "forbidden")
        assert_error(
            await api.http.patch(f"/api/v1/questions/{question['id']}", json=change), 401, "not_authenticated"
        )
    unchanged = (await api.http.get(f"/api/v1/questions/{question['id']}")).json()
    assert (unchanged["title"], unchanged["status"]) == ("What works?", "open")


async def test_participants_pose_their_own_questions_where_the_space_allows(api: Api) -> None:
    await api.space("water", allow_participant_questions=True)
    numbered_question = await api.question("water", "Numbered")
    participant = await api.register("Priya Raman", affiliation="Farmers Alliance")
    other = await api.register()

    response = await post_question(api, participant, "water", title="What about groundwater?")
    assert response.status_code == 201, response.text
    own = response.json()
    assert (own["kind"], own["number"]) == ("participant", None)
    assert own["author"]["display_name"] == "Priya Raman"

    listed = (await api.http.get("/api/v1/spaces/water/questions")).json()
    assert [q["id"] for q in listed["discussion"]] == [numbered_question["id"]]
    assert [q["id"] for q in listed["participant"]] == [own["id"]]
    # Participants' questions take comments and replies like any other.
    first = await comment(api, other, own["id"])
    assert first.status_code == 201
    reply = await api.http.post(
        f"/api/v1/questions/{own['id']}/comments",
        json={"body": "Indeed.", "parent_id": first.json()["id"]},
        headers=participant.headers,
    )
    assert reply.status_code == 201


async def test_participant_questions_are_refused_where_the_space_does_not_take_them(api: Api) -> None:
    await api.space("water")
    participant = await api.register()
    assert_error(await post_question(api, participant, "water"), 403, "participant_questions_not_allowed")
    listed = (await api.http.get("/api/v1/spaces/water/questions")).json()
    assert listed == {"discussion": [], "participant": []}


async def test_a_participant_edits_their_own_question_but_cannot_close_it(api: Api) -> None:
    await api.space("water", allow_participant_questions=True)
    author = await api.register()
    other = await api.register()
    own = (await post_question(api, author, "water", title="Groundwater?")).json()

    edited = await api.http.patch(
        f"/api/v1/questions/{own['id']}", json={"title": "What about groundwater?"}, headers=author.headers
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["title"] == "What about groundwater?"
    assert_error(
        await api.http.patch(
            f"/api/v1/questions/{own['id']}", json={"status": "closed"}, headers=author.headers
        ),
        403,
        "forbidden",
    )
    assert_error(
        await api.http.patch(
            f"/api/v1/questions/{own['id']}", json={"title": "Hijacked"}, headers=other.headers
        ),
        403,
        "forbidden",
    )
    # The space's moderators may close it.
    admin = await api.admin()
    closed = await api.http.patch(
        f"/api/v1/questions/{own['id']}", json={"status": "closed"}, headers=admin.headers
    )
    assert closed.json()["status"] == "closed"
    assert closed.json()["title"] == "What about groundwater?"


async def test_questions_of_a_draft_space_are_hidden_from_participants(api: Api) -> None:
    await api.space("water", status="draft")
    moderator = await api.moderator("water")
    participant = await api.register()
    # Moderators prepare a draft's questions before it opens.
    question = (await post_question(api, moderator, "water")).json()
    assert question["number"] == 1
    assert_error(await api.http.get(f"/api/v1/questions/{question['id']}"), 404, "space_not_found")
    assert_error(
        await api.http.get(f"/api/v1/questions/{question['id']}", headers=participant.headers),
        404,
        "space_not_found",
    )
    assert_error(await post_question(api, participant, "water"), 404, "space_not_found")
    seen = await api.http.get(f"/api/v1/questions/{question['id']}", headers=moderator.headers)
    assert seen.status_code == 200
