"""A reader makes a drill deck from a finished book on the page, and uploads a word list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.screenshots import shot

PROCESSING_MS = 240_000


def test_a_reader_makes_a_drill_deck_after_a_job_and_downloads_it_for_anki(
    signed_in: Page, book: Callable[[str], Path], tmp_path: Path
) -> None:
    page = signed_in
    page.set_input_files("#file-input", str(book("bovary-5")))
    expect(page.locator("#confirm")).to_be_enabled()
    page.click("#confirm")
    expect(page.locator("#results")).to_be_visible(timeout=PROCESSING_MS)

    page.click("#deck-step-button")  # « Make a drill deck », under the results
    expect(page.locator("#deck-jobs option")).to_have_count(1)
    page.fill("#deck-count", "20")
    page.fill("#deck-len-max", "12")
    page.click("#deck-build")
    expect(page.locator("#deck-done")).to_be_visible(timeout=120_000)
    expect(page.locator("#deck-summary")).to_contain_text("phrases")
    assert page.locator("#deck-cards li").count() >= 1
    shot(page, "decks-01-drill", top="#decks")

    with page.expect_download() as download:
        page.click("[data-deck-format=apkg]")
    saved = tmp_path / "deck.apkg"
    download.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"  # a zip, as Anki expects

    words = tmp_path / "mots.txt"
    words.write_text("maison\nMaisons\nprendre|prit\n", encoding="utf-8")
    page.set_input_files("#list-file", str(words))
    page.click("#list-upload")
    expect(page.locator("#list-report")).to_contain_text("2 entrées sur 3 lignes : 1 doublons")
    expect(page.locator("#deck-list")).to_have_value(
        page.locator("#deck-list option").last.get_attribute("value") or ""
    )
    shot(page, "decks-02-list", top="#decks")
