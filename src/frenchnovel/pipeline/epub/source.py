"""An EPUB as a paged source: each *page* is a section of a spine document, in spine order.

A spine document is cut where the table of contents points inside it (a book in one file still
has its chapters), so ``page`` in the result is the section's position and a chunk is a run of
sections. A section opens with its table-of-contents title as a heading (a part when the entry
has children, else a chapter); the document's own heading that repeats it is dropped, a subtitle
right after it joins the title. Paragraphs never run across sections.

Documents the package calls cover, title page, contents or copyright, the navigation document
and those before the first chapter that the page rules call front matter are front matter;
colophons, notes and non-linear documents are back matter; footnotes are back matter too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from frenchnovel.errors import ErrorCode, InputError
from frenchnovel.pipeline.epub.archive import EpubArchive
from frenchnovel.pipeline.epub.package import Package, TocEntry, read_package
from frenchnovel.pipeline.epub.xhtml import ANCHOR, HEADING, DocumentText, read_document
from frenchnovel.pipeline.extract import PageText
from frenchnovel.pipeline.structure import BACK, CHAPTER, FRONT, PART, TEXT, classify_page

_FRONT_ROLES = frozenset(
    "cover titlepage title-page halftitlepage toc copyright-page imprint frontmatter "
    "landmarks loi lot preface-publisher".split()
)
_BACK_ROLES = frozenset(
    "colophon backmatter index glossary bibliography endnotes footnotes rearnotes notes "
    "imprimatur".split()
)
_FRONT_TITLES = ("table des matières", "sommaire", "copyright", "titre", "couverture", "cover")
_BACK_TITLES = ("notes", "colophon", "à propos", "achevé", "crédits", "licence")


@dataclass(slots=True)
class _Section:
    headings: list[TocEntry] = field(default_factory=list)
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    matter: str = TEXT


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


class EpubSource:
    """An EPUB read whole at opening (see the module's docstring); ``characters`` counts text."""

    def __init__(self, path: Path) -> None:
        archive = EpubArchive(path)
        try:
            self._pages, self.notes = self._read(archive)
        except RecursionError:
            raise InputError(
                "the EPUB's documents are nested too deeply", code=ErrorCode.MALFORMED_EPUB
            ) from None
        finally:
            archive.close()
        if not any(k == TEXT for page in self._pages for k in page.kinds):
            raise InputError(
                "the EPUB holds no text in its reading order", code=ErrorCode.EMPTY_EPUB
            )
        self.page_count = len(self._pages)
        self.characters = sum(len(f) for page in self._pages for f in page.fragments)

    def _read(self, archive: EpubArchive) -> tuple[list[PageText], list[str]]:
        package = read_package(archive)
        toc = _book_toc(package.toc)
        sections: list[_Section] = []
        notes: list[str] = []
        for item in package.spine:
            entries = [entry for entry in toc if entry.path == item.path]
            anchors = {entry.fragment for entry in entries if entry.fragment}
            document = read_document(archive.xml(item.path), anchors)
            notes.extend(document.notes)
            matter = _matter(item.path, item.linear, document, package, entries)
            sections.extend(_sections(document, entries, matter))
        sections = [s for s in sections if s.blocks or s.headings]
        pages = _pages(sections, has_toc=bool(toc))
        if notes:  # the footnotes, out of the text flow: back matter after the last section
            pages.append(PageText(len(pages) + 1, tuple(notes), kinds=(BACK,) * len(notes)))
        return pages, notes

    def page(self, number: int) -> PageText:
        """Section ``number`` (1-based) of the book."""
        return self._pages[number - 1]

    def continues(self, number: int) -> bool:
        """Never: a paragraph ends with its section."""
        return False

    def close(self) -> None:
        """Nothing to release: the archive was read and closed at opening."""


def _book_toc(toc: list[TocEntry]) -> list[TocEntry]:
    """The table of contents without a lone top entry that only holds the whole book."""
    tops = [entry for entry in toc if entry.depth == 0]
    if len(tops) == 1 and tops[0].has_children and len(toc) > 2:
        return [TocEntry(e.title, e.path, e.fragment, e.depth - 1, e.has_children) for e in toc[1:]]
    return toc


def _matter(
    path: str, linear: bool, document: DocumentText, package: Package, entries: list[TocEntry]
) -> str:
    role = package.roles.get(path, "")
    types = document.types | {role}
    titles = [_normal(entry.title) for entry in entries]
    if path == package.nav_path or types & _FRONT_ROLES:
        return FRONT
    if any(title.startswith(_FRONT_TITLES) for title in titles):
        return FRONT
    if not linear or types & _BACK_ROLES or any(t.startswith(_BACK_TITLES) for t in titles):
        return BACK
    return TEXT


def _sections(document: DocumentText, entries: list[TocEntry], matter: str) -> list[_Section]:
    by_anchor = {entry.fragment: entry for entry in entries if entry.fragment}
    current = _Section([e for e in entries if not e.fragment], matter=matter)
    sections = [current]
    for block in document.blocks:
        if block.kind == ANCHOR:
            entry = by_anchor.pop(block.text, None)
            if entry is None:
                continue  # an id given twice: the first one opens the section
            if current.blocks:
                current = _Section([entry], matter=matter)
                sections.append(current)
            else:
                current.headings.append(entry)
        else:
            current.blocks.append((block.kind, block.text))
    return sections


def _pages(sections: list[_Section], *, has_toc: bool) -> list[PageText]:
    pages = []
    first_heading = next((i for i, s in enumerate(sections) if s.headings), len(sections))
    for number, section in enumerate(sections, start=1):
        fragments: list[str] = []
        kinds: list[str] = []
        titles = {_normal(entry.title) for entry in section.headings}
        for entry in section.headings:
            if section.matter == TEXT and entry.title:
                fragments.append(entry.title)
                kinds.append(PART if entry.has_children else CHAPTER)
        for kind, text in section.blocks:
            if kind == HEADING and _normal(text) in titles:
                continue
            fragments.append(text)
            if section.matter != TEXT:
                kinds.append(section.matter)
            elif kind == HEADING and (not has_toc or (kinds and set(kinds) <= {PART, CHAPTER})):
                kinds.append(PART if not has_toc and _is_part(text) else CHAPTER)
            else:
                kinds.append(TEXT)
        page = PageText(number, tuple(fragments), kinds=tuple(kinds))
        if section.matter == TEXT and not section.headings and fragments:
            page = _by_rules(
                page, len(sections), before_body=number <= first_heading, has_toc=has_toc
            )
        pages.append(page)
    return pages


def _is_part(text: str) -> bool:
    from frenchnovel.pipeline.structure import heading_level

    return heading_level(text) == PART


def _by_rules(page: PageText, count: int, *, before_body: bool, has_toc: bool) -> PageText:
    """A section outside the table of contents: the page rules decide what it holds (a title
    page or notice before the first chapter is front matter, a colophon at the end is back; in
    a book without a table of contents, « CHAPITRE I » in a paragraph is a heading too)."""
    ruled = classify_page(PageText(page.number, page.fragments), count)
    taken = {FRONT, BACK} if has_toc else {FRONT, BACK, PART, CHAPTER}
    kinds = tuple(
        ruled_kind if ruled_kind in taken else own
        for ruled_kind, own in zip(ruled.kinds, page.kinds, strict=True)
    )
    if before_body and all(k in (FRONT, BACK) for k in ruled.kinds):
        kinds = (FRONT,) * len(kinds)
    return PageText(page.number, page.fragments, kinds=kinds)
