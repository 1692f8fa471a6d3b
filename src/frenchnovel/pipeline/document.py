"""The whole pipeline on one document: validate, plan, process chunks, merge.

``process_chunk`` is the unit of work (what one Celery task runs); ``process_document`` runs all
chunks in-process, in a process pool when ``workers > 1``, for the CLI and the synchronous path.
"""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING

from frenchnovel.errors import Cancelled
from frenchnovel.pipeline.extract import OcrMode, PdfSource, Source
from frenchnovel.pipeline.kinds import document_kind
from frenchnovel.pipeline.merge import merge_chunks
from frenchnovel.pipeline.ocr import OcrCache
from frenchnovel.pipeline.ocr_chunk import read_own_pages
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.paragraphs import paragraphs_around
from frenchnovel.pipeline.plan import plan_chunks
from frenchnovel.pipeline.result import ChunkResult, OutputSentence, Result
from frenchnovel.pipeline.rewrite import CancelCheck, Rewriter, get_rewriter
from frenchnovel.pipeline.segment import segment
from frenchnovel.pipeline.structure import TEXT, BookParts
from frenchnovel.pipeline.validate import validate_document
from frenchnovel.pipeline.words import count_words

if TYPE_CHECKING:
    from frenchnovel.config import Settings

__all__ = ["merge_chunks", "open_source", "process_chunk", "process_document"]

Segmenter = Callable[[str], list[tuple[int, int]]]
Progress = Callable[[int, int], None]
StepReport = Callable[[str], None]


def open_source(
    path: Path,
    *,
    fix_hyphenation: bool = True,
    ocr: str = "off",
    ocr_cache: OcrCache | None = None,
) -> Source:
    """The document at ``path`` as pages of paragraph fragments (PDF, EPUB or .txt).

    ``ocr`` (``auto``, ``off``, ``force``) and ``ocr_cache``: see ``extract.PdfSource``.
    """
    kind = document_kind(path)
    if kind == "epub":
        from frenchnovel.pipeline.epub.source import EpubSource

        return EpubSource(path)
    if kind == "text":
        from frenchnovel.pipeline.textfile import TextSource

        return TextSource(path)
    mode: OcrMode = "force" if ocr == "force" else "auto" if ocr == "auto" else "off"
    return PdfSource(path, fix_hyphenation=fix_hyphenation, ocr=mode, ocr_cache=ocr_cache)


def process_chunk(
    path: Path,
    first_page: int,
    last_page: int,
    options: JobOptions,
    *,
    rewriter: Rewriter,
    cancelled: CancelCheck | None = None,
    source: Source | None = None,
    segmenter: Segmenter = segment,
    ocr_cache: OcrCache | None = None,
    step: StepReport | None = None,
) -> ChunkResult:
    """The sentences that start on pages ``first_page``..``last_page``, rewritten.

    Reads as much of the neighbouring pages as the paragraphs at both ends need, so the output
    is the same whatever the chunking. ``source`` lets a caller share one opened document (and its
    page cache) between chunks; ``segmenter`` defaults to the project's French segmenter.

    A sentence with more words than ``options.sentence_length_limit`` (an engine kept a clause
    whole, or dialogue was kept as it is) is marked ``over_limit`` and counted, whatever the engine.

    Pages to OCR (``options.ocr``) are read first, the chunk's own pages, ``step("ocr")`` told
    when the first one starts; ``ocr_cache`` shares them with the job's other chunks.
    """
    started = time.perf_counter()
    if cancelled is not None and cancelled():
        raise Cancelled("the job was cancelled")
    own = source is None
    doc = (
        open_source(
            path, fix_hyphenation=options.fix_hyphenation, ocr=options.ocr, ocr_cache=ocr_cache
        )
        if source is None
        else source
    )
    try:
        ocr_pages = read_own_pages(doc, first_page, last_page, cancelled=cancelled, step=step)
        found: list[tuple[str, int]] = []
        book = BookParts()
        for paragraph in paragraphs_around(
            doc, first_page, last_page, fix_hyphenation=options.fix_hyphenation
        ):
            if paragraph.kind != TEXT:
                if first_page <= paragraph.pages[0] <= last_page:
                    book.add(paragraph.kind, paragraph.text, paragraph.pages[0], at=len(found))
                continue
            for start, end in segmenter(paragraph.text):
                page = paragraph.page_at(start)
                if first_page <= page <= last_page:
                    found.append((paragraph.text[start:end], page))
        image_only = sum(doc.page(n).image_only for n in range(first_page, last_page + 1))
    finally:
        if own:
            doc.close()
    outcome = rewriter.rewrite([text for text, _ in found], options, cancelled=cancelled)
    limit = options.sentence_length_limit
    sentences: list[OutputSentence] = []
    rewritten = 0
    starts: list[int] = []  # the first output sentence of each source sentence
    for (text, page), pieces in zip(found, outcome.pieces, strict=True):
        starts.append(len(sentences))
        pieces = pieces or [text]
        changed = pieces != [text]
        rewritten += changed
        sentences.extend(
            OutputSentence(piece, text, page, changed, count_words(piece) > limit)
            for piece in pieces
        )
    return ChunkResult(
        first_page=first_page,
        last_page=last_page,
        sentences=sentences,
        image_only_pages=image_only,
        source_sentences=len(found),
        rewritten=rewritten,
        over_limit=sum(sentence.over_limit for sentence in sentences),
        fallbacks=outcome.fallbacks,
        tokens=outcome.tokens,
        seconds=round(time.perf_counter() - started, 3),
        headings=book.headings(starts, len(sentences)),
        front_matter=book.front,
        back_matter=book.back,
        ocr_pages=ocr_pages,
    )


