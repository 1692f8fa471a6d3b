"""A long plain-text novel through the real service: stored as text, chunked, processed by a
real worker, and given back exactly as ``frenchnovel process`` gives it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from frenchnovel.pipeline.textfile import PAGE_CHARS
from tests.e2e.conftest import SMALL_CHUNKS
from tests.e2e.stack import Stack

PAGES = int(SMALL_CHUNKS["CHUNKING_THRESHOLD_PAGES"]) + 5  # over the threshold: asynchronous


def test_a_long_text_novel_is_chunked_for_the_workers_and_matches_the_cli(
    sqlite_stack: Stack, corpus: Path, reference: Any, tmp_path: Path
) -> None:
    book = (corpus / "text" / "verne_un-capitaine-de-quinze-ans_eltec-FRA04001.txt").read_text(
        encoding="utf-8"
    )
    novel = tmp_path / "capitaine.txt"
    novel.write_text(book[: PAGES * PAGE_CHARS], encoding="utf-8")
    owner = sqlite_stack.reader()
    sqlite_stack.start_worker()

    answer = sqlite_stack.submit(owner, novel)

    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]
    job = sqlite_stack.wait_status(owner, job_id, {"completed", "failed"}, timeout=600)
    assert job["status"] == "completed", job
    assert job["total_chunks"] > 1
    assert (sqlite_stack.storage_dir / job_id / "source.txt").exists()
    assert sqlite_stack.sentences(owner, job_id) == reference(novel)
