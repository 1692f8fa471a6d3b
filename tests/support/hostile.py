"""PDFs built to make the cheap checks expensive or the estimate wrong, for the load tests.

- ``digits_pdf``: every page draws the same content stream, a page of digits. No page has a
  letter, so the text-layer test reads every page before refusing it (NO_TEXT_LAYER): a long
  check that ends in a 4xx, the costliest request a stranger can send for free.
- ``hidden_text_pdf``: real French text on every other page only, the pages a spread sample of
  even stride never looks at, so a sampled estimate sees blank pages.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from tests.support.bombs import objects_pdf
from tests.support.render import CORPUS_TEXT, novel_text

_LATIN1 = str.maketrans({"’": "'", "…": "...", "œ": "oe", "Œ": "OE", "—": "-", "–": "-"})


def digits_pdf(out: Path, *, pages: int, lines: int = 60) -> Path:
    """``pages`` pages that all draw one shared content stream of ``lines`` lines of digits."""
    row = b"0123456789 " * 8
    content = b"BT /F1 9 Tf 11 TL 30 800 Td " + b"".join(
        b"(" + row + b") ' " for _ in range(lines)
    ) + b"ET"  # fmt: skip
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>"
    )
    objects += [page] * pages
    out.write_bytes(objects_pdf(objects))
    return out


def hidden_text_pdf(
    out: Path, *, pages: int = 32, novel: str = "maupassant", corpus_text: Path = CORPUS_TEXT
) -> Path:
    """``pages`` pages; the odd ones (1, 3, 5, …) full of a novel's text, the even ones blank."""
    text = novel_text(novel, corpus_text).read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.splitlines() if len(p.split()) > 25]
    pdf = FPDF(format=(148, 210))
    pdf.set_auto_page_break(auto=False)
    pdf.set_font("Helvetica", size=8)
    source = iter(paragraphs)
    for number in range(1, pages + 1):
        pdf.add_page()
        if number % 2 == 0:
            continue
        while pdf.get_y() < 180:
            paragraph = next(source).translate(_LATIN1)
            latin1 = paragraph.encode("latin-1", "replace").decode("latin-1")
            pdf.multi_cell(0, 3.5, latin1, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(out))
    return out
