"""Finding users is no way to list the site's accounts: a moderator finds someone
by their exact email, or by name or handle among the participants of the spaces
they moderate (people who posted or were invited there); admins search the site."""

from typing import Any

from tests.helpers import Api, User


async def found(api: Api, who: User, q: str) -> list[int]:
    response = await api.http.get("/api/v1/users", params={"q": q}, headers=who.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return [u["id"] for u in items]


async def test_a_moderator_finds_their_spaces_participants_by_name_and_others_only_by_exact_email(
    api: Api,
) -> None:
    await api.space("water", posting="invited")
    await api.space("air")
    water = await api.question("water")
    air = await api.question("air")
    moderator = await api.moderator("water", "Moderator Mo")
    admin = await api.admin()
    poster = await api.register("Sarah Doyel")
    invited = await api.register("Samir Doyel")
    elsewhere = await api.register("Sandra Doyel")
    nowhere = await api.register("Sonia Doyel")
    for person in (poster, invited):
        response = await api.http.post(
            "/api/v1/spaces/water/participants", json={"user_id": person.id}, headers=moderator.headers
        )
        assert response.status_code == 201, response.text
    await api.comment(poster, water["id"])
    await api.comment(elsewhere, air["id"])
    # Samir, invited and silent, counts; Sarah, no longer invited, counts for having posted.
    await api.http.delete(f"/api/v1/spaces/water/participants/{poster.id}", headers=moderator.headers)

    assert await found(api, moderator, "doyel") == [poster.id, invited.id]
    assert await found(api, moderator, invited.handle) == [invited.id]
    # Not a participant of theirs: only by the whole address, never by a fragment of it.
    assert await found(api, moderator, "example.org") == []
    assert await found(api, moderator, elsewhere.email.split("@")[0]) == []
    assert await found(api, moderator, elsewhere.email.upper()) == [elsewhere.id]
    assert await found(api, moderator, nowhere.email) == [nowhere.id]
    # Admins keep site-wide search.
    assert await found(api, admin, "doyel") == [poster.id, invited.id, elsewhere.id, nowhere.id]
    assert nowhere.id in await found(api, admin, "example.org")
