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

_MAGIC = b"%PDF-"
_HEADER_WINDOW = 1024  # PDF readers accept junk before the header within the first kilobyte
_SAMPLE_PAGES = 12  # pages spread over the book, tried first for the text-layer test
TEXT_SUFFIXES = frozenset({".txt", ".text"})


@dataclass(frozen=True, slots=True)
class PdfInfo:
    """What validation learnt about an acceptable document."""

    page_count: int
    file_size: int


def validate_document(path: Path, *, max_bytes: int, max_pages: int) -> PdfInfo:
    """Validate a .pdf, or a .txt novel (pages of whole paragraphs, see ``textfile``)."""
    if path.suffix.lower() in TEXT_SUFFIXES:
        from frenchnovel.pipeline.textfile import TextSource

        size = _checked_size(path, max_bytes)
        source = TextSource(path)
        _check_page_count(source.page_count, max_pages)
        return PdfInfo(source.page_count, size)
    return validate_pdf(path, max_bytes=max_bytes, max_pages=max_pages)


def validate_pdf(path: Path, *, max_bytes: int, max_pages: int) -> PdfInfo:
    """Check that ``path`` is a PDF the pipeline can read, or raise ``InputError`` with its code.

    Codes: INVALID_PDF, ENCRYPTED_PDF (a password is needed; one that opens with an empty
    password is fine), EMPTY_PDF, NO_TEXT_LAYER (no page has extractable text), FILE_TOO_LARGE,
    TOO_MANY_PAGES.
    """
    size = _checked_size(path, max_bytes)
    with path.open("rb") as handle:
        head = handle.read(_HEADER_WINDOW)
    if _MAGIC not in head:
        raise InputError("the file is not a PDF (it does not start with %PDF-)")
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise _load_error(path, exc) from None
    try:
        page_count = len(pdf)
        if page_count == 0:
            raise InputError("the PDF has no pages", code=ErrorCode.EMPTY_PDF)
        _check_page_count(page_count, max_pages)
        layer = _text_layer(pdf, page_count)
        if layer == "unreadable":
            raise InputError("the PDF is damaged: none of its pages can be read")
        if layer == "none":
            raise InputError(
                "no page of this PDF has extractable text (a scan or images only); "
                "run it through OCR first",
                code=ErrorCode.NO_TEXT_LAYER,
            )
    finally:
        pdf.close()
    return PdfInfo(page_count, size)


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
    if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
        return InputError("the PDF is protected by a password", code=ErrorCode.ENCRYPTED_PDF)
    if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
        return InputError("the PDF uses an unsupported encryption", code=ErrorCode.ENCRYPTED_PDF)
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


def _text_layer(pdf: pdfium.PdfDocument, page_count: int) -> str:
    """``text`` when some page has text, ``none`` for a scan, ``unreadable`` when no page loads.

    A spread sample goes first, then the other pages, stopping at the first page with text (a
    scan has none, so all its pages are looked at: cheaply, its images are never decoded).
    """
    step = max(1, page_count // _SAMPLE_PAGES)
    order = [*range(0, page_count, step), *(i for i in range(page_count) if i % step)]
    loaded = False
    for index in order:
        found = _page_has_text(pdf, index)
        if found:
            return "text"
        loaded = loaded or found is not None
    return "none" if loaded else "unreadable"


def _page_has_text(pdf: pdfium.PdfDocument, index: int) -> bool | None:
    """Whether a page has text; None when PDFium cannot load it."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return None
    try:
        textpage = page.get_textpage()
        try:
            count = textpage.count_chars()
            return count > 0 and bool(textpage.get_text_range(0, min(count, 2000)).strip())
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        return None
    finally:
        page.close()
