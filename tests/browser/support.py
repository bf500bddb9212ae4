"""What the browser tests share: where chromium and axe-core are, a consultation to
browse, and pages that fail the test on a script error or a CSP violation."""

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, ViewportSize

from tests.helpers import Api, User

ROOT = Path(__file__).resolve().parent.parent.parent
# Debian's chromium (`make test` installs it when missing); never a downloaded build.
CHROMIUM = Path(os.environ.get("ROUNDTABLE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Fetched, checked and unpacked by `make test` (see the Makefile's axe-core step).
AXE_JS = ROOT / ".cache" / "axe-core" / "axe.min.js"
# Where `make screenshots` asks for the README's pictures; `make test` leaves them alone and
# the screenshot tests write into a temporary folder instead.
SCREENSHOTS_ENV = "ROUNDTABLE_SCREENSHOTS"

DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
# A live change reaches every open view without a reload, within this bound. Generous
# on purpose: how fast it arrives is measured in bench/, not asserted on a loaded machine.
LIVE_MS = 5_000
# Page loads, logins and reconnects on a loaded 2-core machine.
LOAD_MS = 10_000

# Collected in every page before any of its scripts run: uncaught errors and CSP
# violations fail the test when its pages close (see Browsing.check).
WATCH_SCRIPT = """
window.__problems = [];
window.addEventListener('securitypolicyviolation', (e) => {
  window.__problems.push(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
});
"""


@dataclass
class Consultation:
    """A space with two open questions, a moderator and two participants."""

    slug: str
    questions: list[dict[str, Any]]
    moderator: User
    alice: User
    bob: User

    def url(self, route: str = "") -> str:
        return f"/#/spaces/{self.slug}{route}"

    @property
    def screen_url(self) -> str:
        return f"/#/screen/{self.slug}"


async def open_consultation(api: Api, slug: str = "water", **space_fields: Any) -> Consultation:
    fields: dict[str, Any] = {
        "title": "Water and climate roundtable",
        "intro": "Ministers meet in **spring**. Tell us what works.",
        "contact": "secretariat@example.org",
        "languages": ["en", "fr", "es"],
    }
    await api.space(slug, **(fields | space_fields))
    moderator = await api.moderator(slug, "Maya Moderator")
    questions = [
        await api.question(slug, "How should water be shared?", body="Think of *droughts*."),
        await api.question(slug, "Who is missing from the table?"),
    ]
    alice = await api.register("Alice Martin", affiliation="Water Council")
    bob = await api.register("Bob Okafor", affiliation="Farmers Alliance", language="fr")
    return Consultation(slug, questions, moderator, alice, bob)


@dataclass
class Browsing:
    """Opens pages in their own browser contexts (one per person) and closes them after the test."""

    browser: Browser
    base_url: str
    contexts: list[BrowserContext] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    async def page(
        self,
        user: User | None = None,
        *,
        viewport: ViewportSize = DESKTOP,
        locale: str = "en-GB",
        reduced_motion: bool = False,
        init_scripts: tuple[str, ...] = (),
    ) -> Page:
        context = await self.browser.new_context(
            base_url=self.base_url,
            viewport=viewport,
            locale=locale,
            reduced_motion="reduce" if reduced_motion else "no-preference",
        )
        self.contexts.append(context)
        await context.add_init_script(WATCH_SCRIPT)
        for script in init_scripts:
            await context.add_init_script(script)
        if user is not None:
            # The bearer token is also the session cookie's value: log in without the form.
            await context.add_cookies(
                [{"name": "roundtable_session", "value": user.token, "url": self.base_url}]
            )
        page = await context.new_page()
        page.set_default_timeout(LOAD_MS)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        return page

    async def problems(self) -> list[str]:
        """Script errors and CSP violations seen so far in every open page."""
        found = list(self.errors)
        for context in self.contexts:
            for page in context.pages:
                if not page.is_closed():
                    found += await page.evaluate("window.__problems ?? []")
        return found

    async def close(self) -> None:
        for context in self.contexts:
            await context.close()