def process_document(
    path: Path,
    options: JobOptions,
    *,
    settings: Settings,
    workers: int = 1,
    chunk_size: int | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    rewriter: Rewriter | None = None,
) -> Result:
    """Validate, plan, process every chunk and merge: the whole pipeline in this process.

    ``chunk_size`` overrides the configured chunking (then any longer document is chunked);
    ``workers > 1`` runs chunks in a pool of processes; ``progress(pages_done, total_pages)`` is
    called as chunks finish; ``rewriter`` replaces the engine ``options`` asks for (it must be
    picklable when ``workers > 1``).
    """
    started = time.perf_counter()
    info = validate_document(
        path, max_bytes=settings.max_file_size_bytes, max_pages=settings.max_pages, ocr=options.ocr
    )
    threshold = settings.chunking_threshold_pages if chunk_size is None else chunk_size
    size = settings.chunk_size_pages if chunk_size is None else chunk_size
    ranges = plan_chunks(info.page_count, threshold=threshold, chunk_size=size)
    engine = rewriter if rewriter is not None else get_rewriter(options, settings)
    report = progress or (lambda done, total: None)
    report(0, info.page_count)
    if workers <= 1 or len(ranges) == 1:
        chunks = _run_here(path, ranges, options, engine, report, info.page_count, cancelled)
    else:
        with tempfile.TemporaryDirectory(prefix="frenchnovel-ocr-") as ocr_dir:
            chunks = _run_in_pool(
                path,
                ranges,
                options,
                settings,
                rewriter,
                workers,
                report,
                info.page_count,
                cancelled,
                Path(ocr_dir),
            )
    result = merge_chunks(
        chunks, page_count=info.page_count, engine=engine.engine, model=engine.model
    )
    result.stats.seconds = round(time.perf_counter() - started, 3)
    return result


def _run_here(
    path: Path,
    ranges: list[tuple[int, int]],
    options: JobOptions,
    rewriter: Rewriter,
    report: Progress,
    total: int,
    cancelled: CancelCheck | None,
) -> list[ChunkResult]:
    source = open_source(path, fix_hyphenation=options.fix_hyphenation, ocr=options.ocr)
    chunks = []
    try:
        for first, last in ranges:
            chunk = process_chunk(
                path, first, last, options, rewriter=rewriter, cancelled=cancelled, source=source
            )
            chunks.append(chunk)
            report(last, total)
    finally:
        source.close()
    return chunks


def _run_in_pool(
    path: Path,
    ranges: list[tuple[int, int]],
    options: JobOptions,
    settings: Settings,
    rewriter: Rewriter | None,
    workers: int,
    report: Progress,
    total: int,
    cancelled: CancelCheck | None,
    ocr_dir: Path,
) -> list[ChunkResult]:
    # spawn, not fork: the parent may hold threads (progress bar) and PDFium state.
    context = multiprocessing.get_context("spawn")
    chunks: list[ChunkResult] = []
    done = 0
    with ProcessPoolExecutor(max_workers=min(workers, len(ranges)), mp_context=context) as pool:
        pending: set[Future[ChunkResult]] = {
            pool.submit(_chunk_in_worker, path, first, last, options, settings, rewriter, ocr_dir)
            for first, last in ranges
        }
        while pending:
            finished, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            if cancelled is not None and cancelled():
                pool.shutdown(wait=False, cancel_futures=True)
                raise Cancelled("the job was cancelled")
            for future in finished:
                chunk = future.result()
                chunks.append(chunk)
                done += chunk.last_page - chunk.first_page + 1
                report(done, total)
    return chunks


_worker_rewriters: dict[str, Rewriter] = {}


def _chunk_in_worker(
    path: Path,
    first: int,
    last: int,
    options: JobOptions,
    settings: Settings,
    rewriter: Rewriter | None,
    ocr_dir: Path | None = None,
) -> ChunkResult:
    """Runs in a pool process: one engine per process and options, loaded once."""
    if rewriter is None:
        key = options.fingerprint()
        if key not in _worker_rewriters:
            _worker_rewriters[key] = get_rewriter(options, settings)
        rewriter = _worker_rewriters[key]
    cache = OcrCache(ocr_dir) if ocr_dir is not None else None
    return process_chunk(path, first, last, options, rewriter=rewriter, ocr_cache=cache)
