"""Every error code of the API reads as a sentence in French and in English."""

from __future__ import annotations

from playwright.sync_api import Page

from frenchnovel.api.errors import INTERNAL_ERROR, INVALID_REQUEST
from frenchnovel.errors import ErrorCode

LOAD_STRINGS = "async () => (await import('./strings.js')).STRINGS"
# The project's codes, and the HTTP layer's own that a reader can meet.
CODES = [code.value for code in ErrorCode] + [INVALID_REQUEST, INTERNAL_ERROR]


def test_every_error_code_has_a_sentence_in_both_languages(page: Page) -> None:
    strings: dict[str, dict[str, str]] = page.evaluate(LOAD_STRINGS)
    for code in CODES:
        french, english = strings["fr"].get(f"error.{code}"), strings["en"].get(f"error.{code}")
        assert french and english, f"{code} has no sentence"
        assert french != english, f"{code} is not translated"
        assert french.endswith(".") and english.endswith("."), f"{code}: not a sentence"


def test_both_languages_have_the_same_words_to_say(page: Page) -> None:
    strings: dict[str, dict[str, str]] = page.evaluate(LOAD_STRINGS)
    assert set(strings["fr"]) == set(strings["en"])
