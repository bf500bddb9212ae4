"""Participants stewarded: mutes and bans, suspensions, invitation links, direct
invitations, moderator notes."""

from datetime import UTC, datetime, timedelta

from server.access.identity import token_hash
from tests.helpers import PASSWORD, Api, RunningServer, assert_error, assert_frame, fetch_rows
from tests.live import live_client
from tests.space_helpers import as_admin, close_code, counts, ok, post_comment, screen_token


async def test_a_muted_participant_reads_but_cannot_post_and_alone_is_told_live(
    api: Api, server: RunningServer, database_url: str
) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water")
    sarah, bob = await api.register("Sarah"), await api.register("Bob")
    comment = await api.comment(sarah, question["id"])
    screen = await screen_token(api, "water")
    async with (
        live_client(server.ws_url, sarah.token) as muted_live,
        live_client(server.ws_url, bob.token) as bob_live,
        live_client(server.ws_url) as anonymous,
        live_client(f"{server.ws_url}?screen_token={screen['token']}") as wall,
        live_client(server.ws_url, moderator.token) as steward,
    ):
        for live in (muted_live, bob_live, anonymous, wall, steward):
            await live.subscribe("water")
        muted = await ok(
            await api.http.post(
                "/api/v1/spaces/water/restrictions",
                json={
                    "user_id": sarah.id,
                    "kind": "muted",
                    "duration_secs": 600,
                    "reason": "offensive",
                    "note": "Third warning",
                },
                headers=moderator.headers,
            ),
            201,
        )
        until = datetime.fromisoformat(muted["until"])
        assert timedelta(seconds=590) < until - datetime.now(UTC) <= timedelta(seconds=600)
        # A public event after it, so everyone's stream has moved past the mute's seq.
        marker = await api.comment(bob, question["id"], "Marker.")
        [told] = [
            e
            for e in await muted_live.events_through(marker["event_seq"])
            if e["type"] == "participant.muted"
        ]
        assert told["data"] == {
            "my_restriction": {"kind": "muted", "until": muted["until"], "reason": "offensive"}
        }
        for live in (bob_live, anonymous, wall):
            seen = await live.events_through(marker["event_seq"])
            assert [e["type"] for e in seen] == ["comment.created"]
        [to_steward] = [
            e for e in await steward.events_through(marker["event_seq"]) if e["type"] == "participant.muted"
        ]
        assert to_steward["data"]["restriction"]["note"] == "Third warning"
        assert to_steward["data"]["audit"]["action"] == "participant.mute"

    before = await counts(database_url)
    qid, cid = question["id"], comment["id"]
    for response in (
        await post_comment(api, sarah, qid),
        await api.http.post(
            f"/api/v1/questions/{qid}/comments", json={"body": "Re", "parent_id": cid}, headers=sarah.headers
        ),
        await api.http.patch(f"/api/v1/comments/{cid}", json={"body": "Edited"}, headers=sarah.headers),
        await api.http.post(f"/api/v1/comments/{marker['id']}/support", headers=sarah.headers),
    ):
        error = assert_error(response, 403, "muted")
        assert error["details"]["reason"] == "offensive"
        assert datetime.fromisoformat(error["details"]["until"]) == until
    assert await counts(database_url) == before
    mine = await ok(await api.http.get("/api/v1/spaces/water", headers=sarah.headers))
    assert mine["my_restriction"] == {"kind": "muted", "until": muted["until"], "reason": "offensive"}
    assert (await ok(await api.http.get("/api/v1/spaces/water", headers=bob.headers)))[
        "my_restriction"
    ] is None
    # Reading goes on.
    assert (await api.http.get(f"/api/v1/questions/{qid}/comments", headers=sarah.headers)).status_code == 200
    # Withdrawing one's own comment stays open.
    assert (await api.http.delete(f"/api/v1/comments/{cid}", headers=sarah.headers)).status_code == 200


async def test_lifting_a_mute_tells_the_person_and_lets_them_post_again(
    api: Api, server: RunningServer
) -> None:
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register("Sarah")
    await ok(
        await as_admin(
            api,
            "POST",
            "/api/v1/spaces/water/restrictions",
            {"user_id": sarah.id, "kind": "muted", "reason": "spam"},
        ),
        201,
    )
    listed = await ok(await as_admin(api, "GET", "/api/v1/spaces/water/restrictions"))
    assert [(r["user"]["id"], r["kind"], r["until"]) for r in listed["items"]] == [(sarah.id, "muted", None)]
    async with live_client(server.ws_url, sarah.token) as live:
        await live.subscribe("water")
        lifted = await ok(await as_admin(api, "DELETE", f"/api/v1/spaces/water/restrictions/{sarah.id}"))
        [event] = await live.events_through(lifted["event_seq"])
    assert (event["type"], event["data"]) == ("participant.unmuted", {"my_restriction": None})
    assert (await post_comment(api, sarah, question["id"])).status_code == 201
    assert_error(
        await as_admin(api, "DELETE", f"/api/v1/spaces/water/restrictions/{sarah.id}"),
        404,
        "restriction_not_found",
    )


