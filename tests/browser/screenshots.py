"""Screenshots of each state the tests reach, kept under ``tests/browser/artifacts/``."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def shot(
    target: Page | Locator, name: str, *, full_page: bool = False, top: str | None = None
) -> Path:
    """Save a screenshot of a page (or of one part of it) as ``artifacts/<name>.png``.

    ``top`` is a selector scrolled to the top of the window first, so that the state the test
    reached is what the picture shows.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if isinstance(target, Page) and top:
        target.locator(top).evaluate("(element) => element.scrollIntoView()")
    if isinstance(target, Page):
        target.screenshot(path=str(path), full_page=full_page)
    else:
        target.screenshot(path=str(path))
    return path
