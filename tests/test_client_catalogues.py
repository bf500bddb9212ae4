"""The browser client's catalogues: every key in all three languages, none empty, the
same placeholders everywhere, and every key the client uses is defined."""

import json
import re
from pathlib import Path

import pytest

CLIENT = Path(__file__).resolve().parent.parent / "client"
LANGUAGES = ("en", "fr", "es")
PLURAL_FORMS = (".one", ".other")
# Keys the client builds from a value (`space.status.${status}`, `error.${code}`, …)
# have these prefixes; the literal keys are found in the source (not event types,
# which the client compares with `===`).
KEY_LITERAL = re.compile(
    r"""(?<!=== )['"]((?:account|announce|comment|common|composer|connection|console|error|nav|notFound|"""
    r"""question|screen|space|spaces|thread|reason|flag|note)\.[A-Za-z_.]+)['"]"""
)
HTML_KEY = re.compile(r"""data-i18n(?:-attrs)?="(?:[\w-]+=)?([\w.]+)\"""")


def catalogue(lang: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((CLIENT / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
    return data


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_every_key_exists_in_all_three_catalogues() -> None:
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    for lang in LANGUAGES:
        assert keys[lang] == keys["en"], (
            f"{lang}: missing {sorted(keys['en'] - keys[lang])}, extra {sorted(keys[lang] - keys['en'])}"
        )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_catalogue_value_is_empty_and_placeholders_match_english(lang: str) -> None:
    english = catalogue("en")
    for key, value in catalogue(lang).items():
        assert isinstance(value, str) and value.strip(), f"{lang}: {key} is empty"
        assert placeholders(value) == placeholders(english[key]), f"{lang}: {key} has other placeholders"


def test_plural_keys_have_a_one_and_an_other_form() -> None:
    keys = set(catalogue("en"))
    for key in keys:
        for form in PLURAL_FORMS:
            if key.endswith(form):
                base = key.removesuffix(form)
                assert {base + f for f in PLURAL_FORMS} <= keys, f"{base} needs both .one and .other"


def test_every_key_the_client_uses_is_in_the_catalogues() -> None:
    keys = set(catalogue("en"))
    used: set[str] = set()
    for source in [*CLIENT.glob("*.js"), *CLIENT.glob("views/**/*.js")]:
        used |= set(KEY_LITERAL.findall(source.read_text(encoding="utf-8")))
    used |= set(HTML_KEY.findall((CLIENT / "index.html").read_text(encoding="utf-8")))
    assert len(used) > 50  # the scan finds the client's keys
    missing = sorted(k for k in used if k not in keys and not {k + f for f in PLURAL_FORMS} <= keys)
    assert not missing, f"keys used by the client but missing from the catalogues: {missing}"


def test_every_error_code_the_client_translates_has_a_sentence() -> None:
    source = (CLIENT / "errors.js").read_text(encoding="utf-8")
    known = re.search(r"new Set\(\[(.*?)\]\)", source, re.S)
    assert known, "errors.js lists the codes it translates in a Set"
    codes = re.findall(r"'(\w+)'", known.group(1))
    assert "network_error" in codes
    keys = set(catalogue("en"))
    assert "error.generic" in keys
    assert not [c for c in codes if f"error.{c}" not in keys]
