"""POST /api/v1/render: a comment's preview, rendered and sanitised exactly as posting would."""

from tests.helpers import Api, assert_error


async def test_the_preview_is_the_html_the_comment_would_get(api: Api) -> None:
    await api.space("water")
    question = await api.question("water")
    alice = await api.register("Alice")
    bob = await api.register("Bob")
    source = f"**Shared** wells, ask @{bob.handle} <script>alert(1)</script> [x](javascript:alert(1))"

    preview = await api.http.post("/api/v1/render", json={"body": source}, headers=alice.headers)
    assert preview.status_code == 200, preview.text
    posted = await api.comment(alice, question["id"], source)
    assert preview.json() == {"html": posted["html"]}
    html = preview.json()["html"]
    assert "<strong>Shared</strong>" in html
    assert f'<a href="/#/users/{bob.handle}" class="mention"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


async def test_an_empty_draft_previews_as_nothing(api: Api) -> None:
    alice = await api.register("Alice")
    response = await api.http.post("/api/v1/render", json={"body": ""}, headers=alice.headers)
    assert response.json() == {"html": ""}


async def test_previews_are_for_logged_in_writers_and_as_long_as_a_comment(api: Api) -> None:
    assert_error(await api.http.post("/api/v1/render", json={"body": "Hi"}), 401, "not_authenticated")
    alice = await api.register("Alice")
    too_long = await api.http.post("/api/v1/render", json={"body": "x" * 10_001}, headers=alice.headers)
    assert_error(too_long, 422, "text_too_long")
