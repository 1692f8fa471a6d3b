"""Render a novel of the corpus's text/ folder into a PDF of an exact number of pages.

The browser tests need a long book with a real text layer; the corpus has the texts, and
fpdf2 lays them out as a publisher would (a running title, page numbers, wrapped paragraphs).
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


class _Book(FPDF):
    title_text = ""

    def header(self) -> None:
        self.set_font(self.font_family, size=8)
        self.cell(0, 6, self.title_text, align="C")
        self.ln(10)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.font_family, size=8)
        self.cell(0, 6, str(self.page_no()), align="C")


def render_novel(text_file: Path, out: Path, *, pages: int, title: str) -> Path:
    """Write ``pages`` pages of ``text_file``'s paragraphs (repeated if the text runs out)."""
    paragraphs = [line.strip() for line in text_file.read_text(encoding="utf-8-sig").splitlines()]
    paragraphs = [p for p in paragraphs if p]
    pdf = _Book(format=(148, 210))  # A5, in millimetres
    # Lines are placed one by one, so that the book stops exactly at the last page.
    pdf.set_auto_page_break(auto=False)
    if FONT.exists():
        pdf.add_font("Book", fname=str(FONT))
        pdf.set_font("Book", size=10)
        clean = str
    else:
        # Without the TrueType font, the core font knows Latin-1 only: é stays, « and — go.
        pdf.set_font("Times", size=10)

        def clean(text: str) -> str:
            return text.encode("latin-1", "replace").decode("latin-1")

    pdf.title_text = clean(title)
    pdf.add_page()
    bottom = pdf.h - 18
    index = 0
    while True:
        paragraph = clean(paragraphs[index % len(paragraphs)])
        index += 1
        lines = pdf.multi_cell(0, 5, paragraph, dry_run=True, output="LINES")
        for line in lines:
            if pdf.get_y() + 5 > bottom:
                if pdf.page_no() >= pages:
                    pdf.output(str(out))
                    return out
                pdf.add_page()
            pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
