"""Merging chunk results into the result of the whole document.

Each chunk already holds exactly the sentences that start on its pages, so merging is ordering
by page, adding up the counters and numbering the chapters (``chapters``); a gap or an overlap
between chunks is a bug and is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.pipeline.chapters import number_chapters
from frenchnovel.pipeline.result import ChunkResult, Result, Stats


def merge_chunks(
    chunks: Sequence[ChunkResult], *, page_count: int, engine: str, model: str
) -> Result:
    """The document's result from its chunks (in any order), which must tile ``1..page_count``.

    ``stats.seconds`` is the sum of the chunks' times; a caller that knows the wall time
    (``process_document``) overwrites it.
    """
    ordered = sorted(chunks, key=lambda chunk: chunk.first_page)
    expected = 1
    for chunk in ordered:
        if chunk.first_page != expected or chunk.last_page < chunk.first_page:
            raise FrenchNovelError(
                f"chunk pages {chunk.first_page}-{chunk.last_page} "
                f"do not follow page {expected - 1}",
                code=ErrorCode.CHUNK_PROCESSING_ERROR,
            )
        expected = chunk.last_page + 1
    if ordered and expected != page_count + 1:
        raise FrenchNovelError(
            f"the chunks cover pages 1-{expected - 1} of {page_count}",
            code=ErrorCode.CHUNK_PROCESSING_ERROR,
        )
    sentences, chapters = number_chapters(ordered)
    stats = Stats(
        image_only_pages=sum(c.image_only_pages for c in ordered),
        source_sentences=sum(c.source_sentences for c in ordered),
        sentences=len(sentences),
        rewritten=sum(c.rewritten for c in ordered),
        over_limit=sum(c.over_limit for c in ordered),
        fallbacks=sum(c.fallbacks for c in ordered),
        tokens=sum(c.tokens for c in ordered),
        ocr_pages=sum(c.ocr_pages for c in ordered),
        engine=engine,
        model=model,
        seconds=round(sum(c.seconds for c in ordered), 3),
    )
    front = "\n\n".join(text for chunk in ordered for text in chunk.front_matter)
    back = "\n\n".join(text for chunk in ordered for text in chunk.back_matter)
    return Result(sentences, page_count, stats, chapters, front, back)
