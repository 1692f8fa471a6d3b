"""Pipeline speed: pages/s of extraction alone and of the whole pipeline, with 1 and 2 workers.

Renders a ~400-page novel of the corpus (``make bench-pipeline``; ``--pages`` and ``--novel`` to
change it), then times each stage in this process and prints a table with the peak memory (RSS
of this process and its children, sampled every 20 ms).

    .venv/bin/python bench/pipeline.py [--pages 400] [--novel verne] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from frenchnovel.config import Settings
from frenchnovel.pipeline.document import open_source, process_document
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.paragraphs import paragraphs_around
from frenchnovel.pipeline.segment import segment
from tests.support.render import CORPUS_TEXT, render_novel

MB = 1024 * 1024


class PeakMemory:
    """Samples the summed RSS of this process and all its descendants until stopped."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.02)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def measured(rows: list[tuple[str, int, float, int]], label: str, pages: int) -> Iterator[None]:
    with PeakMemory() as memory:
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
    rows.append((label, pages, seconds, memory.peak))


CORPUS = CORPUS_TEXT.parent


def pdfium_text_only(path: Path) -> int:
    """PDFium's raw text of every page, nothing else: the floor under extraction."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    chars = 0
    for page in pdf:
        textpage = page.get_textpage()
        chars += len(textpage.get_text_range())
        textpage.close()
        page.close()
    pdf.close()
    return chars


def extract_all(path: Path, segmenter: Callable[[str], object] | None = None) -> int:
    source = open_source(path)
    paragraphs = paragraphs_around(source, 1, source.page_count)
    if segmenter is not None:
        for paragraph in paragraphs:
            segmenter(paragraph.text)
    source.close()
    return len(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--novel", default="verne")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--chunk-size", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        novel = render_novel(args.novel, pages=args.pages, out=Path(tmp) / "novel.pdf")
        print(
            f"rendered {novel.pages} pages of {args.novel} ({len(novel.words()):,} words, "
            f"{novel.path.stat().st_size / MB:.1f} MB) in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        pages = novel.pages
        rows: list[tuple[str, int, float, int]] = []
        with measured(rows, "PDFium text only (reference)", pages):
            pdfium_text_only(novel.path)
        with measured(rows, "extract (layout, furniture, paragraphs)", pages):
            extract_all(novel.path)
        with measured(rows, "extract + segment", pages):
            extract_all(novel.path, segment)
        epub = CORPUS / "epub" / "maupassant_bel-ami_pandoc.epub"
        if epub.exists():  # an EPUB's « pages » are its sections (spine documents, chapters)
            sections = open_source(epub).page_count
            with measured(rows, "EPUB extract (Bel-Ami, pandoc), sections", sections):
                extract_all(epub)
            with measured(rows, "EPUB extract + segment, sections", sections):
                extract_all(epub, segment)
        settings = Settings()
        for workers in args.workers:
            label = f"whole pipeline, local engine, {workers} worker{'s' * (workers > 1)}"
            with measured(rows, label, pages):
                process_document(
                    novel.path,
                    JobOptions(),
                    settings=settings,
                    workers=workers,
                    chunk_size=args.chunk_size,
                )

    print(f"\n{'stage':<44} {'pages':>6} {'seconds':>8} {'pages/s':>9} {'peak RSS':>10}")
    print("-" * 81)
    for label, count, seconds, peak in rows:
        print(
            f"{label:<44} {count:>6} {seconds:>8.2f} {count / seconds:>9.1f} {peak / MB:>7.0f} MB"
        )
    print(
        f"\n{psutil.cpu_count()} CPUs; chunks of {args.chunk_size} pages; load average "
        f"{', '.join(f'{x:.1f}' for x in psutil.getloadavg())}"
    )


if __name__ == "__main__":
    main()
