"""Broken files and bad tokens are explained in a sentence, in French and in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screenshots import shot

BROKEN = [
    (
        "robustness/ocrmypdf_invalid.pdf",
        "INVALID_PDF",
        "Ce fichier n’est pas un PDF lisible.",
        "This file is not a readable PDF.",
    ),
    (
        "robustness/pypdf_r4-aes-user-password.pdf",
        "ENCRYPTED_PDF",
        "Ce PDF est protégé par un mot de passe",
        "This PDF is password-protected",
    ),
    (
        "pdf/ocrmypdf_multipage_image-only_EN.pdf",
        "NO_TEXT_LAYER",
        "Ce PDF ne contient pas de texte",
        "This PDF has no text",
    ),
]


@pytest.mark.parametrize(("name", "code", "french", "english"), BROKEN)
def test_a_broken_file_is_explained_in_both_languages(
    signed_in: Page, corpus: Path, name: str, code: str, french: str, english: str
) -> None:
    page = signed_in
    page.set_input_files("#file-input", str(corpus / name))
    if code == "NO_TEXT_LAYER":
        page.select_option("#ocr", "off")  # a scan is read by OCR unless the reader says no
    error = page.locator("#error")
    # Some faults show at the estimate, others (a scan without text) only when processing.
    expect(page.locator("#error:visible, #confirm:enabled")).to_be_visible()
    if error.is_hidden():
        page.click("#confirm")
    expect(error).to_be_visible(timeout=60_000)
    expect(page.locator("#error-code")).to_have_text(code)
    expect(page.locator("#error-text")).to_contain_text(french)
    expect(page.locator("#confirm")).to_be_hidden()
    shot(page, f"14-error-{code.lower()}-fr")

    page.get_by_role("button", name="English").click()
    expect(page.locator("#error-text")).to_contain_text(english)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot(page, f"15-error-{code.lower()}-en")


def test_a_wrong_token_is_explained(page: Page) -> None:
    page.fill("#token", "not-a-real-token")
    page.press("#token", "Enter")
    expect(page.locator("#error-code")).to_have_text("UNAUTHORIZED")
    expect(page.locator("#error-text")).to_have_text("Ce jeton d’accès n’est pas reconnu.")
    shot(page, "16-wrong-token")


def test_a_file_name_with_markup_is_shown_as_plain_text(signed_in: Page) -> None:
    page = signed_in
    name = "<img src=x onerror=\"document.title='pwned'\">.pdf"
    page.set_input_files(
        "#file-input", files=[{"name": name, "mimeType": "application/pdf", "buffer": b"junk"}]
    )
    expect(page.locator("#error-code")).to_have_text("INVALID_PDF")
    expect(page.locator("#file-name")).to_contain_text(name)
    assert page.locator("#submit img").count() == 0
    assert page.title() != "pwned"


DROP_A_FILE = """
([name, content]) => {
  const data = new DataTransfer();
  data.items.add(new File([content], name, { type: 'application/pdf' }));
  const zone = document.querySelector('#dropzone');
  zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true }));
  zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true }));
}
"""


def test_a_file_dropped_on_the_zone_is_checked_like_a_chosen_one(signed_in: Page) -> None:
    page = signed_in
    page.evaluate(DROP_A_FILE, ["dropped.pdf", "not a pdf at all"])
    expect(page.locator("#file-name")).to_contain_text("dropped.pdf")
    expect(page.locator("#error-code")).to_have_text("INVALID_PDF")
    shot(page, "19-dropped-file-error")
