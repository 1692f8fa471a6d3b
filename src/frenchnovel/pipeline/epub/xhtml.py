"""The text of one XHTML document of an EPUB as blocks: paragraphs, headings and anchors.

Only text is read: scripts, styles, forms, media and images are skipped (a one-letter image of a
drop cap gives its ``alt`` letter back to its word), and nothing a document points to is ever
loaded. Footnotes and endnotes (``epub:type`` or ARIA role ``note``, ``aside``, classes
``footnote(s)``/``endnote(s)``) leave the text flow and come back in ``notes``; the note
references in the text (« ¹ », « [2] ») are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from frenchnovel.pipeline.epub.package import OPS_TYPE, local
from frenchnovel.pipeline.normalize import normalize_text

PARAGRAPH, HEADING, ANCHOR = "p", "h", "anchor"
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = _HEADINGS | frozenset(
    "p div section article header footer main blockquote li ul ol dl dt dd table tr td th "
    "tbody thead tfoot figure figcaption pre hr address center body nav hgroup caption details "
    "summary aside".split()
)
_SKIPPED = frozenset(
    "head script style noscript template title meta link object embed iframe audio video "
    "canvas svg math rt rp button input select textarea form".split()
)
_NOTE_TYPES = frozenset(
    "footnote endnote rearnote note footnotes endnotes rearnotes doc-footnote doc-endnote "
    "doc-endnotes doc-footnotes".split()
)
_NOTE_CLASSES = frozenset({"footnote", "footnotes", "endnote", "endnotes", "notes"})
_NOTEREF_TYPES = frozenset({"noteref", "doc-noteref"})
_NOTEREF_TEXT = re.compile(r"^[\[(]?(?:\d{1,3}|[*†‡]{1,3}|[ivxlc]{1,5})[\])]?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # PARAGRAPH, HEADING or ANCHOR (an element id a table of contents points to)
    text: str


@dataclass(slots=True)
class DocumentText:
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    types: frozenset[str] = frozenset()  # epub:type of the body and its first section


def _tokens(element: Element) -> set[str]:
    return set(f"{element.get(OPS_TYPE, '')} {element.get('role', '')}".lower().split())


def _is_note(element: Element, name: str) -> bool:
    if _tokens(element) & _NOTE_TYPES:
        return True
    classes = set(element.get("class", "").lower().split())
    return (name == "aside" and bool(element.get(OPS_TYPE))) or bool(
        classes & _NOTE_CLASSES and name in ("div", "section", "aside", "ol", "p", "li")
    )


def _is_noteref(element: Element, name: str) -> bool:
    if _tokens(element) & _NOTEREF_TYPES:
        return True
    classes = set(element.get("class", "").lower().split())
    if classes & {"footnote-ref", "noteref", "footnoteref", "note-ref"}:
        return True
    text = "".join(element.itertext()).strip()
    if name == "a" and "#" in element.get("href", ""):
        return bool(_NOTEREF_TEXT.match(text))
    if name == "sup":
        links = [e for e in element.iter() if local(e.tag) == "a" and e.get("href")]
        return bool(links) and bool(_NOTEREF_TEXT.match(text))
    return False


def _own_text(element: Element, name: str) -> str:
    """What an empty element stands for: a space for a line break, a drop cap's letter."""
    if name == "br":
        return " "
    if name in ("img", "image"):
        alt = element.get("alt", "").strip()
        if len(alt) <= 2 and alt.isalpha():  # a drop cap: the first letter of its word
            return alt
    return ""


class _Reader:
    def __init__(self, anchors: set[str]) -> None:
        self.anchors = anchors
        self.out = DocumentText()
        self.buffer: list[str] = []

    def flush(self, kind: str = PARAGRAPH) -> None:
        text = normalize_text(" ".join("".join(self.buffer).split())).strip()
        self.buffer.clear()
        if text:
            self.out.blocks.append(Block(kind, text))

    def visit(self, element: Element) -> None:
        name = local(element.tag)
        if name in _SKIPPED:
            return
        if _is_note(element, name):
            note = normalize_text(" ".join("".join(element.itertext()).split())).strip()
            if note:
                self.out.notes.append(note)
            return
        ident = element.get("id")
        if ident and ident in self.anchors:
            self.flush()
            self.out.blocks.append(Block(ANCHOR, ident))
        if _is_noteref(element, name):
            return
        block = name in _BLOCKS
        if block:
            self.flush()
        self.buffer.append(_own_text(element, name))
        if element.text:
            self.buffer.append(element.text)
        for child in element:
            self.visit(child)
            if child.tail:
                self.buffer.append(child.tail)
        if block:
            self.flush(HEADING if name in _HEADINGS else PARAGRAPH)


def read_document(root: Element, anchors: set[str]) -> DocumentText:
    """The blocks of the document ``root``; ``anchors``: the ids a table of contents targets."""
    body = next((e for e in root.iter() if local(e.tag) == "body"), root)
    reader = _Reader(anchors)
    types = set(body.get(OPS_TYPE, "").lower().split())
    first = next((c for c in body if local(c.tag) in ("section", "div", "article")), None)
    if first is not None:
        types |= set(first.get(OPS_TYPE, "").lower().split())
        types |= set(first.get("role", "").lower().replace("doc-", "").split())
    reader.visit(body)
    reader.flush()
    reader.out.types = frozenset(types)
    return reader.out
