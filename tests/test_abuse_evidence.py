"""Deleting cannot destroy evidence: a comment its author deletes while it is
under review (pending, flagged, hidden) keeps its text for the space's
moderators and in the audit log; the public, and the author, see the usual
tombstone. Outside review, deleting still erases the text."""

from typing import Any

from tests.helpers import Api, RunningServer, User, fetch_rows
from tests.live import LiveClient, live_client
from tests.moderation import SLUG, Scene, make_scene


async def delete_as_author(scene: Scene, comment_id: int, author: User) -> dict[str, Any]:
    return await scene.ok(author, "DELETE", f"/comments/{comment_id}")


async def deleted_event(live: LiveClient, comment_id: int) -> dict[str, Any]:
    while True:
        message = await live.receive_type("events")
        for event in message["events"]:
            if event["type"] == "comment.deleted" and event["data"]["comment"]["id"] == comment_id:
                data: dict[str, Any] = event["data"]
                return data


async def assert_evidence_kept(
    scene: Scene,
    comment_id: int,
    author: User,
    text: str,
    status_before: str,
    moderators: LiveClient,
    public: LiveClient,
) -> None:
    deleted = await delete_as_author(scene, comment_id, author)
    # The author asked for deletion and sees a tombstone.
    assert (deleted["status"], deleted["body"], deleted["author"]) == ("deleted", None, None)

    for_moderators = await deleted_event(moderators, comment_id)
    assert for_moderators["comment"]["body"] == text
    assert for_moderators["comment"]["author"]["id"] == author.id
    assert for_moderators["audit"]["action"] == "comment.delete"

    # The public stream sees the usual tombstone, and the API answers the same.
    if status_before != "pending":
        for_public = await deleted_event(public, comment_id)
        assert for_public["comment"]["body"] is None and for_public["comment"]["author"] is None
        assert "audit" not in for_public
    for who in (None, scene.participant, author):
        seen = await scene.ok(who, "GET", f"/comments/{comment_id}")
        assert (seen["body"], seen["html"], seen["author"]) == (None, None, None), seen

    kept = await scene.ok("moderator", "GET", f"/comments/{comment_id}")
    assert (kept["status"], kept["body"]) == ("deleted", text)
    audit = await scene.ok(
        "moderator", "GET", f"/spaces/{SLUG}/audit?action=comment.delete&target_id={comment_id}"
    )
    [entry] = audit["items"]
    assert (entry["actor_id"], entry["details"]["status"], entry["details"]["body"]) == (
        author.id,
        status_before,
        text,
    )


async def test_a_pending_flagged_or_hidden_comment_deleted_by_its_author_keeps_its_text_for_moderators(
    server: RunningServer, api: Api
) -> None:
    scene = await make_scene(api)
    async with (
        live_client(server.ws_url, scene.moderator.token) as moderators,
        live_client(server.ws_url) as public,
    ):
        await moderators.subscribe(SLUG)
        await public.subscribe(SLUG)

        pending = await scene.pending("Waiting, and regretted.")
        await assert_evidence_kept(
            scene, pending["id"], scene.held_author, "Waiting, and regretted.", "pending", moderators, public
        )

        flagged = await scene.published("Flagged, then withdrawn.")
        assert (await scene.flag(flagged["id"], scene.participant)).status_code == 201
        await assert_evidence_kept(
            scene, flagged["id"], scene.author, "Flagged, then withdrawn.", "published", moderators, public
        )

        hidden = await scene.hidden("Hidden, then withdrawn.")
        await assert_evidence_kept(
            scene, hidden["id"], scene.author, "Hidden, then withdrawn.", "hidden", moderators, public
        )


async def test_an_edited_comment_under_review_keeps_its_earlier_versions_for_moderators(api: Api) -> None:
    scene = await make_scene(api)
    comment = await scene.published("First words.")
    await scene.ok(scene.author, "PATCH", f"/comments/{comment['id']}", {"body": "Second words."})
    assert (await scene.flag(comment["id"], scene.participant)).status_code == 201
    await delete_as_author(scene, comment["id"], scene.author)
    revisions = await scene.ok("moderator", "GET", f"/comments/{comment['id']}/revisions")
    assert [r["body"] for r in revisions["items"]] == ["First words."]


async def test_a_comment_deleted_outside_review_loses_its_text_for_everyone(
    api: Api, database_url: str
) -> None:
    scene = await make_scene(api)
    comment = await scene.published("Nobody objected to this.")
    await scene.ok(scene.author, "PATCH", f"/comments/{comment['id']}", {"body": "Nor to this."})
    await delete_as_author(scene, comment["id"], scene.author)
    seen = await scene.ok("moderator", "GET", f"/comments/{comment['id']}")
    assert (seen["body"], seen["author"]) == (None, None)
    revisions = await scene.ok("moderator", "GET", f"/comments/{comment['id']}/revisions")
    assert revisions["items"] == []
    rows = await fetch_rows(database_url, "SELECT body, kept_body FROM comments WHERE id = $1", comment["id"])
    assert rows == [{"body": "", "kept_body": None}]
    audit = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/audit?action=comment.delete")
    assert audit["items"] == []
