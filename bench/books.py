"""Books as readers have them: word recall and chapters found, for EPUBs and PDFs of the corpus.

For each novel of ``../shared/corpus/text`` cut at its own part and chapter lines: an EPUB 3 made
by EbookLib, an EPUB 2 made by hand (one document, NCX anchors, entities, drop caps, notes), and
an e-book library's PDF (title page, copyright, contents with dot leaders, parts, chapters,
colophon); the corpus's pandoc EPUB of Bel-Ami; and the four novels typeset by ``render_novel``
(text only). Recall: the share of the source's words found in the original sentences (chapter
titles apart, which go to ``chapters``); for ``render_novel`` PDFs, whose source text holds its
own title page and table of contents (Hugo), in everything the result keeps: sentences, chapter
and part titles, front and back matter. Extraction only: the rewriting engine is not run.

    .venv/bin/python bench/books.py [--pages 120]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from frenchnovel.config import Settings
from frenchnovel.pipeline.document import process_document
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.result import Result
from tests.support.epubs import book_from_text, build_by_hand, build_with_ebooklib
from tests.support.identity import IdentityRewriter
from tests.support.recall import original_words, word_recall
from tests.support.render import CORPUS_TEXT, render_novel
from tests.support.render_book import render_book

NOVELS = ("verne", "maupassant", "flaubert")


def _process(path: Path) -> tuple[Result, float]:
    started = time.perf_counter()
    result = process_document(
        path, JobOptions(), settings=Settings(), chunk_size=10, rewriter=IdentityRewriter()
    )
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=120, help="pages of the render_novel PDFs")
    args = parser.parse_args()
    rows: list[tuple[str, str, float, str, int, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in NOVELS:
            book = book_from_text(next(CORPUS_TEXT.glob(f"{name}*.txt")), title=name, author="X")
            expected = [c.title for c in book.chapters]
            makers = {
                "EPUB 3, EbookLib": lambda b, o: build_with_ebooklib(b, o),
                "EPUB 2, by hand": lambda b, o: build_by_hand(b, o),
                "PDF, e-book library": lambda b, o: render_book(b, o),
            }
            for tool, make in makers.items():
                path = make(book, folder / f"{name}-{len(rows)}.{tool[:4].strip(',').lower()}")
                result, seconds = _process(path)
                found = [c.title for c in result.chapters]
                chapters = f"{sum(t in found for t in expected)}/{len(expected)}"
                recall = word_recall(book.source_words(), original_words(result))
                rows.append((name, tool, recall, chapters, result.page_count, seconds))
        epub = CORPUS_TEXT.parent / "epub" / "maupassant_bel-ami_pandoc.epub"
        source = (CORPUS_TEXT.parent / "epub" / "maupassant_bel-ami_source.md").read_text()
        words = [
            w
            for line in source.split("---", 2)[2].splitlines()
            if not line.startswith("#")
            for w in line.split()
        ]
        result, seconds = _process(epub)
        rows.append(
            (
                "maupassant",
                "EPUB 3, pandoc (corpus)",
                word_recall(words, original_words(result)),
                f"{len(result.chapters)}/18",
                result.page_count,
                seconds,
            )
        )
        for name in ("verne", "maupassant", "flaubert", "hugo"):
            novel = render_novel(name, pages=args.pages, out=folder / f"{name}.pdf")
            result, seconds = _process(novel.path)
            kept = " ".join(c.title + " " + c.part for c in result.chapters).split()
            kept += f"{result.front_matter} {result.back_matter}".split()
            recall = word_recall(novel.words(), original_words(result) + kept)
            rows.append(
                (
                    name,
                    "PDF, render_novel (all kept)",
                    recall,
                    f"{len(result.chapters)} found",
                    result.page_count,
                    seconds,
                )
            )
    print(
        f"\n{'novel':<11} {'made by':<28} {'recall':>7} {'chapters':>10} {'pages':>6} "
        f"{'seconds':>8}"
    )
    print("-" * 75)
    for name, tool, recall, chapters, pages, seconds in rows:
        print(f"{name:<11} {tool:<28} {recall:>7.4f} {chapters:>10} {pages:>6} {seconds:>8.1f}")


if __name__ == "__main__":
    main()
