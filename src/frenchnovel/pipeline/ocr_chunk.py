"""A chunk's own pages read before its sentences, in the order its neighbours need them.

Reading a page's paragraphs looks at the pages around it (running heads are found on the
``FURNITURE_WINDOW`` pages on each side; a paragraph goes on across a page), so a chunk reads a
few of its neighbours' pages too. With OCR those are the costly ones. Each chunk therefore OCRs
its own edge pages first, the ones its neighbours will ask for, and puts them in the job's
``OcrCache``: two chunks that run side by side find each other's edges there instead of reading
them twice, and each page of the book is OCR'd about once.
"""

from __future__ import annotations

from collections.abc import Callable

from frenchnovel.errors import Cancelled
from frenchnovel.pipeline.extract import PdfSource, Source
from frenchnovel.pipeline.layout import FURNITURE_WINDOW

EDGE = FURNITURE_WINDOW + 1
"""Pages at each end of a chunk that the neighbouring chunk reads."""


def reading_order(first: int, last: int, page_count: int | None = None) -> list[int]:
    """The chunk's pages, its first and last ``EDGE`` pages before the middle ones; then, when
    ``page_count`` is given, the neighbours' pages it will read (by then, most likely found in
    the cache, read by the neighbour itself)."""
    pages = list(range(first, last + 1))
    if len(pages) > 2 * EDGE:
        pages = [*pages[:EDGE], *pages[-EDGE:], *pages[EDGE:-EDGE]]
    if page_count is not None:
        pages += range(max(1, first - EDGE), first)
        pages += range(last + 1, min(page_count, last + EDGE) + 1)
    return pages


def read_own_pages(
    doc: Source,
    first: int,
    last: int,
    *,
    cancelled: Callable[[], bool] | None = None,
    step: Callable[[str], None] | None = None,
) -> int:
    """Read (and so OCR, when they need it) pages ``first``..``last`` and the neighbours' pages
    the chunk needs; returns how many of its own pages were OCR'd (what it is charged for).
    ``step("ocr")`` is called once, before the first page OCR'd; a cancel is noticed between
    pages (a page takes a few seconds)."""
    if not isinstance(doc, PdfSource):
        return 0
    announced = False
    for number in reading_order(first, last, doc.page_count):
        if not doc.needs_ocr(number):
            continue
        if cancelled is not None and cancelled():
            raise Cancelled("the job was cancelled")
        if not announced and step is not None:
            step("ocr")
            announced = True
        doc.raw(number)
    return sum(first <= number <= last for number in doc.ocr_read)
