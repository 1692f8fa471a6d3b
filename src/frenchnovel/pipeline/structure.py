"""The book's structure in a page of a PDF or a text file: headings, front and back matter.

Every rule looks at one page and its number only, so a chunk classifies a page exactly as the
whole book would (the chapters are numbered at the merge, ``chapters.py``). An EPUB says what its
documents are (navigation, guide, ``epub:type``) and sets the kinds itself.

- A *table of contents* (dot leaders, or mostly numbers and numerals, or titled « Table des
  matières »): front matter in the first half of the book, back matter in the second.
- *Publisher and library notices* (©, ISBN, « Tous droits réservés », « À propos de cette
  édition électronique », an e-book library's name) near either end of the book, and short *title
  pages* (no sentence in them) in its first pages: front or back matter.
- *Headings*: « PREMIÈRE PARTIE », « LIVRE II », « TOME I » are parts; « CHAPITRE I »,
  « Chapitre premier », a roman numeral alone or before a title (« II -- Dick Sand ») are
  chapters; so is a short line set off as display type (centred or larger) in a PDF, and a
  short line without a full stop right after a chapter heading is its title.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from frenchnovel.pipeline.extract import PageText
from frenchnovel.pipeline.result import HeadingMark

TEXT, PART, CHAPTER, FRONT, BACK = "text", "part", "chapter", "front", "back"
HEADINGS = frozenset({PART, CHAPTER})
CARRIED = frozenset({TEXT, FRONT, BACK})  # kinds whose paragraphs may run across a page

_ROMAN = r"(?:[IVXLC]{1,7})"
_ORDINAL = r"(?:premi[eè]re?|premier|seconde?|[a-zàâéèêëîïôûç]+i[eè]me|unique|derni[eè]re?)"
_NUMBER = rf"(?:{_ROMAN}|\d{{1,3}}|{_ORDINAL})"
_DASHES = r"[\s\-–—.:]*"
_PART = re.compile(
    rf"^(?:{_ORDINAL}\s+partie|partie\s+{_NUMBER}|livre\s+{_NUMBER}|tome\s+{_NUMBER}"
    rf"|{_ORDINAL}\s+livre)\b",
    re.IGNORECASE,
)
_CHAPTER = re.compile(rf"^(?:chapitre|chap\.)\s+{_NUMBER}\b", re.IGNORECASE)
_NUMERAL_TITLE = re.compile(rf"^{_DASHES}{_ROMAN}\.?{_DASHES}(?:$|(?<=[-–—.])\s*\S)")
_SENTENCE_END = re.compile(r"[.!?…]\s*[»”\"]?$")
_LEADERS = re.compile(r"(?:\.\s?){6,}|(?:…\s?){3,}|(?:\.\s?){2,}…|(?:_\s?){6,}")
_TOC_TITLE = re.compile(r"^(?:table des mati[eè]res|table|sommaire|index)\s*\.?$", re.IGNORECASE)
_NOTICE = re.compile(
    r"©|\bISBN\b|tous droits|droits de (?:reproduction|traduction)|d[ée]p[ôo]t l[ée]gal"
    r"|achev[ée] d.imprimer|imprim[ée] en |[ée]dition [ée]lectronique|livre num[ée]rique"
    r"|ebooks? libres|ebooksgratuits|bibebook|ligaran|biblioth[eè]que num[ée]rique"
    r"|gutenberg|wikisource|creative commons|domaine public|www\.|https?://"
    r"|[ée]ditions? (?:de |du |des )|[àa] propos de cette [ée]dition|mise en page"
    r"|conception graphique|relecture|\bcorrections?\s*:|\bcr[ée]dits\b|ont contribu[ée]",
    re.IGNORECASE,
)
_TOKEN_NUMBER = re.compile(rf"^(?:\d{{1,4}}|{_ROMAN}\.?)$")
_MAX_HEADING_WORDS = 14
_MAX_DISPLAY_WORDS = 10
_MAX_SUBTITLE_WORDS = 20
_SHORTEST_BOOK = 8  # pages
_TITLE_PAGE_WORDS = 60
_NOTICE_PAGE_WORDS = 400


def heading_level(text: str, *, displayed: bool = False) -> str | None:
    """PART, CHAPTER or None for a paragraph (``displayed``: set off as display type)."""
    words = text.split()
    if not words or len(words) > _MAX_HEADING_WORDS:
        return None
    if _PART.match(text):
        return PART
    if _CHAPTER.match(text) or _NUMERAL_TITLE.match(text):
        return CHAPTER
    if displayed and len(words) <= _MAX_DISPLAY_WORDS and not _SENTENCE_END.search(text):
        return CHAPTER if sum(char.isalpha() for char in text) >= 2 else None
    return None


def is_table_of_contents(fragments: tuple[str, ...]) -> bool:
    """Dot leaders, a « Table des matières » title, or words that are mostly page numbers."""
    if any(_TOC_TITLE.match(fragment.strip()) for fragment in fragments):
        return True
    text = " ".join(fragments)
    if len(_LEADERS.findall(text)) >= 3:
        return True
    tokens = text.split()
    numbers = sum(bool(_TOKEN_NUMBER.match(token)) for token in tokens)
    ends = len(re.findall(r"[.!?…](?:\s|$)", text))
    return (
        len(tokens) >= 8 and numbers >= 6 and numbers >= 0.25 * len(tokens) and ends * 4 <= numbers
    )


def _window(page_count: int) -> int:
    return min(12, max(2, page_count // 10))


def _matter_of_page(page: PageText, page_count: int) -> str | None:
    """FRONT or BACK when the whole page is front or back matter, else None (a short document,
    a story or an extract, has no front matter: everything in it is text)."""
    if page_count < _SHORTEST_BOOK:
        return None
    front = page.number <= _window(page_count)
    back = page.number > page_count - _window(page_count) and not front
    if is_table_of_contents(page.fragments):
        return FRONT if page.number <= max(1, page_count // 2) else BACK
    if not (front or back):
        return None
    words = sum(len(fragment.split()) for fragment in page.fragments)
    notices = sum(bool(_NOTICE.search(fragment)) for fragment in page.fragments)
    if notices and words <= _NOTICE_PAGE_WORDS and (notices >= 2 or words <= _TITLE_PAGE_WORDS):
        return FRONT if front else BACK
    sentences = sum(bool(_SENTENCE_END.search(fragment)) for fragment in page.fragments)
    headed = any(heading_level(fragment) for fragment in page.fragments)
    if front and words <= _TITLE_PAGE_WORDS and not sentences and not headed:
        return FRONT  # a title page: names and a title, no sentence
    return None


@functools.lru_cache(maxsize=512)
def classify_page(page: PageText, page_count: int) -> PageText:
    """``page`` with ``kinds`` set by the rules of this module's docstring."""
    matter = _matter_of_page(page, page_count)
    if matter is not None:
        kinds = (matter,) * len(page.fragments)
    else:
        near_end = page_count >= _SHORTEST_BOOK and page.number > page_count - _window(page_count)
        found: list[str] = []
        for i, fragment in enumerate(page.fragments):
            displayed = page.displayed[i] if i < len(page.displayed) else False
            kind = _fragment_kind(fragment, displayed, near_end)
            if kind == TEXT and found and found[-1] == CHAPTER and _is_subtitle(fragment):
                kind = CHAPTER  # « Chapitre II » over « Ce que devint Candide … »: one title
            found.append(kind)
        kinds = tuple(found)
    return dataclasses.replace(page, kinds=kinds or (TEXT,))


