"""A corpus novel typeset as an e-book library's PDF: the whole book, not only its text.

A title page, a copyright page, a table of contents (with dot leaders, or without), each part on
a page of its own in large centred type, each chapter on a new page under a centred numeral and
title in a larger type, a page number at the foot of every page, and at the end the library's
colophon « À propos de cette édition électronique ». Paragraphs are set with fpdf2's justified
``multi_cell`` (first line indented); the book's structure, not the line breaking, is what this
tests (``render.py`` makes the typographically hard PDFs).
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from tests.support.epubs import Book
from tests.support.render import FONT_DIR


def _write(pdf: FPDF, height: float, text: str, align: str = "L") -> None:
    pdf.multi_cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")


class _Pdf(FPDF):
    def footer(self) -> None:
        if self.page_no() > 2:
            self.set_y(-12)
            self.set_font("body", size=9)
            self.cell(0, 5, str(self.page_no()), align="C")


def render_book(book: Book, out: Path, *, leaders: bool = True, max_chapters: int = 99) -> Path:
    """Write ``book`` (its first ``max_chapters`` chapters) to ``out`` as described above."""
    pdf = _Pdf(unit="mm", format=(148, 210))
    pdf.set_margins(16, 16, 16)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("body", "", str(FONT_DIR / "DejaVuSerif.ttf"))
    pdf.add_font("head", "", str(FONT_DIR / "DejaVuSans.ttf"))
    chapters = book.chapters[:max_chapters]
    pdf.add_page()
    pdf.set_font("head", size=14)
    pdf.ln(40)
    _write(pdf, 8, book.author.upper(), align="C")
    pdf.ln(10)
    pdf.set_font("head", size=24)
    _write(pdf, 12, book.title, align="C")
    pdf.ln(6)
    pdf.set_font("head", size=12)
    _write(pdf, 6, "roman", align="C")
    pdf.add_page()
    pdf.set_font("body", size=9)
    pdf.ln(120)
    for line in (
        "Édition de référence : texte libre de droits.",
        "© Bibliothèque numérique d’exemple, 2026. Tous droits réservés pour cette édition.",
        "ISBN 978-0-00-000000-0",
    ):
        _write(pdf, 5, line, align="C")
    pdf.add_page()
    pdf.set_font("head", size=14)
    _write(pdf, 8, "Table des matières" if leaders else "", align="C")
    pdf.ln(4)
    pdf.set_font("body", size=10)
    for number, chapter in enumerate(chapters, start=1):
        page = 4 + 2 * number
        if leaders:
            _write(pdf, 6, f"{chapter.title} {'.' * 40} {page}")
        else:
            _write(pdf, 6, f"{chapter.title}    {page}")
    part = ""
    for chapter in chapters:
        if chapter.part and chapter.part != part:
            part = chapter.part
            pdf.add_page()
            pdf.ln(60)
            pdf.set_font("head", size=22)
            _write(pdf, 11, part, align="C")
        pdf.add_page()
        pdf.ln(20)
        pdf.set_font("head", size=16)
        _write(pdf, 9, chapter.title, align="C")
        pdf.ln(10)
        pdf.set_font("body", size=10.5)
        for paragraph in chapter.paragraphs:
            pdf.set_x(16)
            _write(pdf, 5.2, "      " + paragraph, align="J")
    pdf.add_page()
    pdf.set_font("head", size=14)
    _write(pdf, 8, "À propos de cette édition électronique", align="C")
    pdf.ln(4)
    pdf.set_font("body", size=10)
    pdf.multi_cell(
        0,
        5.2,
        "Ce livre numérique a été réalisé par une bibliothèque numérique bénévole. "
        "Texte libre de droits. Corrections, édition, conversion informatique et publication "
        "par le groupe d’exemple, www.example.org.",
        align="J",
    )
    pdf.output(str(out))
    return out
