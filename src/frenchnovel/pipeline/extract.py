"""Page text: paragraph fragments of each page of a PDF, read with PDFium.

A page yields *fragments*: the pieces of paragraphs it holds, in reading order, wrapped lines
joined and hyphenation undone. ``continues(n)`` says whether page ``n``'s first fragment carries
on the last paragraph of page ``n - 1``. Both depend only on the document and a few pages around
``n`` (see ``layout.body_lines``), so any chunk reads a page exactly as the whole book would.
"""

from __future__ import annotations

import dataclasses
import itertools
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import pypdfium2 as pdfium

from frenchnovel.errors import ErrorCode, InputError
from frenchnovel.pipeline.hyphenation import join_lines
from frenchnovel.pipeline.layout import Line, RawPage, body_lines, read_page
from frenchnovel.pipeline.ocr import OcrCache, ocr_page
from frenchnovel.pipeline.pdfium_lock import PDFIUM

_TERMINAL = (".", "!", "?", "…", "»", ":", '"', "”")
_INDENT = 0.5  # of a line's height: how far right a line starts to count as indented
_SHORT = 1.5  # of a line's height: how far from the right margin a line ends to count as short
_GAP = 1.6  # of the usual line pitch: a larger vertical gap separates paragraphs (or stanzas)
_SAME_TYPE = 0.15  # relative difference of line heights within which two lines share a type size
_DISPLAY = 1.25  # of the body's line height: a line this much taller is display type (a heading)
OcrMode = Literal["auto", "off", "force"]


@dataclass(frozen=True, slots=True)
class PageText:
    """What one page holds: its fragments, and how its first and last lines sit."""

    number: int
    fragments: tuple[str, ...]
    opens_indented: bool = False  # the first line is indented: it starts a paragraph
    closes_paragraph: bool = True  # the last line is short and ends a sentence
    image_only: bool = False
    # what each fragment is (``structure.TEXT``, ``PART``, ``CHAPTER``, ``FRONT``, ``BACK``);
    # empty until known: the book-structure rules then decide (see ``paragraphs``)
    kinds: tuple[str, ...] = ()
    # fragments set off as display type (centred, or larger than the body): heading candidates
    displayed: tuple[bool, ...] = ()

    def kind(self, index: int) -> str:
        """What fragment ``index`` is: text unless ``kinds`` says otherwise."""
        return self.kinds[index] if index < len(self.kinds) else "text"


class Source(Protocol):
    """A document as pages of paragraph fragments: what the chunk assembly reads."""

    page_count: int

    def page(self, number: int) -> PageText: ...

    def continues(self, number: int) -> bool: ...

    def close(self) -> None: ...


class PdfSource:
    """A PDF opened with PDFium; pages are read on demand and cached for the source's lifetime.

    ``ocr``: ``off`` reads only the text layer; ``auto`` has Tesseract read the pages that have
    images and no text; ``force`` has it read every page (a bad text layer is ignored).
    ``ocr_cache`` shares OCR'd pages with the other chunks of the same job.
    """

    def __init__(
        self,
        path: Path,
        *,
        fix_hyphenation: bool = True,
        ocr: OcrMode = "off",
        ocr_cache: OcrCache | None = None,
    ) -> None:
        try:
            with PDFIUM:
                self._pdf = pdfium.PdfDocument(str(path))
                self.page_count = len(self._pdf)
        except pdfium.PdfiumError as exc:
            raise InputError(
                f"the PDF cannot be opened ({exc})", code=ErrorCode.INVALID_PDF
            ) from None
        self._fix_hyphenation = fix_hyphenation
        self._ocr, self._ocr_cache = ocr, ocr_cache
        self._raw: dict[int, RawPage] = {}
        self._pages: dict[int, PageText] = {}
        self.ocr_read: set[int] = set()
        """Pages whose text came from OCR (read here or found in the cache)."""

    def raw(self, number: int) -> RawPage:
        """Page ``number``'s lines before furniture removal (cached)."""
        if number not in self._raw:
            page: RawPage | None = None
            if self._ocr != "force":
                with PDFIUM:
                    page = read_page(self._pdf, number)
            if self._ocr != "off" and (page is None or page.image_only):
                page = self._read_by_ocr(number)
            assert page is not None
            self._raw[number] = page
        return self._raw[number]

    def needs_ocr(self, number: int) -> bool:
        """Whether page ``number`` is (or will be) read by OCR, without OCR'ing it."""
        if self._ocr == "force" or number in self.ocr_read:
            return True
        if self._ocr == "off":
            return False
        if number in self._raw:
            return False
        with PDFIUM:
            page = read_page(self._pdf, number)
        if not page.image_only:
            self._raw[number] = page  # its text layer, read once
        return page.image_only

    def _read_by_ocr(self, number: int) -> RawPage:
        cached = self._ocr_cache.get(number) if self._ocr_cache is not None else None
        started = time.perf_counter()
        page = cached if cached is not None else ocr_page(self._pdf, number)
        if cached is None and self._ocr_cache is not None:
            self._ocr_cache.put(page, seconds=time.perf_counter() - started)
        self.ocr_read.add(number)
        return page

    def page(self, number: int) -> PageText:
        """Page ``number``'s fragments (cached)."""
        if number not in self._pages:
            lines = body_lines(number, self.page_count, self.raw)
            page = page_from_lines(number, lines, fix_hyphenation=self._fix_hyphenation)
            if not lines and self.raw(number).image_only:
                page = PageText(number, (), image_only=True)
            elif number in self.ocr_read:
                page = dataclasses.replace(page, image_only=True)
            self._pages[number] = page
        return self._pages[number]

    def continues(self, number: int) -> bool:
        """Whether page ``number`` opens inside the paragraph that ends page ``number - 1``."""
        if number <= 1:
            return False
        page, previous = self.page(number), self.page(number - 1)
        if not page.fragments or not previous.fragments:
            return False  # an empty or image-only page ends any paragraph
        return not page.opens_indented and not previous.closes_paragraph

    def close(self) -> None:
        """Release PDFium's document."""
        with PDFIUM:
            self._pdf.close()


