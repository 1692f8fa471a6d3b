"""Planning a document with pages to OCR: how many, what they will cost, how to cut the work.

OCR takes seconds a page where a text layer takes milliseconds, so the pages to OCR, not the
page count, decide whether a job goes to the workers and how big its chunks are: a 50-page scan
is spread over the worker processes (``MAX_WORKERS``) as a 2,000-page text book is.
"""

from __future__ import annotations

import math
from pathlib import Path

import pypdfium2 as pdfium

from frenchnovel.pipeline.kinds import document_kind
from frenchnovel.pipeline.layout import read_page
from frenchnovel.pipeline.pdfium_lock import PDFIUM

OCR_PAGE_CHARS = 1800
"""Characters of text an OCR'd page is expected to hold, for the estimate (a novel's page)."""
OCR_SYNC_PAGES = 4
"""A document with more pages to OCR than this goes to the workers, whatever its length."""
_SAMPLE = 16  # pages looked at to estimate the share of pages without text


def estimate_ocr_pages(path: Path, page_count: int, mode: str) -> int:
    """Pages that OCR will read: all with ``force``, none with ``off``; with ``auto`` the pages
    with images and no text, counted exactly on up to ``_SAMPLE`` pages and extrapolated
    beyond (the charge is by the pages really read)."""
    if mode == "off" or document_kind(path) != "pdf" or page_count <= 0:
        return 0
    if mode == "force":
        return page_count
    count = min(page_count, _SAMPLE)
    sample = sorted({int((k + 0.5) * page_count / count) + 1 for k in range(count)})
    with PDFIUM:
        pdf = pdfium.PdfDocument(str(path))
        try:
            scanned = sum(read_page(pdf, number).image_only for number in sample)
        finally:
            pdf.close()
    return round(scanned * page_count / len(sample))


def with_ocr_characters(text_characters: int, ocr_pages: int, mode: str) -> int:
    """The characters to price: the text layer's, plus ``OCR_PAGE_CHARS`` for each page to OCR;
    with ``force`` the OCR reads again what the text layer holds, so the larger of the two."""
    ocr_characters = ocr_pages * OCR_PAGE_CHARS
    if mode == "force":
        return max(text_characters, ocr_characters)
    return text_characters + ocr_characters


def ocr_chunk_pages(ocr_pages: int, page_count: int, *, workers: int, chunk_size: int) -> int:
    """Pages per chunk of a scan (at least half its pages to OCR): the OCR spread evenly over
    ``workers`` processes (one chunk each, or a multiple), never more than ``chunk_size``. A
    book with a few pictures to read is cut as any book (``chunk_size``)."""
    if ocr_pages * 2 < page_count or ocr_pages <= 0:
        return chunk_size
    per_worker = math.ceil(page_count / max(workers, 1))
    rounds = math.ceil(per_worker / chunk_size)  # several rounds of chunks on a long scan
    return max(1, min(chunk_size, math.ceil(per_worker / rounds)))
