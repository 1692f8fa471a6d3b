"""Render a novel of the shared corpus into a typeset PDF, for tests and benchmarks.

The PDF looks like a printed book: justified paragraphs with an indented first line, words
hyphenated at line ends (French-style syllable breaks, and compounds broken at their own hyphen),
a running header (the author on even pages, the title on odd pages) and a page number in a chosen
form. Words are placed one by one, as typesetters do, so PDFium must find lines and spaces itself.

    render_novel("maupassant", pages=120, out=tmp / "bel-ami.pdf")
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from fpdf import FPDF

from frenchnovel.pipeline.textfile import decode_text, text_paragraphs

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian package fonts-dejavu-core
CORPUS_TEXT = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "text"
PageNumbers = Literal["plain", "dashes", "slash", "none"]

_VOWELS = set("aeiouyàâäéèêëîïôöùûüÿœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒÆ")
_CLUSTERS = {"ch", "ph", "th", "gn", "bl", "br", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl"}
_CLUSTERS |= {"pr", "tr", "vr"}
_HEADERS = {
    "maupassant": ("GUY DE MAUPASSANT", "Bel-Ami — roman"),
    "flaubert": ("GUSTAVE FLAUBERT", "Madame Bovary — mœurs de province"),
    "verne": ("JULES VERNE", "Un capitaine de quinze ans — roman"),
    "hugo": ("VICTOR HUGO", "Les Misérables — Fantine"),
}


@dataclass(slots=True)
class RenderedNovel:
    """The PDF and exactly the text it holds (the last paragraph may be cut at the last page)."""

    path: Path
    pages: int
    paragraphs: list[str] = field(default_factory=list)
    headers: tuple[str, str] = ("", "")

    def words(self) -> list[str]:
        """Every word of the rendered text, in order."""
        return [word for paragraph in self.paragraphs for word in paragraph.split()]


def novel_text(name: str, corpus_text: Path = CORPUS_TEXT) -> Path:
    """The corpus text whose file name starts with ``name`` (e.g. ``maupassant``)."""
    matches = sorted(corpus_text.glob(f"{name}*.txt"))
    if not matches:
        raise FileNotFoundError(f"no novel named {name!r} in {corpus_text}")
    return matches[0]


def render_novel(
    name: str,
    *,
    pages: int,
    out: Path,
    page_size: tuple[float, float] = (148.0, 210.0),
    font_size: float = 10.5,
    page_numbers: PageNumbers = "plain",
    number_first: bool = False,
    hyphenate: bool = True,
    corpus_text: Path = CORPUS_TEXT,
) -> RenderedNovel:
    """Typeset the first ``pages`` full pages of the novel ``name`` into ``out``.

    ``page_size`` is in millimetres; ``number_first`` writes the page number before the page's
    text in the content stream (PDFium then returns it first, as in some real books). The text
    starts again from the beginning if the novel is shorter than ``pages``.
    """
    source = text_paragraphs(decode_text(novel_text(name, corpus_text).read_bytes()))
    headers = _HEADERS.get(name.split("_")[0], ("AUTEUR", "Titre — roman"))
    book = _Book(page_size, font_size, headers, page_numbers, number_first, hyphenate)
    rendered: list[str] = []
    for paragraph in itertools.cycle(source):
        placed = book.paragraph(paragraph, max_pages=pages)
        if placed:
            rendered.append(" ".join(placed))
        if book.full:
            break
    out.parent.mkdir(parents=True, exist_ok=True)
    book.pdf.output(str(out))
    return RenderedNovel(out, book.pdf.page, rendered, headers)


class _Book:
    def __init__(
        self,
        page_size: tuple[float, float],
        font_size: float,
        headers: tuple[str, str],
        page_numbers: PageNumbers,
        number_first: bool,
        hyphenate: bool,
    ) -> None:
        self.pdf = FPDF(unit="mm", format=page_size)
        self.pdf.set_auto_page_break(False)
        self.pdf.add_font("body", "", str(FONT_DIR / "DejaVuSerif.ttf"))
        self.pdf.add_font("head", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.width, self.height = page_size
        self.margin = 16.0
        self.top, self.bottom = 20.0, self.height - 18.0
        self.size = font_size
        self.leading = font_size * 0.3528 * 1.3  # points to mm, with 30 % leading
        self.indent = 5.0
        self.headers, self.numbers, self.number_first = headers, page_numbers, number_first
        self.hyphenate = hyphenate
        self.y = self.bottom  # forces a new page for the first line
        self.full = False
        self.max_pages = 0

    def paragraph(self, text: str, *, max_pages: int) -> list[str]:
        """Lay out one paragraph; returns the words placed (all, unless the book filled up)."""
        self.max_pages = max_pages
        words = text.split()
        lines = self._break(words)
        placed = 0
        for number, line in enumerate(lines):
            if self.y + self.leading > self.bottom:
                if self.pdf.page >= max_pages:
                    self.full = True
                    break
                self._new_page()
            last = number == len(lines) - 1
            pieces = [piece for piece, _ in line]
            self._set_line(pieces, indent=self.indent if number == 0 else 0.0, justify=not last)
            placed = line[-1][1] + 1
            self.y += self.leading
        return words[:placed]

    def _new_page(self) -> None:
        self.pdf.add_page()
        self.pdf.set_text_color(0, 0, 0)
        if self.number_first:
            self._page_number()
        self.pdf.set_font("head", size=self.size * 0.75)
        header = self.headers[0] if self.pdf.page % 2 == 0 else self.headers[1]
        width = self.pdf.get_string_width(header)
        self.pdf.text((self.width - width) / 2, 11.0, header)
        if not self.number_first:
            self._page_number()
        self.pdf.set_font("body", size=self.size)
        self.y = self.top

    def _page_number(self) -> None:
        n, total = self.pdf.page, self.max_pages
        text = {"plain": f"{n}", "dashes": f"– {n} –", "slash": f"{n}/{total}", "none": ""}[
            self.numbers
        ]
        if text:
            self.pdf.set_font("body", size=self.size * 0.85)
            width = self.pdf.get_string_width(text)
            self.pdf.text((self.width - width) / 2, self.height - 9.0, text)
            self.pdf.set_font("body", size=self.size)

    def _break(self, words: list[str]) -> list[list[tuple[str, int]]]:
        """Greedy line breaking; each piece keeps the index of the word it comes from."""
        self.pdf.set_font("body", size=self.size)
        space = self.pdf.get_string_width(" ")
        lines: list[list[tuple[str, int]]] = []
        line: list[tuple[str, int]] = []
        room = self.width - 2 * self.margin - self.indent
        used = 0.0
        queue = [(word, index) for index, word in enumerate(words)]
        while queue:
            word, index = queue.pop(0)
            width = self.pdf.get_string_width(word)
            gap = space if line else 0.0
            if used + gap + width <= room or (not line and not self.hyphenate):
                line.append((word, index))
                used += gap + width
                continue
            head, tail = self._split(word, room - used - gap) if self.hyphenate else (None, None)
            if head and tail:
                line.append((head, index))
                queue.insert(0, (tail, index))
            elif not line:  # wider than a line and unbreakable: it overflows its line
                line.append((word, index))
            else:
                queue.insert(0, (word, index))
            lines.append(line)
            line, used, room = [], 0.0, self.width - 2 * self.margin
        if line:
            lines.append(line)
        return lines

    def _split(self, word: str, room: float) -> tuple[str | None, str | None]:
        """The longest head (ending in a hyphen) of ``word`` that fits in ``room``."""
        best: tuple[str | None, str | None] = (None, None)
        for cut in _split_points(word):
            head = word[:cut] if word[cut - 1] == "-" else word[:cut] + "-"
            if self.pdf.get_string_width(head) <= room:
                best = (head, word[cut:])
        return best

    def _set_line(self, line: list[str], *, indent: float, justify: bool) -> None:
        x = self.margin + indent
        widths = [self.pdf.get_string_width(word) for word in line]
        room = self.width - 2 * self.margin - indent
        space = self.pdf.get_string_width(" ")
        if justify and len(line) > 1:
            space = (room - sum(widths)) / (len(line) - 1)
        baseline = self.y + self.leading * 0.8
        for word, width in zip(line, widths, strict=True):
            self.pdf.text(x, baseline, word)
            x += width + space


def _split_points(word: str) -> list[int]:
    """Where ``word`` may be hyphenated: after its own hyphens, and between syllables with at
    least three letters on each side."""
    points = [i + 1 for i, char in enumerate(word[:-1]) if char == "-" and i >= 2]
    for i in range(3, len(word) - 2):
        window = word[i - 3 : i + 3]
        if not window.isalpha():
            continue
        a, b, c, d = word[i - 2], word[i - 1], word[i], word[i + 1]
        if b in _VOWELS and c not in _VOWELS and d in _VOWELS:
            points.append(i)  # V-CV
        elif a in _VOWELS and b not in _VOWELS and c not in _VOWELS and d in _VOWELS:
            if (b + c).lower() not in _CLUSTERS:
                points.append(i)  # VC-CV
    return sorted(set(points))
