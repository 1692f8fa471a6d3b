"""Whole paragraphs around a page range, each knowing on which page every character lies.

A chunk owns the sentences that *start* on its pages. To segment them exactly as the whole book
would, it needs every paragraph touching its pages complete: it reads back to the start of the
paragraph its first page opens in, and forward to the end of the paragraph its last page closes
in, however many pages those take.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from frenchnovel.pipeline.extract import PageText, Source
from frenchnovel.pipeline.hyphenation import join_lines
from frenchnovel.pipeline.structure import CARRIED, classify_page


@dataclass(slots=True)
class Paragraph:
    """A paragraph's text and the offsets where each of its pages begins."""

    text: str
    starts: list[int] = field(default_factory=list)  # offsets, ascending, the first one 0
    pages: list[int] = field(default_factory=list)  # the page starting at each offset
    kind: str = "text"  # or a heading (part, chapter) or front or back matter

    def page_at(self, offset: int) -> int:
        """The page on which the character at ``offset`` lies."""
        return self.pages[bisect.bisect_right(self.starts, offset) - 1]

    def extend(self, fragment: str, page: int, *, fix_hyphenation: bool) -> None:
        """Carry the paragraph on with ``fragment``, the first one of ``page``."""
        self.text = join_lines(self.text, fragment, fix_hyphenation=fix_hyphenation)
        self.starts.append(len(self.text) - len(fragment))
        self.pages.append(page)


def paragraphs_around(
    source: Source, first: int, last: int, *, fix_hyphenation: bool = True
) -> list[Paragraph]:
    """Every paragraph that has text on pages ``first``..``last`` (1-based, inclusive), whole."""
    page, index = _paragraph_start(source, first)
    paragraphs: list[Paragraph] = []
    current: Paragraph | None = None

    def flush() -> None:
        nonlocal current
        if current is not None:
            if current.text.endswith("\ufffe"):
                current.text = current.text[:-1] + "-"
            paragraphs.append(current)
            current = None

    for number in range(page, last + 1):
        text = read_page(source, number)
        fragments = text.fragments
        carry_on = current is not None and continues(source, number)
        skip = index if number == page else 0
        for i, fragment in enumerate(fragments[skip:]):
            if i == 0 and carry_on and current is not None:
                current.extend(fragment, number, fix_hyphenation=fix_hyphenation)
            else:
                flush()
                current = Paragraph(fragment, [0], [number], text.kind(skip + i))
        if not fragments:
            flush()
    number = last + 1
    while current is not None and number <= source.page_count and continues(source, number):
        fragments = source.page(number).fragments
        current.extend(fragments[0], number, fix_hyphenation=fix_hyphenation)
        if len(fragments) > 1:
            break
        number += 1
    flush()
    return paragraphs


def _paragraph_start(source: Source, first: int) -> tuple[int, int]:
    """The page and fragment index where the paragraph holding page ``first``'s text begins."""
    number = first
    while continues(source, number):
        number -= 1
        fragments = source.page(number).fragments
        if len(fragments) > 1:
            return number, len(fragments) - 1
    return number, 0


def read_page(source: Source, number: int) -> PageText:
    """Page ``number`` with the kind of each fragment (the source's, else the book rules')."""
    page = source.page(number)
    return page if page.kinds else classify_page(page, source.page_count)


def continues(source: Source, number: int) -> bool:
    """Whether page ``number`` opens inside the paragraph that ends the page before: the source
    says so, and both sides are text of one kind (a heading is a paragraph of its own)."""
    if number <= 1 or not source.continues(number):
        return False
    page, previous = read_page(source, number), read_page(source, number - 1)
    if not page.fragments or not previous.fragments:
        return False
    kind = page.kind(0)
    return kind in CARRIED and kind == previous.kind(len(previous.fragments) - 1)
