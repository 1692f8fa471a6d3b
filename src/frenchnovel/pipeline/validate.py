"""Cheap checks of an uploaded file before any work is planned or any credit reserved.

Never extracts the book: the size comes from ``stat``, the page count from the cross-reference
table, and the text-layer test stops at the first page that has text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from frenchnovel.errors import ErrorCode, InputError
from frenchnovel.pipeline.budget import CheckBudget, unlimited
from frenchnovel.pipeline.kinds import document_kind
from frenchnovel.pipeline.pdfium_lock import PDFIUM

_MAGIC = b"%PDF-"
_HEADER_WINDOW = 1024  # PDF readers accept junk before the header within the first kilobyte
_SAMPLE_PAGES = 12  # pages spread over the book, tried first for the text-layer test
_PAGE_LETTERS = 100  # letters that make a page's text more than OCR scraps on a scan


@dataclass(frozen=True, slots=True)
class PdfInfo:
    """What validation learnt about an acceptable document."""

    page_count: int
    file_size: int


def validate_document(
    path: Path,
    *,
    max_bytes: int,
    max_pages: int,
    budget: CheckBudget | None = None,
    ocr: str = "off",
) -> PdfInfo:
    """Validate a PDF, an EPUB (see ``epub``) or a .txt novel (see ``textfile``): the kind is
    read from the content (``kinds``); ``budget`` bounds the check of a PDF, ``ocr`` is the
    job's option (see ``validate_pdf``)."""
    kind = document_kind(path)
    if kind == "epub":
        from frenchnovel.pipeline.epub.source import EpubSource

        size = _checked_size(path, max_bytes)
        book = EpubSource(path)
        _check_page_count(book.page_count, max_pages)
        return PdfInfo(book.page_count, size)
    if kind == "text":
        from frenchnovel.pipeline.textfile import TextSource

        size = _checked_size(path, max_bytes)
        source = TextSource(path)
        _check_page_count(source.page_count, max_pages)
        return PdfInfo(source.page_count, size)
    return validate_pdf(path, max_bytes=max_bytes, max_pages=max_pages, budget=budget, ocr=ocr)


def validate_pdf(
    path: Path,
    *,
    max_bytes: int,
    max_pages: int,
    budget: CheckBudget | None = None,
    ocr: str = "off",
) -> PdfInfo:
    """Check that ``path`` is a PDF the pipeline can read, or raise ``InputError`` with its code.

    Codes: INVALID_PDF, ENCRYPTED_PDF (a password is needed; one that opens with an empty
    password is fine), EMPTY_PDF, NO_TEXT_LAYER (no page has extractable text), FILE_TOO_LARGE,
    TOO_MANY_PAGES, and PDF_TOO_COMPLEX when reading its pages outruns ``budget`` (started
    here, once the page count is known).

    ``ocr`` is the job's option: with ``auto`` a scan (pages of images without text) is
    accepted, since OCR will read it; with ``force`` any document whose pages load is.
    """
    size = _checked_size(path, max_bytes)
    with path.open("rb") as handle:
        head = handle.read(_HEADER_WINDOW)
    if _MAGIC not in head:
        raise InputError("the file is not a PDF (it does not start with %PDF-)")
    with PDFIUM:
        return PdfInfo(_checked_document(path, max_pages, budget or unlimited(), ocr), size)


