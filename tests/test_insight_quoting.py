"""Quoting consent: chosen per comment, defaulting to the profile, and a stable
pseudonym per space for authors quoted anonymously."""

import asyncpg

from server.insight.quoting import attribution, read_pseudonyms
from server.queries import comments as comment_queries
from tests.helpers import Api


async def test_quoting_consent_defaults_to_the_profile_and_is_kept_per_comment(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    ana = await api.register("Ana")
    me = await api.http.get("/api/v1/me", headers=ana.headers)
    assert me.json()["quoting"] == "anonymous"
    first = await api.comment(ana, question["id"], "Quote me or not.")
    assert first["quoting"] == "anonymous"
    response = await api.http.patch("/api/v1/me", json={"quoting": "named"}, headers=ana.headers)
    assert response.status_code == 200 and response.json()["quoting"] == "named"
    second = await api.comment(ana, question["id"], "Name me.")
    third = await api.comment(ana, question["id"], "Not this one.", quoting="anonymous")
    assert (second["quoting"], third["quoting"]) == ("named", "anonymous")
    refused = await api.http.patch("/api/v1/me", json={"quoting": "sometimes"}, headers=ana.headers)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_body"


async def test_anonymous_authors_get_a_pseudonym_stable_within_a_space(api: Api, database_url: str) -> None:
    await api.space("water")
    await api.space("air")
    water = await api.question("water")
    air = await api.question("air")
    ana, bo, chloe = await api.register("Ana"), await api.register("Bo"), await api.register("Chloé")
    await api.comment(ana, water["id"], "First in water.")
    named = await api.comment(bo, water["id"], "Bo, by name.", quoting="named")
    later = await api.comment(chloe, water["id"], "Chloé, anonymous.")
    await api.comment(chloe, air["id"], "Chloé first in air.")
    conn = await asyncpg.connect(database_url)
    try:
        space_id = await conn.fetchval("SELECT id FROM spaces WHERE slug = 'water'")
        air_id = await conn.fetchval("SELECT id FROM spaces WHERE slug = 'air'")
        before = await read_pseudonyms(conn, space_id)
        assert before.of(ana.id) == "Participant 1" and before.of(chloe.id) == "Participant 3"
        # Newcomers, deletions and more comments leave everyone's pseudonym as it was.
        dan = await api.register("Dan")
        await api.comment(dan, water["id"], "Late.")
        await api.comment(ana, water["id"], "Again.")
        await api.http.delete(f"/api/v1/comments/{later['id']}", headers=chloe.headers)
        after = await read_pseudonyms(conn, space_id)
        assert {u.id: after.of(u.id) for u in (ana, bo, chloe)} == {
            u.id: before.of(u.id) for u in (ana, bo, chloe)
        }
        assert after.of(dan.id) == "Participant 4"
        # Per space: in air, Chloé was first.
        assert (await read_pseudonyms(conn, air_id)).of(chloe.id) == "Participant 1"
        bo_row = await comment_queries.get_comment(conn, named["id"], None)
        ana_row = await comment_queries.get_comment(
            conn, (await api.comment(ana, water["id"], "Hi."))["id"], None
        )
        assert bo_row is not None and ana_row is not None
        assert attribution(bo_row, after) == "Bo"
        assert attribution(ana_row, after) == "Participant 1"
    finally:
        await conn.close()
