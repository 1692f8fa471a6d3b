"""Validation: each kind of bad file gets its own error code, cheaply."""

from __future__ import annotations

from pathlib import Path

import pytest

from frenchnovel.errors import ErrorCode, InputError
from frenchnovel.pipeline.validate import PdfInfo, validate_document, validate_pdf

MB = 1024 * 1024
LIMITS = {"max_bytes": 50 * MB, "max_pages": 2000}

REJECTED = {
    "qpdf_bad1.pdf": ErrorCode.INVALID_PDF,  # the text "oops"
    "ocrmypdf_typewriter_PNG-renamed-to.pdf": ErrorCode.INVALID_PDF,
    "ocrmypdf_invalid.pdf": ErrorCode.INVALID_PDF,
    "qpdf_fuzz-16214.pdf": ErrorCode.INVALID_PDF,
    "qpdf_deep-pages.pdf": ErrorCode.INVALID_PDF,
    "qpdf_empty.pdf": ErrorCode.EMPTY_PDF,
    "pypdf_r4-aes-user-password.pdf": ErrorCode.ENCRYPTED_PDF,
    "ocrmypdf_no_contents.pdf": ErrorCode.NO_TEXT_LAYER,
    "ocrmypdf_vector.pdf": ErrorCode.NO_TEXT_LAYER,
    "ocrmypdf_enormous.pdf": ErrorCode.NO_TEXT_LAYER,
    "qpdf_append-xref-loop.pdf": ErrorCode.NO_TEXT_LAYER,  # 30 pages of a few letters each
    "ocrmypdf_type3_font_nomapping.pdf": ErrorCode.NO_TEXT_LAYER,  # glyphs, no letters
}
ACCEPTED = {
    "pypdf_r2-owner-password.pdf": 1,  # opens with an empty password
    "unstructured_copy-protected.pdf": 2,
    "qpdf_bad-xref.pdf": 1,
    "unstructured_DA-619p.pdf": 619,
    "unstructured_rotated-page-90.pdf": 1,
}


@pytest.mark.parametrize(("name", "code"), sorted(REJECTED.items()))
def test_a_bad_file_is_refused_with_its_own_code(corpus: Path, name: str, code: ErrorCode) -> None:
    with pytest.raises(InputError) as caught:
        validate_pdf(corpus / "robustness" / name, **LIMITS)
    assert caught.value.code == code
    assert len(caught.value.message) > 10  # a sentence a person understands


@pytest.mark.parametrize(("name", "pages"), sorted(ACCEPTED.items()))
def test_a_readable_pdf_is_accepted_with_its_page_count(
    corpus: Path, name: str, pages: int
) -> None:
    path = corpus / "robustness" / name
    assert validate_pdf(path, **LIMITS) == PdfInfo(pages, path.stat().st_size)


def test_a_scanned_book_has_no_text_layer(corpus: Path) -> None:
    with pytest.raises(InputError) as caught:
        validate_pdf(corpus / "pdf" / "ocrmypdf_multipage_image-only_EN.pdf", **LIMITS)
    assert caught.value.code == ErrorCode.NO_TEXT_LAYER


def test_candide_is_accepted_although_its_first_pages_are_images(corpus: Path) -> None:
    info = validate_pdf(corpus / "pdf" / "voltaire_candide_ligaran2015.pdf", **LIMITS)
    assert info.page_count == 90


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    big.write_bytes(b"not even a PDF" * 100_000)
    with pytest.raises(InputError) as caught:
        validate_pdf(big, max_bytes=MB, max_pages=2000)
    assert caught.value.code == ErrorCode.FILE_TOO_LARGE


def test_a_book_over_the_page_limit_is_refused(corpus: Path) -> None:
    with pytest.raises(InputError) as caught:
        validate_pdf(
            corpus / "robustness" / "unstructured_DA-619p.pdf", max_bytes=50 * MB, max_pages=500
        )
    assert caught.value.code == ErrorCode.TOO_MANY_PAGES
    assert "619" in caught.value.message


def test_an_empty_file_is_an_empty_pdf(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(InputError) as caught:
        validate_pdf(empty, **LIMITS)
    assert caught.value.code == ErrorCode.EMPTY_PDF


def test_a_text_novel_is_paged_by_whole_paragraphs(tmp_path: Path) -> None:
    novel = tmp_path / "novel.txt"
    paragraph = "Il était une fois un petit garçon qui rêvait de la mer. " * 20
    novel.write_text("\n\n".join([paragraph] * 10), encoding="utf-8")
    info = validate_document(novel, **LIMITS)
    assert info.page_count == 4  # 1,120 characters a paragraph: 3 make a page of 3,000


def test_a_text_file_without_text_is_empty(tmp_path: Path) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_text("\n \r\n\t\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        validate_document(blank, **LIMITS)
    assert caught.value.code == ErrorCode.EMPTY_PDF


def test_validate_document_hands_pdfs_to_validate_pdf(corpus: Path) -> None:
    with pytest.raises(InputError) as caught:
        validate_document(corpus / "robustness" / "qpdf_bad1.pdf", **LIMITS)
    assert caught.value.code == ErrorCode.INVALID_PDF
