"""A question's themes name their published comments, so a note's writer can cite them."""

from tests.helpers import Api
from tests.space_helpers import group_into_theme, ok


async def test_a_theme_lists_its_published_comments_most_central_first(api: Api, database_url: str) -> None:
    await api.space("water")
    moderator = await api.moderator("water")
    question = await api.question("water", "What should change?")
    author = await api.register("Chloé")
    central, other, hidden = [
        (await api.comment(author, question["id"], text))["id"]
        for text in ("Wells in every village.", "Pumps that get repaired.", "Something to hide.")
    ]
    theme = await group_into_theme(database_url, question["id"], "Wells", [central, other, hidden])
    await ok(
        await api.http.post(
            f"/api/v1/comments/{hidden}/decisions",
            json={"action": "hide", "reason": "off_topic"},
            headers=moderator.headers,
        )
    )
    path = f"/api/v1/questions/{question['id']}/themes"
    themes = await ok(await api.http.get(path, headers=moderator.headers))
    [view] = themes["themes"]
    assert view["id"] == theme and view["name"] == "Wells"
    assert view["comments"] == 2 and view["comment_ids"] == [central, other]
