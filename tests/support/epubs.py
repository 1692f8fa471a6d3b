"""EPUBs made in tests, from a corpus novel or from a few made-up paragraphs, with two tools.

- ``build_with_ebooklib``: EbookLib writes an EPUB 3 (navigation document and NCX), one XHTML
  file per chapter, parts as nested entries.
- ``build_by_hand``: a ZIP written here, EPUB 2 as older publishers made them: an NCX and a
  guide, XHTML 1.1 with its DOCTYPE and HTML entities (``&nbsp;``), every part and chapter in
  ONE document (the NCX points at anchors inside it), drop caps as images, footnotes as links
  to a notes document, a cover, a title page and a colophon.

A ``Book`` is what both are made from; ``source_words`` is the text a reader expects back.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from frenchnovel.pipeline.textfile import decode_text, text_paragraphs

_PART = re.compile(r"^(PREMIÈRE|DEUXIÈME|TROISIÈME|Première|Deuxième|Troisième) (PARTIE|partie)$")
_CHAPTER = re.compile(r"^(?:-- )?[IVXL]+(?: --(?: .+)?)?$")


@dataclass(slots=True)
class Chapter:
    title: str
    part: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Book:
    title: str
    author: str
    chapters: list[Chapter]

    def source_words(self) -> list[str]:
        """The words of the text (chapter titles apart), in order."""
        return [w for c in self.chapters for p in c.paragraphs for w in p.split()]

    def parts(self) -> list[str]:
        return list(dict.fromkeys(c.part for c in self.chapters if c.part))


def book_from_text(path: Path, *, title: str, author: str) -> Book:
    """A corpus novel cut at its own part and chapter lines (« PREMIÈRE PARTIE », « -- I -- »,
    « II -- Dick Sand »)."""
    part, chapters = "", []
    for paragraph in text_paragraphs(decode_text(path.read_bytes())):
        if _PART.match(paragraph):
            part = paragraph
        elif _CHAPTER.match(paragraph):
            chapters.append(Chapter(paragraph, part))
        elif chapters:
            chapters[-1].paragraphs.append(paragraph)
    return Book(title, author, chapters)


def small_book() -> Book:
    """Two parts, three chapters of made-up text."""
    return Book(
        "Le Petit Livre",
        "Anne Exemple",
        [
            Chapter(
                "Chapitre premier",
                "Première partie",
                [
                    "Le matin, Paul ouvrit la fenêtre et regarda la rue où passaient les voitures.",
                    "Il pensait à sa sœur, qui vivait loin de la ville depuis deux ans.",
                ],
            ),
            Chapter(
                "Chapitre II",
                "Première partie",
                [
                    "Marie arriva le soir ; elle portait une robe bleue et un chapeau de paille.",
                ],
            ),
            Chapter(
                "Chapitre III",
                "Deuxième partie",
                [
                    "Ils partirent ensemble vers la mer, sans rien dire à personne.",
                    "Le voyage dura trois jours et trois nuits.",
                ],
            ),
        ],
    )


def _xhtml_paragraphs(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def build_with_ebooklib(book: Book, out: Path) -> Path:
    """An EPUB 3 written by EbookLib (see the module's docstring)."""
    from ebooklib import epub  # type: ignore[import-untyped]

    document = epub.EpubBook()
    document.set_identifier("test-" + re.sub(r"\W+", "-", book.title))
    document.set_title(book.title)
    document.set_language("fr")
    document.add_author(book.author)
    toc: list[object] = []
    spine: list[object] = ["nav"]
    parts: dict[str, list[object]] = {}
    for number, chapter in enumerate(book.chapters, start=1):
        item = epub.EpubHtml(title=chapter.title, file_name=f"chap_{number:03}.xhtml", lang="fr")
        item.content = (
            f"<h2>{html.escape(chapter.title)}</h2>\n{_xhtml_paragraphs(chapter.paragraphs)}"
        )
        document.add_item(item)
        spine.append(item)
        if chapter.part:
            if chapter.part not in parts:
                parts[chapter.part] = []
                toc.append((epub.Section(chapter.part, href=item.file_name), parts[chapter.part]))
            parts[chapter.part].append(item)
        else:
            toc.append(item)
    document.toc = toc
    document.spine = spine
    document.add_item(epub.EpubNcx())
    document.add_item(epub.EpubNav())
    epub.write_epub(str(out), document)
    return out


_XHTML11 = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
    '"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr"><head><title>{title}</title>'
    '<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css" type="text/css"/>'
    '<script type="text/javascript" src="http://127.0.0.1:{port}/run.js"></script>'
    "</head>\n<body>\n{body}\n</body></html>\n"
)