def page_from_lines(number: int, lines: Sequence[Line], *, fix_hyphenation: bool) -> PageText:
    """Group a page's body lines into paragraph fragments.

    A new paragraph starts at a line that is indented, or after a vertical gap well above the
    page's usual line pitch (stanzas, headings), or after a short line that ends a sentence.
    """
    if not lines:
        return PageText(number, ())
    height = statistics.median(line.height for line in lines) or 1.0
    margin_left = min(line.left for line in lines)
    margin_right = max(line.right for line in lines)
    pitches = [a.top - b.top for a, b in itertools.pairwise(lines) if a.top > b.top]
    pitch = statistics.median(pitches) if pitches else height

    def indented(line: Line) -> bool:
        return line.left > margin_left + _INDENT * height

    def closes(line: Line) -> bool:
        short = line.right < margin_right - _SHORT * height
        return short and line.text.endswith(_TERMINAL)

    def centred(line: Line) -> bool:
        # a heading's lines: indented and about as far from both margins
        inset_left, inset_right = line.left - margin_left, margin_right - line.right
        return indented(line) and abs(inset_left - inset_right) < 2 * height

    def display(line: Line) -> bool:
        # set off from the body by a larger type (a heading; a running header is not larger)
        return line.height > _DISPLAY * height

    def one_heading(a: Line, b: Line) -> bool:
        # centred lines, or display lines (a long title wrapped), in the same type:
        # « Chapitre premier » over a larger title is two
        same_type = abs(a.height - b.height) <= _SAME_TYPE * max(a.height, b.height)
        return same_type and ((centred(a) and centred(b)) or (display(a) and display(b)))

    fragments: list[str] = []
    displayed: list[bool] = []
    current, shown = lines[0].text, display(lines[0])
    for previous, line in itertools.pairwise(lines):
        step = previous.top - line.top
        # larger type (headings) is set with a proportionally larger pitch
        usual = pitch * max(previous.height, line.height) / height
        starts = indented(line) and not one_heading(previous, line)
        if previous.text.endswith("\ufffe"):
            broken = False  # a word hyphenated at the line end goes on
        else:
            broken = starts or closes(previous) or step > _GAP * usual or step < -usual
        if broken:
            fragments.append(current)
            displayed.append(shown)
            current, shown = line.text, display(line)
        else:
            current = join_lines(current, line.text, fix_hyphenation=fix_hyphenation)
            shown = shown and display(line)
    fragments.append(current)
    displayed.append(shown)
    return PageText(
        number,
        tuple(fragments),
        opens_indented=indented(lines[0]),
        closes_paragraph=closes(lines[-1]),
        displayed=tuple(displayed),
    )
