"""Browser test fixtures: one chromium for the whole session, and per test a fresh
database, a real server and pages that fail the test on a script error or a CSP
violation.

The browser lives in the session's event loop, so these tests (marked with
`loop_scope="session"`) and the server they talk to run in that loop too: the
fixtures below are the root conftest's, moved into it.
"""

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright

from server.running.settings import Settings
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, Browsing
from tests.helpers import TEMPLATE_DB, Api, RunningServer, fresh_database, start_server


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)"
        )
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@pytest_asyncio.fixture(loop_scope="session")
async def database_url(postgres_server_url: str, template_url: str) -> AsyncIterator[str]:
    async with fresh_database(postgres_server_url, TEMPLATE_DB) as url:
        yield url


@pytest_asyncio.fixture(loop_scope="session")
async def server(settings: Settings) -> AsyncIterator[RunningServer]:
    async with start_server(settings) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="session")
async def client(server: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        yield http


@pytest_asyncio.fixture(loop_scope="session")
async def api(client: httpx.AsyncClient, server: RunningServer) -> Api:
    return Api(client, server)


@pytest_asyncio.fixture(loop_scope="session")
async def browsing(browser: Browser, server: RunningServer) -> AsyncIterator[Browsing]:
    """Pages for this test; afterwards, no page may have had a script error or a CSP violation."""
    session = Browsing(browser, server.url)
    try:
        yield session
        problems = await session.problems()
        assert not problems, problems
    finally:
        await session.close()
