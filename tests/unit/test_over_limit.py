"""Sentences over the word limit: marked one by one, counted per chunk and per book, and stored."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from frenchnovel.pipeline.document import process_chunk
from frenchnovel.pipeline.merge import merge_chunks
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.result import ChunkResult, OutputSentence, Result, Stats
from frenchnovel.pipeline.rewrite import CancelCheck, RewriteOutcome

SHORT = "Candide était jeune."
LONG = (
    "Candide, qui tremblait comme un philosophe, se cacha du mieux qu’il put "
    "pendant cette boucherie héroïque."
)
KEPT_WHOLE = "Candide se cacha du mieux qu’il put pendant cette boucherie héroïque."
DIALOGUE = "« Tout est au mieux dans le meilleur des mondes possibles », disait Pangloss."


class ClauseKeeper:
    """An engine that cuts LONG in two and keeps the second clause whole, over the limit."""

    engine = "clause-keeper"
    model = "clause-keeper"

    def rewrite(
        self,
        sentences: Sequence[str],
        options: JobOptions,
        *,
        cancelled: CancelCheck | None = None,
    ) -> RewriteOutcome:
        pieces = {LONG: ["Candide tremblait comme un philosophe.", KEPT_WHOLE]}
        return RewriteOutcome([pieces.get(s, [s]) for s in sentences])


def book(tmp_path: Path) -> Path:
    path = tmp_path / "candide.txt"
    path.write_text(f"{SHORT}\n\n{LONG}\n\n{DIALOGUE}\n", encoding="utf-8")
    return path


def test_a_clause_kept_whole_and_a_long_dialogue_are_over_the_limit(tmp_path: Path) -> None:
    chunk = process_chunk(book(tmp_path), 1, 1, JobOptions(), rewriter=ClauseKeeper())

    marks = [(s.text, s.rewritten, s.over_limit) for s in chunk.sentences]
    assert marks == [
        (SHORT, False, False),
        ("Candide tremblait comme un philosophe.", True, False),
        (KEPT_WHOLE, True, True),
        (DIALOGUE, False, True),
    ]
    assert chunk.over_limit == 2


def test_the_limit_is_the_jobs_own(tmp_path: Path) -> None:
    options = JobOptions(sentence_length_limit=11)  # KEPT_WHOLE has 11 words
    chunk = process_chunk(book(tmp_path), 1, 1, options, rewriter=ClauseKeeper())

    assert [s.text for s in chunk.sentences if s.over_limit] == [DIALOGUE]
    assert chunk.over_limit == 1


def test_the_book_counts_the_sentences_over_the_limit_of_all_its_chunks() -> None:
    over = OutputSentence(KEPT_WHOLE, LONG, 1, True, over_limit=True)
    chunks = [
        ChunkResult(1, 1, [over], over_limit=1),
        ChunkResult(2, 2, [over, over], over_limit=2),
    ]
    result = merge_chunks(chunks, page_count=2, engine="local", model="local")
    assert result.stats.over_limit == 3


def test_a_result_keeps_its_marks_through_its_json() -> None:
    sentences = [
        OutputSentence(SHORT, SHORT, 1, False),
        OutputSentence(KEPT_WHOLE, LONG, 1, True, over_limit=True),
    ]
    result = Result(sentences, 1, Stats(sentences=2, rewritten=1, over_limit=1))

    data = result.to_dict()
    assert [s["over_limit"] for s in data["sentences"]] == [False, True]
    assert data["stats"]["over_limit"] == 1
    assert Result.from_dict(data) == result


def test_a_result_stored_before_over_limit_reads_as_none_over() -> None:
    data = {
        "sentences": [
            {"index": 0, "text": SHORT, "original": SHORT, "page": 1, "rewritten": False}
        ],
        "page_count": 1,
        "stats": {"sentences": 1, "engine": "local", "model": "local"},
    }
    result = Result.from_dict(data)
    assert result.sentences[0].over_limit is False
    assert result.stats.over_limit == 0


def test_a_chunk_stored_before_over_limit_reads_as_none_over() -> None:
    sentence = {"text": SHORT, "original": SHORT, "page": 1, "rewritten": False}
    chunk = ChunkResult.from_dict({"first_page": 1, "last_page": 1, "sentences": [sentence]})
    assert chunk.sentences == [OutputSentence(SHORT, SHORT, 1, False)]
    assert chunk.over_limit == 0

    again = ChunkResult(1, 1, [OutputSentence(KEPT_WHOLE, LONG, 1, True, True)], over_limit=1)
    assert ChunkResult.from_dict(again.to_dict()) == again
