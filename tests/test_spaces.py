"""Spaces: creating and changing them, who sees drafts, moderators and invitations."""

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.helpers import Api, User, assert_error, fetch_rows


def slugs(response_body: dict[str, Any]) -> list[str]:
    return [s["slug"] for s in response_body["items"]]


async def count_spaces(database_url: str) -> int:
    return int((await fetch_rows(database_url, "SELECT count(*) AS n FROM spaces"))[0]["n"])


# ---- Creating ------------------------------------------------------------------------------------


async def test_an_admin_creates_a_space_with_defaults_and_anyone_reads_it_once_open(api: Api) -> None:
    admin = await api.admin()
    response = await api.http.post(
        "/api/v1/spaces",
        json={
            "slug": "water",
            "title": "Water security",
            "intro": "Ministers **meet** in spring.",
            "contact": "secretariat@example.org",
            "disclaimer": "Views are the participants' own.",
        },
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text
    space = response.json()
    assert space["slug"] == "water" and space["title"] == "Water security"
    assert space["intro_html"] == "<p>Ministers <strong>meet</strong> in spring.</p>"
    assert space["languages"] == ["en", "fr", "es"]
    assert (space["status"], space["posting"], space["moderation"]) == ("draft", "registered", "post")
    assert space["allow_participant_questions"] is False
    assert space["moderators"] == []
    assert space["my_role"] == "admin"
    assert space["event_seq"] == 1 and space["seq"] == 1
    assert space["accepting_input"] is False  # a draft takes no input yet

    opened = await api.http.patch("/api/v1/spaces/water", json={"status": "open"}, headers=admin.headers)
    assert opened.json()["accepting_input"] is True
    public = await api.http.get("/api/v1/spaces/water")
    assert public.status_code == 200
    assert public.json()["my_role"] == "anonymous"
    assert public.json()["contact"] == "secretariat@example.org"
    assert slugs((await api.http.get("/api/v1/spaces")).json()) == ["water"]


async def test_only_admins_create_spaces(api: Api, database_url: str) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    participant = await api.register()
    body = {"slug": "air", "title": "Air"}
    assert_error(await api.http.post("/api/v1/spaces", json=body), 401, "not_authenticated")
    for who in (participant, moderator):
        assert_error(await api.http.post("/api/v1/spaces", json=body, headers=who.headers), 403, "forbidden")
    assert await count_spaces(database_url) == 1


async def test_a_taken_slug_is_refused(api: Api, database_url: str) -> None:
    admin = await api.admin()
    await api.space("water")
    response = await api.http.post(
        "/api/v1/spaces", json={"slug": "water", "title": "Another"}, headers=admin.headers
    )
    assert_error(response, 409, "slug_taken")
    assert await count_spaces(database_url) == 1


async def test_bad_space_bodies_are_refused_and_write_nothing(api: Api, database_url: str) -> None:
    admin = await api.admin()
    soon = datetime.now(UTC) + timedelta(days=1)
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"slug": "Water Space", "title": "T"}, 422, "invalid_body"),
        ({"slug": "-water", "title": "T"}, 422, "invalid_body"),
        ({"slug": "water_space", "title": "T"}, 422, "invalid_body"),
        ({"slug": "", "title": "T"}, 422, "invalid_body"),
        ({"slug": "w" * 65, "title": "T"}, 422, "text_too_long"),
        ({"slug": "water"}, 422, "invalid_body"),
        ({"slug": "water", "title": "  "}, 422, "invalid_body"),
        ({"slug": "water", "title": "T" * 201}, 422, "text_too_long"),
        ({"slug": "water", "title": "T", "intro": "x" * 100_001}, 422, "text_too_long"),
        ({"slug": "water", "title": "T", "status": "published"}, 422, "invalid_body"),
        ({"slug": "water", "title": "T", "languages": []}, 422, "invalid_body"),
        ({"slug": "water", "title": "T", "languages": ["English"]}, 422, "invalid_body"),
        ({"slug": "water", "title": "T", "allow_participant_questions": "yes"}, 422, "invalid_body"),
        ({"slug": "water", "title": "T", "owner": "me"}, 422, "invalid_body"),
        ({"slug": "water", "title": "T", "opens_at": "soon"}, 422, "invalid_body"),
        # Times PostgreSQL cannot hold, and times outside any consultation's era.
        ({"slug": "water", "title": "T", "opens_at": "0001-01-01T00:00:00+14:00"}, 422, "invalid_body"),
        ({"slug": "water", "title": "T", "closes_at": "9999-12-31T23:59:59-14:00"}, 422, "invalid_body"),
        ({"slug": "water", "title": "T", "opens_at": "1900-01-01T00:00:00Z"}, 422, "invalid_body"),
        # A time without a zone is ambiguous.
        ({"slug": "water", "title": "T", "opens_at": "2030-01-01T09:00:00"}, 422, "invalid_body"),
        (
            {
                "slug": "water",
                "title": "T",
                "opens_at": "2030-01-01T09:00:00",
                "closes_at": "2030-02-01T09:00:00Z",
            },
            422,
            "invalid_body",
        ),
        (
            {
                "slug": "water",
                "title": "T",
                "opens_at": soon.isoformat(),
                "closes_at": (soon - timedelta(hours=1)).isoformat(),
            },
            422,
            "invalid_body",
        ),
        (
            {"slug": "water", "title": "T", "opens_at": soon.isoformat(), "closes_at": soon.isoformat()},
            422,
            "invalid_body",
        ),
    ]
    for body, status, code in cases:
        response = await api.http.post("/api/v1/spaces", json=body, headers=admin.headers)
        assert response.status_code == status, (body, response.text)
        assert_error(response, status, code)
    assert_error(
        await api.http.post("/api/v1/spaces", content=b"{'slug'", headers=admin.headers),
        400,
        "malformed_json",
    )
    assert await count_spaces(database_url) == 0


