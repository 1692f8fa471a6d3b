"""A scanned page in the browser: the estimate says how many pages OCR will read; it is read."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.screenshots import shot
from tests.integration.pdfs import french_paragraphs, render_pdf
from tests.support.scans import scan_pdf


def test_a_reader_sees_the_pages_to_ocr_in_the_estimate_and_gets_the_scans_sentences(
    signed_in: Page, corpus: Path, tmp_path: Path
) -> None:
    printed = render_pdf(french_paragraphs(corpus, count=3), tmp_path / "printed.pdf", pages=1)
    scan = scan_pdf(printed, tmp_path / "scan.pdf", dpi=300)
    page = signed_in
    expect(page.locator("#ocr")).to_have_value("auto")

    page.set_input_files("#file-input", str(scan))

    expect(page.locator("#estimate-ocr")).to_have_text("1")
    expect(page.locator("#estimate-ocr-row")).to_contain_text("Pages lues par OCR")
    shot(page, "30-scan-estimate")
    page.click("#confirm")
    expect(page.locator("#results")).to_be_visible(timeout=120_000)
    texts = page.locator("#results-body td:nth-child(2)").all_inner_texts()
    assert len(texts) > 5 and any("Duroy" in text or "Lorette" in text for text in texts)
    shot(page, "31-scan-results", top="#results")
