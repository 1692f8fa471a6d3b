"""Planning: which page ranges become chunks, and the size of the text for the credits.

Fan-out is bounded: whatever the configured chunk size, a book never becomes more than
``MAX_CHUNKS`` chunks; the chunk size grows instead (2,000 pages in 5-page chunks become 100
chunks of 20 pages, not 400 tasks).
"""

from __future__ import annotations

import math
from pathlib import Path

import pypdfium2 as pdfium

from frenchnovel.pipeline.budget import CheckBudget, unlimited
from frenchnovel.pipeline.kinds import document_kind
from frenchnovel.pipeline.pdfium_lock import PDFIUM

MAX_CHUNKS = 100


def plan_chunks(
    page_count: int, *, threshold: int, chunk_size: int, max_chunks: int = MAX_CHUNKS
) -> list[tuple[int, int]]:
    """1-based inclusive page ranges covering ``1..page_count`` in order.

    One chunk when ``page_count <= threshold``; else chunks of ``chunk_size`` pages, enlarged
    when needed so that there are at most ``max_chunks`` of them.
    """
    if page_count <= 0:
        return []
    if page_count <= threshold:
        return [(1, page_count)]
    size = max(chunk_size, 1, math.ceil(page_count / max_chunks))
    return [(first, min(first + size - 1, page_count)) for first in range(1, page_count + 1, size)]


def estimate_characters(path: Path, page_count: int, budget: CheckBudget | None = None) -> int:
    """Characters of text in the document (exact for .txt and EPUB): for a PDF, PDFium's count
    on every page.

    Every page, not a sample: a sample can be fooled by a file with text only on the pages it
    skips, and the estimate is what a job reserves. Counting (no extraction) costs about 1 ms a
    page, ``bench/estimate_cost.py`` measures it; ``budget`` bounds it for a costly file.
    """
    kind = document_kind(path)
    if kind == "epub":
        from frenchnovel.pipeline.epub.source import EpubSource

        return EpubSource(path).characters
    if kind == "text":
        from frenchnovel.pipeline.textfile import decode_text

        return len(decode_text(path.read_bytes()))
    if page_count <= 0:
        return 0
    budget = budget or unlimited()
    budget.start(page_count)
    with PDFIUM:
        pdf = pdfium.PdfDocument(str(path))
        try:
            total = 0
            for index in range(min(page_count, len(pdf))):
                budget.spend()
                total += _page_chars(pdf, index)
        finally:
            pdf.close()
    return total


def _page_chars(pdf: pdfium.PdfDocument, index: int) -> int:
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return 0
    try:
        textpage = page.get_textpage()
        try:
            return max(int(textpage.count_chars()), 0)
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        return 0
    finally:
        page.close()
