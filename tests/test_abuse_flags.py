"""Flags cannot be used as a weapon: only participants in good standing hide a
comment, the space's own voice is never hidden by a crowd, and a restored
comment stays up unless new flaggers in good standing object."""

from typing import Any

from tests.helpers import Api, User
from tests.moderation import SLUG, Scene, make_scene

# The default threshold (ROUNDTABLE_FLAG_HIDE_THRESHOLD) and minimum account age apply.
THRESHOLD = 3


async def flag_by_all(scene: Scene, comment_id: int, flaggers: list[User]) -> None:
    for flagger in flaggers:
        response = await scene.flag(comment_id, flagger, "offensive")
        assert response.status_code == 201, response.text


async def fresh_accounts(api: Api, n: int) -> list[User]:
    return [await api.register(f"Raider {i}") for i in range(n)]


async def comment_status(scene: Scene, comment_id: int) -> str:
    comment = await scene.ok("moderator", "GET", f"/comments/{comment_id}")
    status: str = comment["status"]
    return status


async def flagged_item(scene: Scene, comment_id: int) -> dict[str, Any]:
    page = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=flagged")
    item: dict[str, Any] = next(i for i in page["items"] if i["comment"]["id"] == comment_id)
    return item


async def test_accounts_registered_a_minute_ago_cannot_flag_a_comment_out_of_view(api: Api) -> None:
    scene = await make_scene(api)
    comment = await scene.published("An unpopular but fair point.")
    raiders = await fresh_accounts(api, THRESHOLD)
    # Even with a published comment each, a new account's flag does not count.
    for raider in raiders:
        await scene.published("Me too.", author=raider)
    await flag_by_all(scene, comment["id"], raiders)
    assert await comment_status(scene, comment["id"]) == "published"

    flags = (await flagged_item(scene, comment["id"]))["flags"]
    assert (flags["count"], flags["counted"]) == (THRESHOLD, 0)
    for flagger, raider in zip(flags["flaggers"], raiders, strict=True):
        assert flagger["by"]["id"] == raider.id
        assert flagger["standing"]["in_good_standing"] is False
        assert flagger["standing"]["published_in_space"] == 1


async def test_old_accounts_without_a_published_comment_in_the_space_do_not_count(api: Api) -> None:
    scene = await make_scene(api)
    comment = await scene.published("Another fair point.")
    lurkers = await fresh_accounts(api, THRESHOLD)
    await scene.give_standing(*lurkers)
    # Their stake was a comment; a moderator hides each, so none stays published.
    page = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/queue?kind=recent")
    for item in page["items"]:
        if item["comment"]["author"]["id"] in {u.id for u in lurkers}:
            await scene.decided(item["comment"]["id"], "hide", reason="spam")
    await flag_by_all(scene, comment["id"], lurkers)
    assert await comment_status(scene, comment["id"]) == "published"
    flags = (await flagged_item(scene, comment["id"]))["flags"]
    assert flags["counted"] == 0
    assert all(f["standing"]["published_in_space"] == 0 for f in flags["flaggers"])


async def test_flags_from_participants_in_good_standing_hide_a_comment_and_name_them(
    api: Api,
) -> None:
    scene = await make_scene(api)
    comment = await scene.published("Really offensive.")
    regulars = await fresh_accounts(api, THRESHOLD)
    await scene.give_standing(*regulars)
    await flag_by_all(scene, comment["id"], regulars)
    assert await comment_status(scene, comment["id"]) == "hidden"

    item = await flagged_item(scene, comment["id"])
    assert item["comment"]["removal"]["by"] == "flags"
    flags = item["flags"]
    assert (flags["count"], flags["counted"]) == (THRESHOLD, THRESHOLD)
    assert [f["by"]["id"] for f in flags["flaggers"]] == [u.id for u in regulars]
    assert all(f["standing"]["in_good_standing"] for f in flags["flaggers"])
    audit = await scene.ok("moderator", "GET", f"/spaces/{SLUG}/audit?action=comment.hide")
    details = audit["items"][0]["details"]
    assert details["by"] == "flags" and details["flaggers"] == [u.id for u in regulars]


async def test_a_moderators_comment_a_pinned_comment_and_an_answer_are_never_hidden_by_flags(
    api: Api,
) -> None:
    scene = await make_scene(api)
    regulars = await fresh_accounts(api, THRESHOLD)
    await scene.give_standing(*regulars)
    by_moderator = await scene.published("Please keep to the topic.", author=scene.moderator)
    pinned = await scene.published("A summary worth keeping.")
    await scene.decided(pinned["id"], "pin")
    answer = await scene.published("The answer to the question.")
    await scene.decided(answer["id"], "mark_answer")
    for comment in (by_moderator, pinned, answer):
        await flag_by_all(scene, comment["id"], regulars)
        assert await comment_status(scene, comment["id"]) == "published"
        # The moderators still see the flags, and may act on them.
        assert (await flagged_item(scene, comment["id"]))["flags"]["counted"] == THRESHOLD


async def test_a_restored_comment_is_hidden_again_only_by_new_flaggers_in_good_standing(
    api: Api,
) -> None:
    scene = await make_scene(api)
    comment = await scene.published("Contested, but within the rules.")
    first = await fresh_accounts(api, THRESHOLD)
    await scene.give_standing(*first)
    await flag_by_all(scene, comment["id"], first)
    assert await comment_status(scene, comment["id"]) == "hidden"
    await scene.decided(comment["id"], "restore")

    raiders = await fresh_accounts(api, THRESHOLD)
    await flag_by_all(scene, comment["id"], raiders)
    assert await comment_status(scene, comment["id"]) == "published"

    # Those who flagged before cannot flag again; new regulars can, and do hide it.
    again = await scene.flag(comment["id"], first[0], "offensive")
    assert again.status_code == 409, again.text
    second = await fresh_accounts(api, THRESHOLD)
    await scene.give_standing(*second)
    await flag_by_all(scene, comment["id"], second[:-1])
    assert await comment_status(scene, comment["id"]) == "published"
    await flag_by_all(scene, comment["id"], second[-1:])
    assert await comment_status(scene, comment["id"]) == "hidden"