async def test_closes_at_before_opens_at_is_refused_on_change_too(api: Api) -> None:
    admin = await api.admin()
    opens = datetime.now(UTC) + timedelta(days=1)
    await api.space("water", opens_at=opens.isoformat())
    response = await api.http.patch(
        "/api/v1/spaces/water",
        json={"closes_at": (opens - timedelta(days=2)).isoformat()},
        headers=admin.headers,
    )
    assert_error(response, 422, "invalid_body")
    naive = await api.http.patch(
        "/api/v1/spaces/water", json={"closes_at": "2031-01-01T00:00:00"}, headers=admin.headers
    )
    assert_error(naive, 422, "invalid_body")
    assert (await api.http.get("/api/v1/spaces/water")).json()["closes_at"] is None


async def test_an_unknown_space_is_not_found(api: Api) -> None:
    assert_error(await api.http.get("/api/v1/spaces/nowhere"), 404, "space_not_found")
    admin = await api.admin()
    assert_error(
        await api.http.patch("/api/v1/spaces/nowhere", json={"title": "T"}, headers=admin.headers),
        404,
        "space_not_found",
    )


# ---- Drafts ------------------------------------------------------------------------------------


async def test_a_draft_is_visible_only_to_admins_and_its_moderators(api: Api) -> None:
    await api.space("draft", status="draft")
    await api.space("open", status="open")
    await api.space("elsewhere", status="open")
    moderator = await api.moderator("draft")
    other_moderator = await api.moderator("elsewhere")
    participant = await api.register()
    admin = await api.admin()

    for who in (None, participant, other_moderator):
        headers = who.headers if who else {}
        assert_error(await api.http.get("/api/v1/spaces/draft", headers=headers), 404, "space_not_found")
        assert_error(
            await api.http.get("/api/v1/spaces/draft/questions", headers=headers), 404, "space_not_found"
        )
        listed = slugs((await api.http.get("/api/v1/spaces", headers=headers)).json())
        assert "draft" not in listed and "open" in listed

    for who, role in ((moderator, "moderator"), (admin, "admin")):
        response = await api.http.get("/api/v1/spaces/draft", headers=who.headers)
        assert response.status_code == 200
        assert response.json()["my_role"] == role
        assert "draft" in slugs((await api.http.get("/api/v1/spaces", headers=who.headers)).json())


async def test_the_space_list_is_newest_first_with_each_callers_role(api: Api) -> None:
    await api.space("first")
    await api.space("second")
    moderator = await api.moderator("first")
    items = (await api.http.get("/api/v1/spaces", headers=moderator.headers)).json()["items"]
    assert [(s["slug"], s["my_role"]) for s in items] == [("second", "participant"), ("first", "moderator")]


# ---- Changing ----------------------------------------------------------------------------------


