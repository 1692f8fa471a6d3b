"""A reader uploads a novel, reads its short sentences, searches them, and downloads them."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screenshots import shot

pytestmark = pytest.mark.slow

PROCESSING_MS = 480_000  # a whole novel through the real pipeline on a busy 2-core machine
ROWS_PER_PAGE = 25


def process(page: Page, pdf: Path) -> None:
    """Choose the file, wait for the estimate, confirm, and wait for the results."""
    page.set_input_files("#file-input", str(pdf))
    expect(page.locator("#confirm")).to_be_enabled()
    page.click("#confirm")
    expect(page.locator("#results")).to_be_visible(timeout=PROCESSING_MS)


def count_in(text: str) -> int:
    """The first number of a sentence such as « 1 224 phrases, dont 970 réécrites »."""
    match = re.search(r"\d[\d\s\u202f,.]*", text)
    assert match, text
    return int(re.sub(r"\D", "", match.group()))


def test_a_reader_uploads_candide_and_reads_its_sentences(signed_in: Page, corpus: Path) -> None:
    page = signed_in
    shot(page, "01-signed-in")
    page.set_input_files("#file-input", str(corpus / "pdf" / "voltaire_candide_ligaran2015.pdf"))
    expect(page.locator("#estimate-pages")).to_have_text("90")
    expect(page.locator("#estimate-verdict")).to_have_text("Vous avez assez de crédits.")
    expect(page.locator("#estimate-async")).to_be_visible()  # 90 pages: more than one chunk
    shot(page, "02-candide-estimate")

    page.click("#confirm")
    expect(page.locator("#results")).to_be_visible(timeout=PROCESSING_MS)
    shot(page, "03-candide-results", top="#progress")

    rows = page.locator("#results-body tr.sentence")
    expect(rows).to_have_count(ROWS_PER_PAGE)
    assert count_in(page.inner_text("#results-summary")) > 1000
    texts = page.locator("#results-body td:nth-child(2)").all_inner_texts()
    assert any("Candide" in text for text in texts[:ROWS_PER_PAGE])

    page.fill("#results-search", "Pangloss")
    expect(page.locator("#results-matches")).not_to_be_empty()
    for text in page.locator("#results-body tr.sentence").all_inner_texts():
        assert "pangloss" in text.lower()
    shot(page, "04-candide-search", top="#results")

    page.fill("#results-search", "")
    expect(page.locator("#results-matches")).to_be_empty()
    page.click("#pager-next")
    expect(page.locator("#pager-status")).to_contain_text("Page 2 sur")
    first = page.locator("#results-body td:first-child").first
    expect(first).to_have_text(str(ROWS_PER_PAGE + 1))


def test_a_reader_reopens_a_past_job_and_downloads_its_csv(
    signed_in: Page, book: Callable[[str], Path]
) -> None:
    page = signed_in
    process(page, book("bovary-5"))
    total = count_in(page.inner_text("#results-summary"))

    # The token is remembered: a new visit goes straight to the reader's jobs.
    page.reload()
    expect(page.locator("#token")).not_to_have_value("")
    job = page.locator("#jobs-body tr", has_text="bovary-5.pdf")
    expect(job).to_contain_text("terminé")
    shot(page, "05-past-jobs", top="#jobs")
    job.get_by_role("button").click()
    expect(page.locator("#results")).to_be_visible()
    expect(page.locator("#results-file")).to_have_text("bovary-5.pdf")

    with page.expect_download() as download:
        page.click("[data-format=csv]")
    assert download.value.suggested_filename.endswith(".csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "index",
        "text",
        "original",
        "page",
        "rewritten",
        "over_limit",
        "chapter",
    ]
    assert len(rows) == total
    assert [row["index"] for row in rows[:3]] == ["0", "1", "2"]
    shown = page.locator("#results-body tr.sentence").evaluate_all(SHORT_SENTENCES)
    assert [row["text"] for row in rows[: len(shown)]] == shown
    assert all(1 <= int(row["page"]) <= 5 for row in rows)

    for fmt in ("json", "xlsx"):
        with page.expect_download() as download:
            page.click(f"[data-format={fmt}]")
        assert download.value.suggested_filename.endswith(f".{fmt}")
    shot(page, "06-downloads", top="#results")

    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    shot(page, "06b-results-on-a-phone", top="#results")


# The short sentences a page shows, in order: a rewritten sentence's pieces, else the sentence.
SHORT_SENTENCES = """
(rows) => rows.flatMap((row) => {
  const pieces = [...row.querySelectorAll("li.piece")].map((li) => li.textContent);
  return pieces.length ? pieces : [row.querySelector("p.source").textContent];
})
"""

TWENTY_THOUSAND = """
async () => {
  const { ResultsTable } = await import('./results.js');
  const table = new ResultsTable(document.querySelector('#results'));
  const sentences = Array.from({ length: 20000 }, (_, i) => ({
    index: i,
    text: `Phrase courte numéro ${i}.`,
    original: `Phrase courte numéro ${i}, qui était bien plus longue à l’origine.`,
    page: 1 + Math.floor(i / 50),
    rewritten: true,
    over_limit: i % 1000 === 0,
  }));
  table.load(sentences);
}
"""


def test_twenty_thousand_sentences_keep_one_page_of_rows_in_the_document(page: Page) -> None:
    page.evaluate(TWENTY_THOUSAND)
    expect(page.locator("#results-summary")).to_contain_text("20 000 phrases")
    expect(page.locator("#results-summary")).to_contain_text("20 au-delà de la limite de mots")
    expect(page.locator("#results-body tr.sentence")).to_have_count(ROWS_PER_PAGE)
    over = page.locator("#results-body [data-badge]")
    expect(over).to_have_count(1)  # the first sentence of each thousand
    expect(over).to_have_attribute("data-badge", "au-delà de la limite")
    expect(over).to_have_text("Phrase courte numéro 0.")  # the badge is not part of the text
    expect(page.locator("#pager-status")).to_have_text("Page 1 sur 800")

    page.click("#pager-last")
    expect(page.locator("#results-body td:first-child").last).to_have_text("20 000")
    page.fill("#results-search", "numero 12345")  # accents need not be typed
    expect(page.locator("#results-matches")).to_have_text("1 phrase trouvée")
    expect(page.locator("#results-body tr")).to_have_count(1)