async def test_a_banned_participant_still_follows_the_public_stream_but_cannot_post(
    api: Api, server: RunningServer, database_url: str
) -> None:
    await api.space("water")
    question = await api.question("water")
    sarah, bob = await api.register("Sarah"), await api.register("Bob")
    await ok(
        await as_admin(
            api,
            "POST",
            "/api/v1/spaces/water/restrictions",
            {"user_id": sarah.id, "kind": "banned", "reason": "spam"},
        ),
        201,
    )
    async with live_client(server.ws_url, sarah.token) as live:
        assert_frame(await live.subscribe("water"), "snapshot")
        posted = await api.comment(bob, question["id"], "Public.")
        [event] = await live.events_through(posted["event_seq"])
        assert event["data"]["comment"]["body"] == "Public."
    before = await counts(database_url)
    error = assert_error(await post_comment(api, sarah, question["id"]), 403, "banned")
    assert error["details"] == {"until": None, "reason": "spam"}
    assert await counts(database_url) == before


async def test_a_mute_past_its_time_no_longer_holds(api: Api, database_url: str) -> None:
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register("Sarah")
    body = {"user_id": sarah.id, "kind": "muted", "duration_secs": 60, "reason": "spam"}
    await ok(await as_admin(api, "POST", "/api/v1/spaces/water/restrictions", body), 201)
    assert_error(await post_comment(api, sarah, question["id"]), 403, "muted")
    await fetch_rows(database_url, "UPDATE space_restrictions SET until = now() - interval '1 second'")
    assert (await post_comment(api, sarah, question["id"])).status_code == 201
    assert (await ok(await api.http.get("/api/v1/spaces/water", headers=sarah.headers)))[
        "my_restriction"
    ] is None


async def test_moderators_and_admins_cannot_be_muted_banned_or_suspended(api: Api) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    admin = await api.admin()
    for who in (moderator, admin):
        body = {"user_id": who.id, "kind": "banned", "reason": "spam"}
        assert_error(
            await as_admin(api, "POST", "/api/v1/spaces/water/restrictions", body),
            409,
            "cannot_restrict_steward",
        )
    assert_error(
        await as_admin(api, "POST", f"/api/v1/users/{admin.id}/suspension", {"reason": "spam"}),
        409,
        "cannot_restrict_steward",
    )
    assert_error(
        await as_admin(
            api,
            "POST",
            "/api/v1/spaces/water/restrictions",
            {"user_id": 999999, "kind": "muted", "reason": "spam"},
        ),
        404,
        "user_not_found",
    )