async def test_moderators_and_admins_change_a_space_and_others_may_not(api: Api) -> None:
    await api.space("water", title="Water")
    moderator = await api.moderator("water")
    participant = await api.register()
    admin = await api.admin()

    by_moderator = await api.http.patch(
        "/api/v1/spaces/water",
        json={"title": "Water security", "languages": ["en", "fr"]},
        headers=moderator.headers,
    )
    assert by_moderator.status_code == 200, by_moderator.text
    assert by_moderator.json()["title"] == "Water security"
    assert by_moderator.json()["languages"] == ["en", "fr"]
    assert by_moderator.json()["event_seq"] is not None

    by_admin = await api.http.patch(
        "/api/v1/spaces/water",
        json={"intro": "# Background", "allow_participant_questions": True},
        headers=admin.headers,
    )
    assert by_admin.status_code == 200
    assert by_admin.json()["intro_html"] == "<h1>Background</h1>"
    assert by_admin.json()["allow_participant_questions"] is True

    assert_error(
        await api.http.patch("/api/v1/spaces/water", json={"title": "Mine"}, headers=participant.headers),
        403,
        "forbidden",
    )
    assert_error(
        await api.http.patch("/api/v1/spaces/water", json={"title": "Mine"}), 401, "not_authenticated"
    )
    assert (await api.http.get("/api/v1/spaces/water")).json()["title"] == "Water security"


async def test_a_change_with_nothing_new_produces_no_event(api: Api) -> None:
    admin = await api.admin()
    await api.space("water")
    response = await api.http.patch("/api/v1/spaces/water", json={}, headers=admin.headers)
    assert response.status_code == 200
    assert response.json()["event_seq"] is None


async def test_an_explicit_null_in_a_space_change_is_refused_after_access_and_before_any_change(
    api: Api,
) -> None:
    await api.space("water", title="Water", intro="Ministers meet.")
    moderator = await api.moderator("water")
    participant = await api.register()
    for field in ("intro", "title", "contact", "disclaimer", "languages", "moderation"):
        anonymous = await api.http.patch("/api/v1/spaces/water", json={field: None})
        assert_error(anonymous, 401, "not_authenticated")
        refused = await api.http.patch(
            "/api/v1/spaces/water", json={field: None}, headers=participant.headers
        )
        assert_error(refused, 403, "forbidden")
        invalid = await api.http.patch("/api/v1/spaces/water", json={field: None}, headers=moderator.headers)
        assert_error(invalid, 422, "invalid_body")
        assert invalid.json()["error"]["details"][0]["loc"] == [field]
    space = (await api.http.get("/api/v1/spaces/water")).json()
    assert (space["title"], space["intro"]) == ("Water", "Ministers meet.")


async def test_null_clears_a_space_window_time(api: Api) -> None:
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    await api.space("water", closes_at=later)
    admin = await api.admin()
    cleared = await api.http.patch("/api/v1/spaces/water", json={"closes_at": None}, headers=admin.headers)
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["closes_at"] is None


async def test_bad_space_changes_are_refused(api: Api) -> None:
    admin = await api.admin()
    await api.space("water", title="Water")
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"title": None}, 422, "invalid_body"),
        ({"status": None}, 422, "invalid_body"),
        ({"title": 5}, 422, "invalid_body"),
        ({"title": "T" * 201}, 422, "text_too_long"),
        ({"slug": "renamed"}, 422, "invalid_body"),
        ({"status": "gone"}, 422, "invalid_body"),
    ]
    for body, status, code in cases:
        response = await api.http.patch("/api/v1/spaces/water", json=body, headers=admin.headers)
        assert response.status_code == status, (body, response.text)
        assert_error(response, status, code)
    assert (await api.http.get("/api/v1/spaces/water")).json()["title"] == "Water"


# ---- Moderators --------------------------------------------------------------------------------


async def test_an_admin_names_and_removes_moderators_and_the_space_shows_them(api: Api) -> None:
    admin = await api.admin()
    await api.space("water")
    amina = await api.register("Amina Diallo", affiliation="Secretariat")

    added = await api.http.post(
        "/api/v1/spaces/water/moderators", json={"user_id": amina.id}, headers=admin.headers
    )
    assert added.status_code == 201, added.text
    assert added.json()["user"]["display_name"] == "Amina Diallo"
    assert added.json()["event_seq"] is not None
    space = (await api.http.get("/api/v1/spaces/water")).json()
    assert [(m["id"], m["display_name"], m["affiliation"]) for m in space["moderators"]] == [
        (amina.id, "Amina Diallo", "Secretariat")
    ]
    mine = (await api.http.get("/api/v1/spaces/water", headers=amina.headers)).json()
    assert mine["my_role"] == "moderator"

    again = await api.http.post(
        "/api/v1/spaces/water/moderators", json={"user_id": amina.id}, headers=admin.headers
    )
    assert again.status_code == 201 and again.json()["event_seq"] is None

    removed = await api.http.delete(f"/api/v1/spaces/water/moderators/{amina.id}", headers=admin.headers)
    assert removed.status_code == 200
    assert (await api.http.get("/api/v1/spaces/water")).json()["moderators"] == []
    mine = (await api.http.get("/api/v1/spaces/water", headers=amina.headers)).json()
    assert mine["my_role"] == "participant"


