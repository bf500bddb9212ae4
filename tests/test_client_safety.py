"""The browser client's safety net: security headers on every response, and a client
that never builds markup from strings."""

import re
from pathlib import Path

import pytest

from server.api.security_headers import CONTENT_SECURITY_POLICY
from tests.helpers import Api

CLIENT = Path(__file__).resolve().parent.parent / "client"
SOURCES = sorted([*CLIENT.glob("*.js"), *CLIENT.glob("views/**/*.js")])


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_the_policy_allows_scripts_and_styles_from_this_origin_only() -> None:
    policy = directives(CONTENT_SECURITY_POLICY)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "'unsafe-eval'" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "path", ["/", "/app.js", "/styles.css", "/i18n/fr.json", "/api/v1/spaces", "/api/v1/nope", "/healthz"]
)
async def test_every_response_carries_the_security_headers(api: Api, path: str) -> None:
    response = await api.http.get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


async def test_the_client_is_served_as_modules_with_the_right_types(api: Api) -> None:
    page = await api.http.get("/")
    assert page.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/app.js"></script>' in page.text
    script = await api.http.get("/app.js")
    assert script.headers["content-type"].split(";")[0] in ("text/javascript", "application/javascript")


def test_the_page_has_no_inline_scripts_styles_or_handlers() -> None:
    html = (CLIENT / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son\w+=", html), "inline event handler"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(CLIENT)))
def test_client_code_never_builds_markup_from_strings(source: Path) -> None:
    code = source.read_text(encoding="utf-8")
    for forbidden in (
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "createContextualFragment",
        "DOMParser",
    ):
        assert forbidden not in code, f"{source.name} uses {forbidden}"
    # innerHTML appears once in the whole client: dom.js's setSanitisedHtml, for the server's sanitised HTML.
    if source.name == "dom.js":
        assert code.count("innerHTML") == 1
        assert (
            "export function setSanitisedHtml(container, html) {\n  container.innerHTML = html ?? '';" in code
        )
    else:
        assert "innerHTML" not in code, f"{source.name}: use setSanitisedHtml or textContent"
    assert not re.search(r"setAttribute\(\s*['\"]on", code), f"{source.name} sets an inline handler"