def _hand_paragraph(text: str, *, drop_cap: bool, note: int | None) -> str:
    escaped = html.escape(text, quote=False).replace(" ;", "&nbsp;;").replace(" :", "&nbsp;:")
    if drop_cap and escaped[:1].isalpha():
        first = escaped[0]
        escaped = f'<img class="lettrine" src="images/{first}.png" alt="{first}"/>{escaped[1:]}'
    if note is not None:
        escaped += f'<sup><a href="notes.xhtml#n{note}" id="r{note}">{note}</a></sup>'
    return f'<p class="calibre_texte">{escaped}</p>'


def build_by_hand(book: Book, out: Path, *, remote_port: int = 9) -> Path:
    """An EPUB 2 zipped here (see the module's docstring). ``remote_port``: where its stylesheet
    and script claim to live, so a test can prove nothing is fetched."""
    body, nav_points, notes = [], [], []
    play = 0
    parts_done: set[str] = set()

    def point(title: str, anchor: str, children: str = "") -> str:
        nonlocal play
        play += 1
        return (
            f'<navPoint id="p{play}" playOrder="{play}"><navLabel><text>'
            f"{html.escape(title)}</text></navLabel>"
            f'<content src="text/book.xhtml#{anchor}"/>{children}</navPoint>'
        )

    part_children: dict[str, list[str]] = {}
    order: list[tuple[str, str]] = []
    for number, chapter in enumerate(book.chapters, start=1):
        if chapter.part and chapter.part not in parts_done:
            parts_done.add(chapter.part)
            anchor = f"part{len(parts_done)}"
            body.append(f'<h1 class="part" id="{anchor}">{html.escape(chapter.part)}</h1>')
            order.append((chapter.part, anchor))
            part_children[chapter.part] = []
        body.append(f'<h2 id="ch{number}">{html.escape(chapter.title)}</h2>')
        for i, paragraph in enumerate(chapter.paragraphs):
            note = None
            if i == 1 and number % 3 == 1:
                note = len(notes) + 1
                notes.append(f'<p class="note" id="n{note}">{note}. Note de l’éditeur.</p>')
            body.append(_hand_paragraph(paragraph, drop_cap=i == 0, note=note))
        target = part_children[chapter.part] if chapter.part else None
        entry = (chapter.title, f"ch{number}")
        if target is None:
            order.append(entry)
        else:
            target.append(entry)  # type: ignore[arg-type]
    for title, anchor in order:
        children = part_children.get(title, [])
        inner = "".join(point(t, a) for t, a in children)  # type: ignore[misc]
        nav_points.append(point(title, anchor, inner))
    title_page = f"<h1>{html.escape(book.title)}</h1><p>{html.escape(book.author)}</p>"
    colophon = (
        "<h2>À propos de cette édition électronique</h2><p>Ce livre numérique a été réalisé "
        "par une bibliothèque numérique bénévole. Texte libre de droits, www.example.org.</p>"
    )
    files = {
        "META-INF/container.xml": (
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" '
            'media-type="application/oebps-package+xml"/></rootfiles></container>'
        ),
        "OEBPS/content.opf": _opf(book),
        "OEBPS/toc.ncx": (
            '<?xml version="1.0" encoding="utf-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/'
            'ncx/" version="2005-1"><head/><docTitle><text>'
            f"{html.escape(book.title)}</text></docTitle><navMap>{''.join(nav_points)}"
            "</navMap></ncx>"
        ),
        "OEBPS/text/title.xhtml": _XHTML11.format(title="Titre", port=remote_port, body=title_page),
        "OEBPS/text/book.xhtml": _XHTML11.format(
            title=html.escape(book.title), port=remote_port, body="\n".join(body)
        ),
        "OEBPS/text/notes.xhtml": _XHTML11.format(
            title="Notes", port=remote_port, body="\n".join(notes) or "<p/>"
        ),
        "OEBPS/text/colophon.xhtml": _XHTML11.format(
            title="Colophon", port=remote_port, body=colophon
        ),
    }
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return out


def _opf(book: Book) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{html.escape(book.title)}</dc:title><dc:language>fr</dc:language>"
        '<dc:identifier id="id">test</dc:identifier></metadata><manifest>'
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
        '<item id="title" href="text/title.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="book" href="text/book.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="notes" href="text/notes.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="colophon" href="text/colophon.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="remote" href="http://127.0.0.1:9/cover.jpg" media-type="image/jpeg"/>'
        '</manifest><spine toc="ncx"><itemref idref="title"/><itemref idref="book"/>'
        '<itemref idref="notes" linear="no"/><itemref idref="colophon"/></spine>'
        '<guide><reference type="title-page" href="text/title.xhtml" title="Titre"/>'
        '<reference type="notes" href="text/notes.xhtml" title="Notes"/>'
        '<reference type="colophon" href="text/colophon.xhtml" title="Colophon"/></guide>'
        "</package>"
    )
