"""A reader reads a book: sentences grouped with their pieces, chapters, « rewritten only »."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screenshots import shot
from tests.support.epubs import Book, Chapter, build_by_hand

pytestmark = pytest.mark.slow

PROCESSING_MS = 240_000

# 30 plain sentences in chapter 1; 10 sentences cut in 3 pieces in chapter 2 (the second piece of
# each over the limit); 5 plain sentences in chapter 3.
A_BOOK = """
async () => {
  const { ResultsTable } = await import('./results.js');
  const table = new ResultsTable(document.querySelector('#results'));
  const sentences = [];
  const add = (text, original, chapter, rewritten, over = false) => sentences.push({
    index: sentences.length, text, original, page: chapter, rewritten, over_limit: over, chapter,
  });
  for (let i = 0; i < 30; i++) add(`Phrase ${i}.`, `Phrase ${i}.`, 1, false);
  for (let i = 0; i < 10; i++) {
    const original = `Longue phrase ${i}, avec trois morceaux, et une fin.`;
    add(`Longue phrase ${i}.`, original, 2, true);
    add(`Elle a trois morceaux ${i}.`, original, 2, true, true);
    add(`Elle a une fin ${i}.`, original, 2, true);
  }
  for (let i = 0; i < 5; i++) add(`Fin ${i}.`, `Fin ${i}.`, 3, false);
  const chapters = [
    { index: 1, title: "I", part: "Première partie", first_sentence: 0, page: 1 },
    { index: 2, title: "II — Le départ", part: "Première partie", first_sentence: 30, page: 2 },
    { index: 3, title: "Épilogue", part: "", first_sentence: 60, page: 3 },
  ];
  table.load(sentences, chapters);
}
"""


def test_a_rewritten_sentence_shows_once_with_its_pieces_beneath(page: Page) -> None:
    page.evaluate(A_BOOK)
    rows = page.locator("#results-body tr.sentence")
    expect(rows).to_have_count(25)
    expect(page.locator("#results-body tr.chapter-row").first).to_have_text("Première partie · I")
    expect(page.locator("#pager-status")).to_have_text("Page 1 sur 2")

    page.click("#pager-next")
    row = page.locator("#results-body tr.sentence.rewritten").first
    expect(row.locator("p.source")).to_have_text(
        "Longue phrase 0, avec trois morceaux, et une fin."
    )
    expect(row.locator("li.piece")).to_have_text(
        ["Longue phrase 0.", "Elle a trois morceaux 0.", "Elle a une fin 0."]
    )
    expect(row.locator("li.piece[data-badge]")).to_have_text("Elle a trois morceaux 0.")
    # the original appears once in the row, never under each piece
    assert row.inner_text().count("avec trois morceaux, et une fin") == 1


def test_the_chapter_menu_jumps_to_a_chapter_and_the_filter_keeps_rewritten_sentences(
    page: Page,
) -> None:
    page.evaluate(A_BOOK)
    menu = page.locator("#results-chapter")
    expect(menu.locator("option")).to_have_text(
        [
            "Aller au chapitre…",
            "Première partie · I",
            "Première partie · II — Le départ",
            "Épilogue",
        ]
    )
    menu.select_option("3")
    expect(page.locator("#pager-status")).to_have_text("Page 2 sur 2")
    heading = page.locator('#results-body tr.chapter-row[data-chapter="3"]')
    expect(heading).to_have_text("Épilogue")
    expect(heading.locator("th")).to_be_focused()
    expect(heading).to_be_in_viewport()

    page.check("#results-rewritten-only")
    expect(page.locator("#results-body tr.sentence")).to_have_count(10)
    expect(page.locator("#results-body tr.sentence:not(.rewritten)")).to_have_count(0)
    expect(page.locator("#results-matches")).to_have_text("10 phrases trouvées")
    menu.select_option("2")
    expect(page.locator('#results-body tr.chapter-row[data-chapter="2"]')).to_be_visible()
    page.uncheck("#results-rewritten-only")
    expect(page.locator("#pager-status")).to_have_text("Page 1 sur 2")


def _story() -> Book:
    long = (
        "Le matin, Paul ouvrit la fenêtre de sa chambre et regarda longuement la rue où "
        "passaient les voitures des marchands qui allaient au marché de la ville."
    )
    return Book(
        "Trois Chapitres",
        "Anne Exemple",
        [
            Chapter("Chapitre premier", "Première partie", [long, "Il sourit."]),
            Chapter("Chapitre II", "Première partie", ["Marie arriva le soir. " + long]),
            Chapter("Chapitre III", "Deuxième partie", ["Ils partirent. " + long]),
        ],
    )


def test_a_reader_uploads_an_epub_and_reads_it_by_chapter(signed_in: Page, tmp_path: Path) -> None:
    page = signed_in
    epub = build_by_hand(_story(), tmp_path / "trois-chapitres.epub")
    page.set_input_files("#file-input", str(epub))
    expect(page.locator("#confirm")).to_be_enabled()
    page.click("#confirm")
    expect(page.locator("#results")).to_be_visible(timeout=PROCESSING_MS)

    expect(page.locator("#results-chapter option")).to_have_text(
        [
            "Aller au chapitre…",
            "Première partie · Chapitre premier",
            "Première partie · Chapitre II",
            "Deuxième partie · Chapitre III",
        ]
    )
    rewritten = page.locator("#results-body tr.sentence.rewritten").first
    expect(rewritten.locator("p.source")).to_contain_text("Le matin, Paul ouvrit la fenêtre")
    assert rewritten.locator("li.piece").count() >= 2
    page.locator("#results-chapter").select_option("3")
    expect(page.locator('#results-body tr.chapter-row[data-chapter="3"] th')).to_be_focused()
    shot(page, "11-epub-book-by-chapter", top="#results")
