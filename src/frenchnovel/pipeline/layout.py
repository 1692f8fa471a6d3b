"""Lines of a PDF page with their geometry, and the page furniture (headers, footers, numbers).

Everything here depends on one page, or on a fixed window of pages around it, never on which
chunk of the book is being processed: that is what keeps chunked output equal to unchunked output.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from frenchnovel.pipeline.normalize import normalize_text

FURNITURE_WINDOW = 4
"""Pages on each side of a page that are compared with it to find repeated headers and footers."""

_EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be furniture
# PDFium ends a hyphenated line with U+FFFE and no line break: split there too.
_LINE_BREAK = re.compile(r"\r\n|\r|\n|(?<=\ufffe)(?!\r|\n)")
_PAGE_NUMBER = re.compile(
    r"""^(?:
        [-–—\s]*\(?\d{1,4}\)?[-–—\s]*            # 12, – 12 –, (12)
      | \d{1,4}\s*/\s*\d{1,4}                   # 12/174
      | (?:page|p\.)\s*\d{1,4}(?:\s*(?:/|sur|of)\s*\d{1,4})?  # Page 12, page 12 sur 174
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Line:
    """One text line as PDFium orders it, normalised, with its box in points (y grows upward)."""

    text: str
    left: float
    right: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.top - self.bottom


@dataclass(frozen=True, slots=True)
class RawPage:
    """A page's lines before furniture removal; ``image_only`` when it has images but no text."""

    number: int
    lines: tuple[Line, ...]
    height: float
    image_only: bool


def read_page(pdf: pdfium.PdfDocument, number: int) -> RawPage:
    """The lines of page ``number`` (1-based). A page PDFium cannot load reads as empty."""
    try:
        page = pdf[number - 1]
    except (pdfium.PdfiumError, IndexError):
        return RawPage(number, (), 0.0, image_only=False)
    try:
        height = float(page.get_height())
        textpage = page.get_textpage()
        try:
            lines = _lines(textpage)
        finally:
            textpage.close()
        image_only = not lines and _has_images(page)
    except pdfium.PdfiumError:
        return RawPage(number, (), 0.0, image_only=False)
    finally:
        page.close()
    return RawPage(number, tuple(lines), height, image_only)


def _lines(textpage: pdfium.PdfTextPage) -> list[Line]:
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    lines: list[Line] = []
    offset = 0
    for match in [*_LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        raw = text[offset:end]
        stripped = raw.strip()
        if stripped:
            first = offset + (len(raw) - len(raw.lstrip()))
            last = offset + len(raw.rstrip()) - 1
            left, bottom, _, top = textpage.get_charbox(min(first, count - 1), loose=True)
            _, _, right, _ = textpage.get_charbox(min(last, count - 1), loose=True)
            cleaned = normalize_text(stripped).strip()
            if cleaned and cleaned != "\ufffe":
                lines.append(Line(cleaned, left, right, top, bottom))
        if match:
            offset = match.end()
    return lines


def _has_images(page: pdfium.PdfPage) -> bool:
    objects = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2)
    return next(iter(objects), None) is not None


def is_page_number(text: str) -> bool:
    """Whether a line is only a page number: 12, – 12 –, 12/174, Page 12."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def _signature(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.casefold().split()))


def _edges(page: RawPage) -> list[Line]:
    by_height = sorted(page.lines, key=lambda line: -line.top)
    if len(by_height) <= 2 * _EDGE_LINES:
        return by_height
    return by_height[:_EDGE_LINES] + by_height[-_EDGE_LINES:]


def body_lines(number: int, page_count: int, raw: Callable[[int], RawPage]) -> list[Line]:
    """The lines of page ``number`` without its furniture.

    Furniture is a line at the top or bottom edge that is a page number, or whose text (digits
    ignored) recurs at the same height on at least two other pages of the window of
    ``FURNITURE_WINDOW`` pages on each side. ``raw`` returns a page by number (the caller caches).
    """
    page = raw(number)
    edges = _edges(page)
    if not edges:
        return list(page.lines)
    lo, hi = max(1, number - FURNITURE_WINDOW), min(page_count, number + FURNITURE_WINDOW)
    neighbours = [raw(n) for n in range(lo, hi + 1) if n != number]
    furniture = {id(line) for line in edges if _is_furniture(line, page, neighbours)}
    return [line for line in page.lines if id(line) not in furniture]


def _is_furniture(line: Line, page: RawPage, neighbours: Sequence[RawPage]) -> bool:
    if is_page_number(line.text):
        return True
    signature = _signature(line.text)
    tolerance = max(0.02 * page.height, 2.0)
    repeats = sum(
        1
        for other in neighbours
        if any(
            abs(o.top - line.top) <= tolerance and _signature(o.text) == signature
            for o in _edges(other)
        )
    )
    return repeats >= 2
