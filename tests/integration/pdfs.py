"""Small French PDFs rendered from the corpus novels, for the service tests."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

# The core PDF fonts speak latin-1: spell the few other French characters the old way.
_LATIN1 = str.maketrans({"’": "'", "…": "...", "œ": "oe", "Œ": "OE", "—": "-", "–": "-"})


def french_paragraphs(corpus: Path, *, skip: int = 0, count: int = 12) -> list[str]:
    """``count`` longish paragraphs of *Bel-Ami*, starting after ``skip`` of them."""
    text = (corpus / "text" / "maupassant_bel-ami_eltec-FRA02701.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.splitlines() if len(p.split()) > 25]
    return paragraphs[skip : skip + count]


def render_pdf(paragraphs: list[str], out: Path, *, pages: int = 3) -> Path:
    """A PDF of ``pages`` pages sharing ``paragraphs`` out evenly, with a text layer."""
    pdf = FPDF(format=(148, 210))
    pdf.set_auto_page_break(auto=False)
    pdf.set_font("Helvetica", size=9)
    per_page = max(1, len(paragraphs) // pages)
    for number in range(pages):
        pdf.add_page()
        share = paragraphs[number * per_page : (number + 1) * per_page] or ["Fin."]
        for paragraph in share:
            pdf.multi_cell(
                0, 4, paragraph.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")
            )
            pdf.ln(2)
    pdf.output(str(out))
    return out
