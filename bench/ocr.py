"""OCR of scans: character error rate, word recall and pages/s per core (``make bench-pipeline``).

Typesets pages of a corpus novel (running heads, page numbers, hyphenation), scans them as a
flatbed scanner would (rasterised at 300 and at 200 dpi, turned by up to 0.8°, blurred, noisy,
specks, JPEG), then reads each scan with the pipeline's extraction (``ocr=auto``: PDFium renders at
``OCR_DPI``, Tesseract's French model reads with one thread) and compares the paragraphs with the
text that was typeset. A text-layer row shows what the same cleaning gives without OCR.

    .venv/bin/python bench/ocr.py [--pages 12] [--novel maupassant] [--scan-dpi 300 200]
                                  [--render-dpi 300] [--font-size 10.5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ocr_quality import character_errors, word_recall

from frenchnovel.pipeline import ocr
from frenchnovel.pipeline.document import open_source
from frenchnovel.pipeline.paragraphs import paragraphs_around
from tests.support.render import render_novel
from tests.support.scans import scan_pdf


def read_text(path: Path, mode: str) -> tuple[str, float, float]:
    """The document's paragraphs as one text, wall seconds, CPU seconds (children included)."""
    before, started = os.times(), time.perf_counter()
    source = open_source(path, ocr=mode)
    try:
        text = " ".join(p.text for p in paragraphs_around(source, 1, source.page_count))
    finally:
        source.close()
    after = os.times()
    cpu = sum(after[:4]) - sum(before[:4])
    return text, time.perf_counter() - started, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--novel", default="maupassant")
    parser.add_argument("--scan-dpi", type=int, nargs="+", default=[300, 200])
    parser.add_argument("--render-dpi", type=int, default=ocr.OCR_DPI)
    parser.add_argument("--font-size", type=float, default=10.5, help="points, of the body text")
    args = parser.parse_args()
    ocr.OCR_DPI = args.render_dpi
    ocr.ocr_page.__kwdefaults__["dpi"] = args.render_dpi
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    rows: list[tuple[str, int, float, float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        novel = render_novel(
            args.novel, pages=args.pages, out=Path(tmp) / "printed.pdf", font_size=args.font_size
        )
        reference = " ".join(novel.paragraphs)
        text, wall, cpu = read_text(novel.path, "off")
        errors, length = character_errors(reference, text)
        rows.append(("text layer (no OCR)", novel.pages, errors / length, 0.0, wall, cpu))
        rows[-1] = (*rows[-1][:3], word_recall(reference, text), wall, cpu)
        for dpi in args.scan_dpi:
            scan = scan_pdf(novel.path, Path(tmp) / f"scan-{dpi}.pdf", dpi=dpi)
            text, wall, cpu = read_text(scan, "auto")
            errors, length = character_errors(reference, text)
            label = f"OCR {dpi}-dpi scan, read at {args.render_dpi} dpi"
            recall = word_recall(reference, text)
            rows.append((label, novel.pages, errors / length, recall, wall, cpu))

    print(
        f"\n{args.novel}, {args.pages} pages in {args.font_size} pt; Tesseract fra, "
        "OMP_THREAD_LIMIT=1"
    )
    header = f"{'OCR':<40} {'pages':>5} {'CER':>7} {'recall':>7} {'s/page':>7} {'pages/s/core':>12}"
    print(header)
    print("-" * len(header))
    for label, pages, rate, recall, wall, cpu in rows:
        per_core = pages / cpu if cpu > 0 else float("inf")
        print(
            f"{label:<40} {pages:>5} {rate * 100:>6.2f}% {recall:>7.4f} "
            f"{wall / pages:>7.2f} {per_core:>12.3f}"
        )


if __name__ == "__main__":
    main()
