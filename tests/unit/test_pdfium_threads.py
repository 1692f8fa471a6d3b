"""PDFium is not thread-safe; the API validates and extracts uploads in its thread pool. Many
threads at once must get exactly what one thread gets, on real PDFs."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from frenchnovel.errors import InputError
from frenchnovel.pipeline.extract import PdfSource
from frenchnovel.pipeline.plan import estimate_characters
from frenchnovel.pipeline.validate import validate_pdf

BOOKS = ("voltaire_candide_ligaran2015.pdf", "baudelaire_les-fleurs-du-mal_bibebook.pdf")
LIMITS = {"max_bytes": 50 * 1024 * 1024, "max_pages": 2000}


def _checked(path: Path) -> tuple[int, int] | str:
    """What an upload's validation and estimate say, or the error code."""
    try:
        info = validate_pdf(path, **LIMITS)
    except InputError as error:
        return error.code.value
    return info.page_count, estimate_characters(path, info.page_count)


def _pages_text(path: Path) -> list[str]:
    source = PdfSource(path)
    try:
        pages = [source.page(n) for n in range(1, min(source.page_count, 15) + 1)]
    finally:
        source.close()
    return [" ".join(page.fragments) for page in pages]


def test_validation_in_many_threads_agrees_with_one_thread(corpus: Path) -> None:
    paths = [corpus / "pdf" / name for name in BOOKS]
    paths.append(corpus / "robustness" / "qpdf_bad1.pdf")
    alone = {path: _checked(path) for path in paths}

    with ThreadPoolExecutor(max_workers=12) as pool:
        together = list(pool.map(_checked, paths * 20))

    assert together == [alone[path] for path in paths] * 20


def test_extraction_in_many_threads_agrees_with_one_thread(corpus: Path) -> None:
    paths = [corpus / "pdf" / name for name in BOOKS]
    alone = {path: _pages_text(path) for path in paths}

    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(_pages_text, paths * 6))

    assert together == [alone[path] for path in paths] * 6