async def test_only_admins_name_or_remove_moderators(api: Api) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    participant = await api.register()
    add = {"user_id": participant.id}
    for who, status, code in (
        (None, 401, "not_authenticated"),
        (participant, 403, "forbidden"),
        (moderator, 403, "forbidden"),
    ):
        headers = who.headers if who else {}
        assert_error(
            await api.http.post("/api/v1/spaces/water/moderators", json=add, headers=headers), status, code
        )
        assert_error(
            await api.http.delete(f"/api/v1/spaces/water/moderators/{moderator.id}", headers=headers),
            status,
            code,
        )
    moderators = (await api.http.get("/api/v1/spaces/water")).json()["moderators"]
    assert [m["id"] for m in moderators] == [moderator.id]


async def test_naming_an_unknown_user_as_moderator_is_refused(api: Api) -> None:
    admin = await api.admin()
    await api.space("water")
    for user_id in (987654, 2**63 - 1):
        response = await api.http.post(
            "/api/v1/spaces/water/moderators", json={"user_id": user_id}, headers=admin.headers
        )
        assert_error(response, 404, "user_not_found")
    for bad in (0, -1, "5", None, 2**63):
        response = await api.http.post(
            "/api/v1/spaces/water/moderators", json={"user_id": bad}, headers=admin.headers
        )
        assert_error(response, 422, "invalid_body")
    assert_error(
        await api.http.delete("/api/v1/spaces/water/moderators/99999999999999999999", headers=admin.headers),
        404,
        "user_not_found",
    )
    assert_error(
        await api.http.post(
            "/api/v1/spaces/nowhere/moderators", json={"user_id": admin.id}, headers=admin.headers
        ),
        404,
        "space_not_found",
    )


# ---- Invitations -------------------------------------------------------------------------------


async def comment_on(api: Api, user: User, question_id: int) -> Any:
    return await api.http.post(
        f"/api/v1/questions/{question_id}/comments", json={"body": "My view."}, headers=user.headers
    )


async def test_an_invitation_only_space_takes_input_from_invited_participants(api: Api) -> None:
    await api.space("water", posting="invited")
    question = await api.question("water")
    moderator = await api.moderator("water")
    invited = await api.register("Invited")
    uninvited = await api.register("Uninvited")

    assert_error(await comment_on(api, invited, question["id"]), 403, "not_invited")
    response = await api.http.post(
        "/api/v1/spaces/water/participants", json={"user_id": invited.id}, headers=moderator.headers
    )
    assert response.status_code == 201, response.text
    assert (await comment_on(api, invited, question["id"])).status_code == 201
    assert_error(await comment_on(api, uninvited, question["id"]), 403, "not_invited")
    # Moderators need no invitation; everyone may still read.
    assert (await comment_on(api, moderator, question["id"])).status_code == 201
    listed = await api.http.get(f"/api/v1/questions/{question['id']}/comments", headers=uninvited.headers)
    assert len(listed.json()["items"]) == 2

    withdrawn = await api.http.delete(
        f"/api/v1/spaces/water/participants/{invited.id}", headers=moderator.headers
    )
    assert withdrawn.status_code == 200
    assert_error(await comment_on(api, invited, question["id"]), 403, "not_invited")


async def test_only_moderators_invite_participants(api: Api) -> None:
    await api.space("water", posting="invited")
    participant = await api.register("Hopeful")
    admin = await api.admin()
    body = {"user_id": participant.id}
    assert_error(
        await api.http.post("/api/v1/spaces/water/participants", json=body), 401, "not_authenticated"
    )
    assert_error(
        await api.http.post("/api/v1/spaces/water/participants", json=body, headers=participant.headers),
        403,
        "forbidden",
    )
    assert_error(
        await api.http.delete(
            f"/api/v1/spaces/water/participants/{participant.id}", headers=participant.headers
        ),
        403,
        "forbidden",
    )
    assert_error(
        await api.http.delete(f"/api/v1/spaces/water/participants/{participant.id}"),
        401,
        "not_authenticated",
    )
    by_admin = await api.http.post("/api/v1/spaces/water/participants", json=body, headers=admin.headers)
    assert by_admin.status_code == 201
    assert_error(
        await api.http.post(
            "/api/v1/spaces/water/participants", json={"user_id": 987654}, headers=admin.headers
        ),
        404,
        "user_not_found",
    )
