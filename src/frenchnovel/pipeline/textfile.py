"""Plain-text novels (.txt) as a paged source, so they run through the same pipeline as PDFs.

Paragraphs are separated by blank lines; a file without any blank line has one paragraph a line
(ELTeC style). A UTF-8 BOM, CRLF line ends and a Project Gutenberg header and licence footer are
handled. A text has no pages, so it is cut into pages of whole paragraphs of about
``PAGE_CHARS`` characters (a long paragraph makes a longer page): pages only serve chunking,
progress and the ``page`` of each sentence, and no paragraph ever crosses a page.
"""

from __future__ import annotations

import re
from pathlib import Path

from frenchnovel.errors import ErrorCode, InputError
from frenchnovel.pipeline.extract import PageText
from frenchnovel.pipeline.normalize import normalize_text

PAGE_CHARS = 3000

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_GUTENBERG_START = re.compile(r"^\*\*\* ?START OF (?:THE|THIS) PROJECT GUTENBERG.*$", re.M | re.I)
_GUTENBERG_END = re.compile(r"^\*\*\* ?END OF (?:THE|THIS) PROJECT GUTENBERG", re.M | re.I)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252: French text files come in both."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def text_paragraphs(text: str) -> list[str]:
    """The paragraphs of a plain text, normalised, in order."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    start = _GUTENBERG_START.search(text)
    if start:
        text = text[start.end() :]
    end = _GUTENBERG_END.search(text)
    if end:
        text = text[: end.start()]
    blocks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    paragraphs = []
    for block in blocks:
        paragraph = ""
        for line in block.split("\n"):
            line = normalize_text(line).strip()
            if not line:
                continue
            if not paragraph:
                paragraph = line
            elif paragraph.endswith("-") and paragraph[-2:-1].isalpha():
                paragraph += line  # a hard wrap after a compound's own hyphen
            else:
                paragraph += " " + line
        if paragraph:
            paragraphs.append(paragraph)
    return paragraphs


def paginate(paragraphs: list[str], page_chars: int = PAGE_CHARS) -> list[list[str]]:
    """Whole paragraphs grouped into pages of at least ``page_chars`` characters (the last may be
    shorter)."""
    pages: list[list[str]] = []
    current: list[str] = []
    size = 0
    for paragraph in paragraphs:
        current.append(paragraph)
        size += len(paragraph)
        if size >= page_chars:
            pages.append(current)
            current, size = [], 0
    if current:
        pages.append(current)
    return pages


class TextSource:
    """A .txt novel as pages of whole paragraphs (see the module's docstring)."""

    def __init__(self, path: Path) -> None:
        try:
            text = decode_text(path.read_bytes())
        except OSError as exc:
            raise InputError(f"the file cannot be read ({exc.strerror})") from None
        self._pages = paginate(text_paragraphs(text))
        if not self._pages:
            raise InputError("the text file holds no text", code=ErrorCode.EMPTY_PDF)
        self.page_count = len(self._pages)

    def page(self, number: int) -> PageText:
        """Page ``number``: its whole paragraphs."""
        return PageText(number, tuple(self._pages[number - 1]))

    def continues(self, number: int) -> bool:
        """Never: a paragraph of a text file always fits on its page."""
        return False

    def close(self) -> None:
        """Nothing to release."""
