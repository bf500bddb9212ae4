"""Hostile input reaches the page as harmless text or sanitised markup and runs nothing:
in comment bodies, names, affiliations, titles and the background text, in the
participant view and on the screen."""

import pytest
from playwright.async_api import Dialog, Page, expect

from tests.browser.support import LIVE_MS, Browsing, open_consultation
from tests.helpers import Api

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

# Every payload would set window.__pwned (or open a dialog) if it ran.
HOSTILE_BODIES = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img onerror'\">",
    "[click me](javascript:window.__pwned='markdown link')",
    "<a href=\"javascript:window.__pwned='html link'\">click me</a>",
    "<svg onload=\"window.__pwned = 'svg onload'\"><circle r=10 /></svg>",
    '<style>body { display: none }</style><div style="background:url(javascript:alert(1))">css</div>',
    "<iframe src=\"javascript:parent.__pwned='iframe'\"></iframe>",
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![image](javascript:window.__pwned='image')",
    "<object data=\"javascript:window.__pwned='object'\"></object><embed src=x>",
    "<form action=\"javascript:window.__pwned='form'\"><button>go</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__pwned='mxss'\">",
    '"><img src=x onerror=alert(1)>',
    "<details open ontoggle=\"window.__pwned='details'\">x</details>",
    "`<script>window.__pwned='code'</script>` and **bold** stay text",
]
HOSTILE_NAME = "<img src=x onerror=\"window.__pwned='name'\">Eve"
HOSTILE_AFFILIATION = "<script>window.__pwned='affiliation'</script>"
TRAP = "window.__pwned = false; window.alert = () => { window.__pwned = 'alert'; };"

# What no comment, title or background may contain once on the page.
DANGEROUS_DOM = """(root) => {
  const tags = ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'FORM', 'SVG', 'MATH', 'IMG'];
  const found = [];
  for (const el of root.querySelectorAll('*')) {
    if (tags.includes(el.tagName.toUpperCase())) found.push(el.tagName);
    for (const attr of el.attributes) {
      const name = attr.name;
      const value = attr.value.trim().toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcdoc') found.push(name);
      const scheme = value.startsWith('javascript:') || value.startsWith('data:');
      if (['href', 'src', 'action', 'data'].includes(name) && scheme) found.push(`${name}=${value}`);
    }
  }
  return found;
}"""


async def assert_harmless(page: Page, dialogs: list[str]) -> None:
    assert await page.evaluate("window.__pwned") is False
    assert dialogs == []
    for selector in (
        ".comment-body",
        ".wall-body",
        ".intro",
        ".question-body",
        ".comment-meta",
        ".wall-meta",
    ):
        for element in await page.locator(selector).all():
            assert await element.evaluate(DANGEROUS_DOM) == [], selector


async def test_hostile_comments_names_and_texts_render_as_harmless_text_and_run_nothing(
    api: Api, browsing: Browsing
) -> None:
    water = await open_consultation(
        api,
        title="<script>window.__pwned='title'</script>Water",
        intro="<img src=x onerror=\"window.__pwned='intro'\"> **Intro**",
    )
    eve = await api.register(HOSTILE_NAME, affiliation=HOSTILE_AFFILIATION)
    qid = water.questions[0]["id"]
    for body in HOSTILE_BODIES[:8]:
        await api.comment(eve, qid, body)
    dialogs: list[str] = []

    async def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()  # an open dialog would block the page before the asserts

    reader = await browsing.page(water.alice, init_scripts=(TRAP,))
    reader.on("dialog", on_dialog)
    screen = await browsing.page(init_scripts=(TRAP,))
    screen.on("dialog", on_dialog)
    await reader.goto(water.url())
    await screen.goto(water.screen_url)
    await expect(reader.locator(".comment")).to_have_count(8)
    for body in HOSTILE_BODIES[8:]:  # the rest arrive live
        await api.comment(eve, qid, body)
    await expect(reader.locator(".comment")).to_have_count(len(HOSTILE_BODIES), timeout=LIVE_MS * 3)
    await expect(screen.locator(".wall-item")).to_have_count(len(HOSTILE_BODIES), timeout=LIVE_MS * 3)

    # Raw HTML shows as the text it is; Markdown still works.
    await expect(reader.locator(".comment .comment-body").first).to_have_text(
        "<script>window.__pwned = 'script'</script>"
    )
    await expect(reader.get_by_role("heading", level=1)).to_have_text(
        "<script>window.__pwned='title'</script>Water"
    )
    await expect(reader.locator(".intro strong")).to_have_text("Intro")
    await expect(reader.locator(".comment-author").first).to_have_text(HOSTILE_NAME)
    await expect(reader.locator(".comment-affiliation").first).to_have_text(HOSTILE_AFFILIATION)
    await expect(screen.locator(".wall-meta .comment-author").first).to_have_text(HOSTILE_NAME)
    last = reader.locator(".comment .comment-body").last
    await expect(last.locator("code")).to_have_text("<script>window.__pwned='code'</script>")
    await expect(last.locator("strong")).to_have_text("bold")
    # Links that survive are plain web links, marked as user content.
    for link in await reader.locator(".comment-body a").all():
        assert (await link.get_attribute("href") or "").startswith(("http://", "https://", "/#/users/")), link
        assert "ugc" in (await link.get_attribute("rel") or "")

    # Clicking what looks like a link runs nothing either.
    await reader.get_by_text("click me").first.click()
    await reader.keyboard.press("Escape")
    for page in (reader, screen):
        await assert_harmless(page, dialogs)