def _checked_document(path: Path, max_pages: int, budget: CheckBudget, ocr: str = "off") -> int:
    """The page count of a PDF that opens, has pages and a text layer (PDFium held)."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise _load_error(path, exc) from None
    try:
        page_count = len(pdf)
        if page_count == 0:
            raise InputError("the PDF has no pages", code=ErrorCode.EMPTY_PDF)
        _check_page_count(page_count, max_pages)
        budget.start(page_count)
        layer = _text_layer(pdf, page_count, budget)
        if layer == "unreadable":
            raise InputError("the PDF is damaged: none of its pages can be read")
        if layer == "none" and ocr == "auto" and has_scanned_pages(pdf, page_count):
            return page_count
        if layer == "none" and ocr == "off":
            raise InputError(
                "no page of this PDF has extractable text (a scan, or images with stray "
                "text); run it through OCR first",
                code=ErrorCode.NO_TEXT_LAYER,
            )
        if layer == "none" and ocr == "auto":
            raise InputError(
                "no page of this PDF has text or a scanned image to read (drawings only, or "
                "glyphs without letters); the option ocr=force reads every page as an image",
                code=ErrorCode.NO_TEXT_LAYER,
            )
    finally:
        pdf.close()
    return page_count


def _checked_size(path: Path, max_bytes: int) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"the file cannot be read ({exc.strerror})") from None
    if size > max_bytes:
        raise InputError(
            f"the file is {size / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB",
            code=ErrorCode.FILE_TOO_LARGE,
        )
    if size == 0:
        raise InputError("the file is empty", code=ErrorCode.EMPTY_PDF)
    return size


def _check_page_count(page_count: int, max_pages: int) -> None:
    if page_count > max_pages:
        raise InputError(
            f"the document has {page_count} pages; the limit is {max_pages}",
            code=ErrorCode.TOO_MANY_PAGES,
        )


def _load_error(path: Path, exc: pdfium.PdfiumError) -> InputError:
    # PDFium's last-error code can be left over from an earlier document in this process, so an
    # encryption code is believed only for a file that declares encryption.
    encrypted = exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY)
    if encrypted and b"/Encrypt" in path.read_bytes():
        return InputError("the PDF is protected by a password", code=ErrorCode.ENCRYPTED_PDF)
    if _declares_no_pages(path):
        return InputError("the PDF has no pages", code=ErrorCode.EMPTY_PDF)
    return InputError("the PDF is damaged and cannot be read")


def _declares_no_pages(path: Path) -> bool:
    """PDFium refuses a page tree with ``/Count 0``; recognise that case as an empty PDF."""
    data = path.read_bytes()
    has_zero_count = re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b", data, re.S) or re.search(
        rb"/Count\s+0\b[^>]*?/Type\s*/Pages\b", data, re.S
    )
    has_a_page = re.search(rb"/Type\s*/Page\b(?!s)", data)
    return bool(has_zero_count) and not has_a_page


def _text_layer(pdf: pdfium.PdfDocument, page_count: int, budget: CheckBudget) -> str:
    """``text`` when some page has text, ``none`` for a scan, ``unreadable`` when no page loads.

    A page has text when it holds ``_PAGE_LETTERS`` letters: OCR'd scraps on a scanned figure do
    not count (a one-page document only needs some letters). A spread sample goes first, then
    the other pages, stopping at the first page with text; a scan has none, so all its pages are
    looked at, cheaply: its images are never decoded.
    """
    step = max(1, page_count // _SAMPLE_PAGES)
    order = [*range(0, page_count, step), *(i for i in range(page_count) if i % step)]
    loaded, most = False, 0
    for index in order:
        budget.spend()
        letters = _page_letters(pdf, index)
        if letters is None:
            continue
        loaded, most = True, max(most, letters)
        if most >= _PAGE_LETTERS:
            return "text"
    if not loaded:
        return "unreadable"
    return "text" if page_count == 1 and most > 0 else "none"


def has_scanned_pages(pdf: pdfium.PdfDocument, page_count: int) -> bool:
    """Whether some page holds an image (a scan) and no text: what ``ocr=auto`` reads."""
    for index in range(page_count):
        try:
            page = pdf[index]
        except pdfium.PdfiumError:
            continue
        try:
            objects = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2)
            if next(iter(objects), None) is not None:
                return True
        except pdfium.PdfiumError:
            continue
        finally:
            page.close()
    return False


def _page_letters(pdf: pdfium.PdfDocument, index: int) -> int | None:
    """How many letters a page's text has; None when PDFium cannot load the page."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return None
    try:
        textpage = page.get_textpage()
        try:
            count = textpage.count_chars()
            if count <= 0:
                return 0
            text = str(textpage.get_text_range(0, min(count, 4 * _PAGE_LETTERS)))
            return sum(char.isalpha() for char in text)
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        return None
    finally:
        page.close()
