"""What an honest estimate costs: the characters of every page against the old 16-page sample.

Renders a 2,000-page novel of the corpus (``--pages`` to change it) and times, side by side in
this process, the sampled count the estimate used before issue 12 and the count of every page it
uses now (``pipeline.plan.estimate_characters``), then the whole check of an upload (validation
and count, ``jobs.submission.estimate``). A 32-page file with text on the pages the sample skips
shows what the sample missed.

    .venv/bin/python bench/estimate_cost.py [--pages 2000] [--novel maupassant] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from frenchnovel.billing.pricing import credits_for
from frenchnovel.config import Settings
from frenchnovel.jobs.submission import estimate
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.plan import estimate_characters
from frenchnovel.pipeline.words import estimate_tokens
from tests.support.hostile import hidden_text_pdf
from tests.support.render import render_novel

OLD_SAMPLE = 16


def sampled_characters(path: Path, page_count: int) -> int:
    """The estimate before issue 12: 16 pages from the middles of 16 equal stretches."""
    count = min(page_count, OLD_SAMPLE)
    sample = sorted({int((k + 0.5) * page_count / count) for k in range(count)})
    pdf = pdfium.PdfDocument(str(path))
    try:
        counts = []
        for index in sample:
            page = pdf[index]
            textpage = page.get_textpage()
            counts.append(max(int(textpage.count_chars()), 0))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return round(sum(counts) / len(counts) * page_count)


def timed(call: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The median wall time of ``repeat`` calls, and what the last one returned."""
    seconds, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = call()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), value


def credits(characters: int) -> int:
    return credits_for(estimate_tokens(characters), "local")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--novel", default="maupassant")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="estimate-cost-") as folder:
        book = render_novel(args.novel, pages=args.pages, out=Path(folder) / "book.pdf").path
        hidden = hidden_text_pdf(Path(folder) / "hidden.pdf", pages=32)
        settings = Settings(storage_dir=Path(folder))
        pages = args.pages
        old_s, old = timed(lambda: sampled_characters(book, pages), args.repeat)
        new_s, new = timed(lambda: estimate_characters(book, pages), args.repeat)
        check_s, _ = timed(lambda: estimate(book, JobOptions(), settings), args.repeat)
        hidden_old, hidden_new = sampled_characters(hidden, 32), estimate_characters(hidden, 32)
    assert isinstance(old, int) and isinstance(new, int)
    print(f"\n{pages}-page novel ({args.novel}), median of {args.repeat} runs:\n")
    print("| estimate | characters | credits | seconds | ms a page |")
    print("|---|---|---|---|---|")
    print(f"| sampled (16 pages, before) | {old:,} | {credits(old)} | {old_s:.3f} | "
          f"{old_s / pages * 1000:.3f} |")  # fmt: skip
    print(f"| every page (now) | {new:,} | {credits(new)} | {new_s:.3f} | "
          f"{new_s / pages * 1000:.3f} |")  # fmt: skip
    print(f"| whole check of an upload (validate + count) | | | {check_s:.3f} | "
          f"{check_s / pages * 1000:.3f} |")  # fmt: skip
    print(f"\nevery page costs {new_s / old_s:.0f}× the sample ({new_s - old_s:.2f} s more);")
    budget = pages * settings.pdf_check_seconds_per_page
    print(f"the budget of a {pages}-page check is {budget:g} s")
    print(
        f"32 pages, text only where the sample does not look: sampled {hidden_old:,} characters "
        f"({credits(hidden_old)} credits), every page {hidden_new:,} "
        f"({credits(hidden_new)} credits)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
