"""Screenshots of the participant view, the screen and the moderator console at desktop and phone widths,
taken on the demo consultation. Each layout must fit its width: nothing may stick out sideways.
`make screenshots` saves them to docs/screenshots/ for the README; a plain test run writes
them into a temporary folder, so `make test` leaves every tracked file as it was."""

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import FloatRect, Page, ViewportSize, expect

from server.running.demo import DEMO_PASSWORD, DEMO_SLUG, MODERATORS, PARTICIPANTS, load_demo
from tests.browser.support import DESKTOP, PHONE, SCREENSHOTS_ENV, Browsing
from tests.helpers import Api, RunningServer, User

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

WIDTHS: dict[str, ViewportSize] = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """docs/screenshots/ when `make screenshots` asks for it, else a folder of this test's own."""
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def demo_participant(api: Api) -> User:
    return await demo_login(api, PARTICIPANTS[0])


async def demo_login(api: Api, person: Any) -> User:
    response = await api.http.post(
        "/api/v1/auth/login", json={"email": person.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.text
    api.http.cookies.clear()
    body = response.json()
    return User(body["user"]["id"], person.email, body["token"], body["user"]["handle"], person.name)


async def assert_fits_its_width(page: Page) -> None:
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the {page.viewport_size} viewport"


@pytest.mark.parametrize("width", list(WIDTHS))
async def test_screenshots_of_the_participant_view_and_the_screen(
    width: str, api: Api, server: RunningServer, browsing: Browsing, screenshots: Path
) -> None:
    await load_demo(server.services)
    sarah = await demo_participant(api)

    reader = await browsing.page(sarah, viewport=WIDTHS[width])
    await reader.goto(f"/#/spaces/{DEMO_SLUG}")
    await expect(reader.locator(".comment").first).to_be_visible()
    await expect(reader.locator("#connection")).to_have_attribute("data-state", "live")
    await assert_fits_its_width(reader)
    # Two screens' worth from the top: the space, its background and the first thread.
    size = WIDTHS[width]
    clip: FloatRect = {"x": 0, "y": 0, "width": size["width"], "height": size["height"] * 2}
    await reader.screenshot(path=screenshots / f"participant-{width}.png", full_page=True, clip=clip)

    screen = await browsing.page(viewport=WIDTHS[width])
    await screen.goto(f"/#/screen/{DEMO_SLUG}")
    await expect(screen.locator(".wall-item").first).to_be_visible()
    await expect(screen.locator(".counter-big")).not_to_be_empty()
    await assert_fits_its_width(screen)
    await screen.wait_for_function("document.getAnimations().every((a) => a.playState !== 'running')")
    await screen.screenshot(path=screenshots / f"screen-{width}.png")

    for name in (f"participant-{width}.png", f"screen-{width}.png"):
        assert (screenshots / name).stat().st_size > 10_000, name  # a real picture, not a blank page


@pytest.mark.parametrize("width", list(WIDTHS))
async def test_screenshots_of_the_moderator_console(
    width: str, api: Api, server: RunningServer, browsing: Browsing, screenshots: Path
) -> None:
    await load_demo(server.services)
    moderator = await demo_login(api, MODERATORS[0])

    console = await browsing.page(moderator, viewport=WIDTHS[width])
    await console.goto(f"/#/console/{DEMO_SLUG}")
    await console.locator(".queue-tab", has_text="Recent").click()
    await expect(console.locator(".queue-item").first).to_be_visible()
    await expect(console.locator(".audit-entry").first).to_be_visible()
    await expect(console.locator("#connection")).to_have_attribute("data-state", "live")
    await assert_fits_its_width(console)
    size = WIDTHS[width]
    clip: FloatRect = {"x": 0, "y": 0, "width": size["width"], "height": size["height"] * 2}
    path = screenshots / f"console-{width}.png"
    await console.screenshot(path=path, full_page=True, clip=clip)
    assert path.stat().st_size > 10_000  # a real picture, not a blank page
