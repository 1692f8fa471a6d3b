"""A reader drops a plain-text novel (.txt) on the page and reads its short sentences."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.screenshots import shot

STORY = (
    "Le vieux meunier ouvrait sa porte chaque matin avant le lever du jour, et il saluait les "
    "voisins qui passaient sur la route avec leurs charrettes pleines de blé.\n\n"
    "Un soir d’hiver, un voyageur frappa à la porte. Il avait froid."
)


def test_a_reader_uploads_a_text_novel_and_reads_its_sentences(signed_in: Page) -> None:
    page = signed_in
    assert ".txt" in (page.get_attribute("#file-input", "accept") or "")

    page.set_input_files(
        "#file-input",
        files=[{"name": "meunier.txt", "mimeType": "text/plain", "buffer": STORY.encode()}],
    )
    expect(page.locator("#estimate-pages")).to_have_text("1")
    page.click("#confirm")

    expect(page.locator("#results")).to_be_visible(timeout=120_000)
    texts = page.locator("#results-body td:nth-child(2)").all_inner_texts()
    assert "Il avait froid." in texts
    shot(page, "30-text-novel-results", top="#results")
