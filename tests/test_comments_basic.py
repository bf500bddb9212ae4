"""A first end-to-end path: a participant comments and replies; anyone reads the thread."""

from tests.helpers import Api, assert_error


async def test_participant_comments_and_replies_and_anyone_reads_the_thread(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    alice = await api.register("Alice Example", affiliation="IOM")
    bob = await api.register("Bob Example")
    first = await api.comment(alice, question["id"], "Early warning works.")
    reply = await api.comment(bob, question["id"], "How was it funded?", parent_id=first["id"])
    assert reply["depth"] == 1 and reply["parent_id"] == first["id"]
    assert reply["event_seq"] > first["event_seq"]

    page = (await api.http.get(f"/api/v1/questions/{question['id']}/comments")).json()
    assert [c["id"] for c in page["items"]] == [first["id"], reply["id"]]
    assert page["items"][0]["author"]["affiliation"] == "IOM"
    assert page["next_cursor"] is None


async def test_posting_while_logged_out_is_refused_and_writes_nothing(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    response = await api.http.post(f"/api/v1/questions/{question['id']}/comments", json={"body": "hi"})
    assert_error(response, 401, "not_authenticated")
    page = (await api.http.get(f"/api/v1/questions/{question['id']}/comments")).json()
    assert page["items"] == []