def _is_subtitle(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= _MAX_SUBTITLE_WORDS and not _SENTENCE_END.search(text)


def _fragment_kind(fragment: str, displayed: bool, near_end: bool) -> str:
    level = heading_level(fragment, displayed=displayed)
    if level is not None:
        return level
    if near_end and _NOTICE.search(fragment) and len(fragment.split()) <= _NOTICE_PAGE_WORDS:
        return BACK
    return TEXT


class BookParts:
    """What a chunk meets besides its text: headings (placed before a source sentence) and
    front and back matter."""

    def __init__(self) -> None:
        self.front: list[str] = []
        self.back: list[str] = []
        self._headings: list[tuple[str, str, int, int]] = []

    def add(self, kind: str, text: str, page: int, *, at: int) -> None:
        """A paragraph of ``kind`` on ``page``, met after ``at`` source sentences."""
        if kind in HEADINGS:
            self._headings.append((" ".join(text.split()), kind, page, at))
        elif kind == BACK:
            self.back.append(text)
        else:
            self.front.append(text)

    def headings(self, starts: list[int], total: int) -> list[HeadingMark]:
        """The headings, placed before output sentences (``starts[i]``: the first output
        sentence of source sentence ``i``)."""
        return [
            HeadingMark(title, level, page, starts[at] if at < len(starts) else total)
            for title, level, page, at in self._headings
        ]
