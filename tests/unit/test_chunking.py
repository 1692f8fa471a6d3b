"""Chunking: any page ranges give exactly the sentences of the whole book, each once."""

from __future__ import annotations

import itertools
from functools import lru_cache
from pathlib import Path

import pytest

from frenchnovel.config import Settings
from frenchnovel.errors import FrenchNovelError
from frenchnovel.pipeline.document import Segmenter, open_source, process_chunk, process_document
from frenchnovel.pipeline.extract import Source
from frenchnovel.pipeline.merge import merge_chunks
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.plan import estimate_characters, plan_chunks
from frenchnovel.pipeline.result import ChunkResult, OutputSentence, Result
from frenchnovel.pipeline.segment import segment
from tests.support.identity import IdentityRewriter
from tests.support.render import RenderedNovel

OPTIONS = JobOptions()


def ranges(page_count: int, size: int) -> list[tuple[int, int]]:
    """Every chunk of ``size`` pages, without plan_chunks' bound on their number."""
    return plan_chunks(page_count, threshold=0, chunk_size=size, max_chunks=page_count)


def chunked(
    path: Path, size: int, *, source: Source | None = None, segmenter: Segmenter = segment
) -> Result:
    """The document processed in chunks of ``size`` pages and merged."""
    doc = source or open_source(path)
    chunks = [
        process_chunk(
            path, a, b, OPTIONS, rewriter=IdentityRewriter(), source=doc, segmenter=segmenter
        )
        for a, b in ranges(doc.page_count, size)
    ]
    return merge_chunks(chunks, page_count=doc.page_count, engine="identity", model="identity")


@pytest.fixture(scope="module")
def whole(rendered_novel: RenderedNovel) -> Result:
    return chunked(rendered_novel.path, 120)


def test_every_chunk_size_from_1_to_60_gives_the_unchunked_sentences(
    rendered_novel: RenderedNovel, whole: Result
) -> None:
    # One opened document and a memoised segmenter keep 60 passes fast; the chunk assembly
    # under test is the same, and the next test opens the document afresh for every chunk.
    source = open_source(rendered_novel.path)
    cached_segment = lru_cache(maxsize=None)(segment)
    assert len(whole.sentences) > 2000
    for size in range(1, 61):
        result = chunked(rendered_novel.path, size, source=source, segmenter=cached_segment)
        assert result.sentences == whole.sentences, f"chunks of {size} pages"


@pytest.mark.parametrize("size", [1, 7, 50])
def test_chunks_read_from_a_fresh_document_agree_with_the_whole(
    rendered_novel: RenderedNovel, whole: Result, size: int
) -> None:
    chunks = [
        process_chunk(rendered_novel.path, a, b, OPTIONS, rewriter=IdentityRewriter())
        for a, b in ranges(120, size)
    ]
    merged = merge_chunks(chunks, page_count=120, engine="identity", model="identity")
    assert merged.sentences == whole.sentences


def test_candide_chunked_page_by_page_equals_candide_whole(corpus: Path) -> None:
    path = corpus / "pdf" / "voltaire_candide_ligaran2015.pdf"
    by_page, at_once = chunked(path, 1), chunked(path, 90)
    assert by_page.sentences == at_once.sentences
    assert by_page.stats.image_only_pages == at_once.stats.image_only_pages == 5


def test_a_sentence_across_a_chunk_boundary_is_emitted_once_by_the_chunk_it_starts_in(
    rendered_novel: RenderedNovel, whole: Result
) -> None:
    source = open_source(rendered_novel.path)
    first, second = (
        process_chunk(
            rendered_novel.path, a, b, OPTIONS, rewriter=IdentityRewriter(), source=source
        )
        for a, b in [(1, 10), (11, 20)]
    )
    assert all(s.page <= 10 for s in first.sentences)
    assert all(11 <= s.page <= 20 for s in second.sentences)
    crossing = first.sentences[-1]  # its chapter is numbered at the merge
    assert crossing.text in [s.text for s in whole.sentences]  # whole, though it ends on p. 11
    assert crossing.text not in [s.text for s in second.sentences]


def test_a_process_pool_gives_what_one_process_gives(
    rendered_novel: RenderedNovel, whole: Result
) -> None:
    seen: list[tuple[int, int]] = []
    result = process_document(
        rendered_novel.path,
        OPTIONS,
        settings=Settings(),
        workers=2,
        chunk_size=30,
        rewriter=IdentityRewriter(),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert result.sentences == whole.sentences
    assert seen[0] == (0, 120) and seen[-1] == (120, 120)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_one_chunk_when_the_book_is_under_the_threshold() -> None:
    assert plan_chunks(50, threshold=50, chunk_size=10) == [(1, 50)]


def test_chunks_tile_the_book_in_order() -> None:
    assert plan_chunks(120, threshold=50, chunk_size=50) == [(1, 50), (51, 100), (101, 120)]


def test_a_huge_book_does_not_become_thousands_of_chunks() -> None:
    plan = plan_chunks(2000, threshold=50, chunk_size=1)
    assert len(plan) <= 100
    assert plan[0][0] == 1 and plan[-1][1] == 2000
    assert all(b + 1 == c for (_, b), (c, _) in itertools.pairwise(plan))


def test_merge_refuses_a_missing_chunk() -> None:
    chunks = [ChunkResult(1, 10), ChunkResult(21, 30)]
    with pytest.raises(FrenchNovelError):
        merge_chunks(chunks, page_count=30, engine="local", model="local")


def test_merge_orders_chunks_and_adds_up_their_counters() -> None:
    a = ChunkResult(1, 5, [OutputSentence("Un.", "Un.", 1, False)], image_only_pages=1, tokens=7)
    b = ChunkResult(
        6, 9, [OutputSentence("Deux.", "Deux.", 6, False)], source_sentences=1, tokens=3
    )
    result = merge_chunks([b, a], page_count=9, engine="local", model="local")
    assert [s.text for s in result.sentences] == ["Un.", "Deux."]
    assert result.stats.tokens == 10 and result.stats.image_only_pages == 1
    assert result.stats.sentences == 2


def test_the_character_estimate_is_close_to_the_text(corpus: Path) -> None:
    path = corpus / "pdf" / "voltaire_candide_ligaran2015.pdf"
    estimate = estimate_characters(path, 90)
    assert 0.8 < estimate / 189_762 < 1.2  # PDFium counts 189,762 characters on all 90 pages
