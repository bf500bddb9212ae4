"""A moderation scene for tests: a space with an author, a held author, another
participant, a muted one, its moderator, a moderator of another space, an admin
and a screen token (tests/roles.py)."""

from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.helpers import Api, User, fetch_rows
from tests.roles import People, Role, cast_roles

SLUG = "water"


@dataclass
class Scene:
    api: Api
    question_id: int
    author: User
    held_author: User
    participant: User
    muted: User
    moderator: User
    other_moderator: User
    admin: User
    role_headers: dict[Role, dict[str, str]] = field(default_factory=dict)

    def headers(self, who: Role | User | None) -> dict[str, str]:
        if isinstance(who, str):
            return self.role_headers[who]
        return who.headers if who else {}

    async def request(
        self, who: Role | User | None, method: str, path: str, body: dict[str, Any] | None = None
    ) -> httpx.Response:
        return await self.api.http.request(method, f"/api/v1{path}", json=body, headers=self.headers(who))

    async def ok(
        self, who: Role | User | None, method: str, path: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        response = await self.request(who, method, path, body)
        assert response.status_code in (200, 201), response.text
        result: dict[str, Any] = response.json()
        return result

    async def published(self, body: str = "A contribution.", author: User | None = None) -> dict[str, Any]:
        return await self.api.comment(author or self.author, self.question_id, body)

    async def pending(self, body: str = "Waiting for a moderator.") -> dict[str, Any]:
        comment = await self.api.comment(self.held_author, self.question_id, body)
        assert comment["status"] == "pending", comment
        return comment

    async def decide(
        self, comment_id: int, action: str, who: Role | User = "moderator", **fields: Any
    ) -> httpx.Response:
        return await self.request(
            who, "POST", f"/comments/{comment_id}/decisions", {"action": action} | fields
        )

    async def decided(self, comment_id: int, action: str, **fields: Any) -> dict[str, Any]:
        response = await self.decide(comment_id, action, **fields)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    async def hidden(self, body: str = "Soon hidden.") -> dict[str, Any]:
        comment = await self.published(body)
        return await self.decided(comment["id"], "hide", reason="offensive")

    async def give_standing(self, *people: User) -> None:
        """Make each a participant in good standing: an account a month old with a
        published comment in the space (the age is set in the database: time travel)."""
        for person in people:
            await self.published(f"{person.display_name} has a stake in this.", author=person)
            await fetch_rows(
                self.api.server.settings.database_url or "",
                "UPDATE users SET created_at = now() - interval '30 days' WHERE id = $1",
                person.id,
            )

    # ---- Participants' own questions (the space must allow them) ----

    async def pose(
        self, title: str = "Should we ask the mayor?", author: User | None = None
    ) -> dict[str, Any]:
        """A participant's own question, as its author receives it."""
        return await self.ok(author or self.author, "POST", f"/spaces/{SLUG}/questions", {"title": title})

    async def pending_question(self, title: str = "A question held for review?") -> dict[str, Any]:
        question = await self.pose(title, author=self.held_author)
        assert question["visibility"] == "pending", question
        return question

    async def decided_question(
        self, question_id: int, action: str, who: Role | User = "moderator", **fields: Any
    ) -> dict[str, Any]:
        return await self.ok(who, "POST", f"/questions/{question_id}/decisions", {"action": action} | fields)

    async def hidden_question(self, title: str = "A question soon hidden?") -> dict[str, Any]:
        question = await self.pose(title)
        return await self.decided_question(question["id"], "hide", reason="off_topic")

    async def flag(
        self, comment_id: int, who: Role | User, reason: str = "spam", **fields: Any
    ) -> httpx.Response:
        return await self.request(who, "POST", f"/comments/{comment_id}/flags", {"reason": reason} | fields)


async def make_scene(api: Api, **space_fields: Any) -> Scene:
    admin = await api.admin()
    await api.space(SLUG, **space_fields)
    await api.space("air")
    question = await api.question(SLUG)
    scene = Scene(
        api=api,
        question_id=question["id"],
        author=await api.register("Alice Author"),
        held_author=await api.register("Hal Held"),
        participant=await api.register("Pat Participant"),
        muted=await api.register("Mo Muted"),
        moderator=await api.register("Maya Moderator"),
        other_moderator=await api.moderator("air", "Omar Other"),
        admin=admin,
    )
    people = People(scene.participant, scene.muted, scene.moderator, scene.other_moderator)
    scene.role_headers = await cast_roles(api, SLUG, people)
    await scene.ok("moderator", "PUT", f"/spaces/{SLUG}/held-participants/{scene.held_author.id}", {})
    return scene