async def test_a_suspended_account_is_logged_out_everywhere_and_refused_login(
    api: Api, server: RunningServer, database_url: str
) -> None:
    await api.space("water")
    question = await api.question("water")
    sarah = await api.register("Sarah")
    async with live_client(server.ws_url, sarah.token) as live:
        await live.subscribe("water")
        suspended = await ok(
            await as_admin(
                api,
                "POST",
                f"/api/v1/users/{sarah.id}/suspension",
                {"reason": "impersonation", "note": "Fake ministry"},
            ),
            201,
        )
        assert suspended["sessions_revoked"] == 1
        assert await close_code(live) == 4001
    assert_error(await api.http.get("/api/v1/me", headers=sarah.headers), 401, "not_authenticated")
    assert_error(await post_comment(api, sarah, question["id"]), 401, "not_authenticated")
    login = await api.http.post("/api/v1/auth/login", json={"email": sarah.email, "password": PASSWORD})
    assert_error(login, 403, "account_suspended")
    # A session that somehow survived would not authenticate either.
    await fetch_rows(
        database_url,
        "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')",
        token_hash("leftover"),
        sarah.id,
    )
    assert_error(
        await api.http.get("/api/v1/me", headers={"Authorization": "Bearer leftover"}),
        401,
        "not_authenticated",
    )
    site = await ok(await as_admin(api, "GET", "/api/v1/audit"))
    [entry] = site["items"]
    assert (entry["action"], entry["target_id"], entry["reason"], entry["note"]) == (
        "account.suspend",
        sarah.id,
        "impersonation",
        "Fake ministry",
    )
    await ok(await as_admin(api, "DELETE", f"/api/v1/users/{sarah.id}/suspension"))
    login = await api.http.post("/api/v1/auth/login", json={"email": sarah.email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    api.http.cookies.clear()


async def test_an_invitation_link_makes_its_bearer_an_invited_participant(
    api: Api, server: RunningServer, database_url: str
) -> None:
    await api.space("water", posting="invited")
    moderator = await api.moderator("water")
    question = await api.question("water")
    sarah = await api.register("Sarah")
    assert_error(await post_comment(api, sarah, question["id"]), 403, "not_invited")
    created = await ok(
        await api.http.post(
            "/api/v1/spaces/water/invitations",
            json={"label": "Delegations", "max_uses": 1},
            headers=moderator.headers,
        ),
        201,
    )
    assert created["state"] == "active" and len(created["token"]) >= 40
    [row] = await fetch_rows(database_url, "SELECT token_hash FROM invitation_links")
    assert row["token_hash"] == token_hash(created["token"])
    listed = await ok(await api.http.get("/api/v1/spaces/water/invitations", headers=moderator.headers))
    assert created["token"] not in str(listed) and listed["items"][0]["label"] == "Delegations"
    async with (
        live_client(server.ws_url, sarah.token) as invitee,
        live_client(server.ws_url) as anonymous,
        live_client(server.ws_url, moderator.token) as steward,
    ):
        for live in (invitee, anonymous, steward):
            await live.subscribe("water")
        accepted = await ok(
            await api.http.post(
                "/api/v1/invitations/accept", json={"token": created["token"]}, headers=sarah.headers
            )
        )
        assert (accepted["space"], accepted["already_invited"]) == ("water", False)
        marker = await api.comment(moderator, question["id"], "Welcome.")
        [told] = [
            e for e in await invitee.events_through(marker["event_seq"]) if e["type"] == "participant.invited"
        ]
        assert told["data"]["invitation_id"] == created["id"]
        assert [e["type"] for e in await anonymous.events_through(marker["event_seq"])] == ["comment.created"]
        [to_steward] = [
            e for e in await steward.events_through(marker["event_seq"]) if e["type"] == "participant.invited"
        ]
        assert to_steward["data"]["audit"]["action"] == "participant.invite"
    assert (await post_comment(api, sarah, question["id"])).status_code == 201
    again = await ok(
        await api.http.post(
            "/api/v1/invitations/accept", json={"token": created["token"]}, headers=sarah.headers
        )
    )
    assert again["already_invited"] is True and again["event_seq"] is None

    bob = await api.register("Bob")
    before = await counts(database_url)
    used = assert_error(
        await api.http.post(
            "/api/v1/invitations/accept", json={"token": created["token"]}, headers=bob.headers
        ),
        410,
        "invitation_used_up",
    )
    assert used["details"] == {"max_uses": 1}
    assert_error(
        await api.http.post(
            "/api/v1/invitations/accept", json={"token": "no-such-token"}, headers=bob.headers
        ),
        404,
        "invitation_not_found",
    )
    assert await counts(database_url) == before


async def test_revoked_and_expired_invitation_links_are_refused_and_change_nothing(
    api: Api, database_url: str
) -> None:
    await api.space("water", posting="invited")
    revoked = await ok(await as_admin(api, "POST", "/api/v1/spaces/water/invitations", {"label": "a"}), 201)
    expired = await ok(await as_admin(api, "POST", "/api/v1/spaces/water/invitations", {"label": "b"}), 201)
    gone = await ok(await as_admin(api, "DELETE", f"/api/v1/spaces/water/invitations/{revoked['id']}"))
    assert gone["state"] == "revoked"
    await fetch_rows(
        database_url,
        "UPDATE invitation_links SET expires_at = now() - interval '1 minute' WHERE id = $1",
        expired["id"],
    )
    sarah = await api.register("Sarah")
    before = await counts(database_url)
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    assert_error(
        await as_admin(api, "POST", "/api/v1/spaces/water/invitations", {"expires_at": past}),
        422,
        "invalid_body",
    )
    error = assert_error(
        await api.http.post(
            "/api/v1/invitations/accept", json={"token": revoked["token"]}, headers=sarah.headers
        ),
        410,
        "invitation_revoked",
    )
    assert error["details"]["revoked_at"]
    assert_error(
        await api.http.post(
            "/api/v1/invitations/accept", json={"token": expired["token"]}, headers=sarah.headers
        ),
        410,
        "invitation_expired",
    )
    assert_error(
        await api.http.post("/api/v1/invitations/accept", json={"token": revoked["token"]}),
        401,
        "not_authenticated",
    )
    assert await counts(database_url) == before
    states = {
        i["id"]: i["state"]
        for i in (await ok(await as_admin(api, "GET", "/api/v1/spaces/water/invitations")))["items"]
    }
    assert states == {revoked["id"]: "revoked", expired["id"]: "expired"}


async def test_an_invitation_link_names_its_space_to_whoever_holds_it_before_joining(api: Api) -> None:
    await api.space("water", posting="invited", title="Water for the valley")
    link = await ok(await as_admin(api, "POST", "/api/v1/spaces/water/invitations", {"max_uses": 1}), 201)
    preview = "/api/v1/invitations/preview"
    seen = await ok(await api.http.post(preview, json={"token": link["token"]}))
    assert (seen["space"], seen["title"], seen["already_invited"]) == ("water", "Water for the valley", False)
    sarah = await api.register("Sarah")
    token = {"token": link["token"]}
    await ok(await api.http.post("/api/v1/invitations/accept", json=token, headers=sarah.headers))
    # Used up for others, but its invitee may still open it and find the way in.
    assert (await ok(await api.http.post(preview, json=token, headers=sarah.headers)))["already_invited"]
    assert_error(await api.http.post(preview, json={"token": link["token"]}), 410, "invitation_used_up")
    assert_error(await api.http.post(preview, json={"token": "no-such-token"}), 404, "invitation_not_found")
    await ok(await as_admin(api, "DELETE", f"/api/v1/spaces/water/invitations/{link['id']}"))
    assert_error(await api.http.post(preview, json=token, headers=sarah.headers), 410, "invitation_revoked")


async def test_naming_or_withdrawing_an_invited_participant_writes_an_event_and_an_audit_entry(
    api: Api, database_url: str
) -> None:
    await api.space("water", posting="invited")
    moderator = await api.moderator("water")
    sarah = await api.register("Sarah")
    for method, path, type_, action in (
        ("POST", "/api/v1/spaces/water/participants", "participant.invited", "participant.invite"),
        (
            "DELETE",
            f"/api/v1/spaces/water/participants/{sarah.id}",
            "participant.uninvited",
            "participant.uninvite",
        ),
    ):
        body = {"user_id": sarah.id} if method == "POST" else None
        result = await ok(
            await api.http.request(method, path, json=body, headers=moderator.headers), 201 if body else 200
        )
        [event] = await fetch_rows(
            database_url,
            "SELECT type, public, recipient_id, moderators FROM events WHERE seq = $1",
            result["event_seq"],
        )
        assert (event["type"], event["public"], event["recipient_id"]) == (type_, None, sarah.id)
        assert event["moderators"]["audit"]["action"] == action
        assert event["moderators"]["audit"]["actor_id"] == moderator.id


async def test_moderator_notes_reach_moderators_only(api: Api, server: RunningServer) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water")
    sarah = await api.register("Sarah")
    comment = await api.comment(sarah, question["id"])
    screen = await screen_token(api, "water")
    async with (
        live_client(server.ws_url, sarah.token) as participant,
        live_client(server.ws_url) as anonymous,
        live_client(f"{server.ws_url}?screen_token={screen['token']}") as wall,
        live_client(server.ws_url, moderator.token) as steward,
    ):
        for live in (participant, anonymous, wall, steward):
            await live.subscribe("water")
        on_comment = await ok(
            await api.http.post(
                "/api/v1/spaces/water/notes",
                json={"target_type": "comment", "target_id": comment["id"], "body": "Checked the figures."},
                headers=moderator.headers,
            ),
            201,
        )
        on_person = await ok(
            await as_admin(
                api,
                "POST",
                "/api/v1/spaces/water/notes",
                {"target_type": "user", "target_id": sarah.id, "body": "IOM"},
            ),
            201,
        )
        deleted = await ok(
            await api.http.delete(f"/api/v1/spaces/water/notes/{on_person['id']}", headers=moderator.headers)
        )
        marker = await api.comment(sarah, question["id"], "Marker.")
        for live in (participant, anonymous, wall):
            seen = await live.events_through(marker["event_seq"])
            assert [e["type"] for e in seen] == ["comment.created"]
            assert "Checked the figures." not in str(seen)
        types = [e["type"] for e in await steward.events_through(marker["event_seq"])]
        assert types == ["note.created", "note.created", "note.deleted", "comment.created"]
    assert deleted["event_seq"] > on_comment["event_seq"]
    listed = await ok(
        await api.http.get(
            "/api/v1/spaces/water/notes",
            params={"target_type": "comment", "target_id": comment["id"]},
            headers=moderator.headers,
        )
    )
    assert [n["body"] for n in listed["items"]] == ["Checked the figures."]
    assert_error(
        await api.http.get("/api/v1/spaces/water/notes", headers=sarah.headers), 403, "not_moderator"
    )
    await api.space("air")
    elsewhere = await api.comment(sarah, (await api.question("air"))["id"])
    assert_error(
        await api.http.post(
            "/api/v1/spaces/water/notes",
            json={"target_type": "comment", "target_id": elsewhere["id"], "body": "Wrong space"},
            headers=moderator.headers,
        ),
        422,
        "note_target_not_found",
    )
