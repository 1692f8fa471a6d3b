"""An EPUB of many sections through the real service: chunks of sections on a Celery worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.stack import Stack
from tests.support.epubs import book_from_text, build_with_ebooklib


@pytest.fixture(scope="module")
def epub_of_sections(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """Verne's 38 chapters (2 parts), two paragraphs each: 40 sections, so more than the
    stack's threshold of 20, in chunks of 10 sections."""
    book = book_from_text(
        next((corpus / "text").glob("verne*.txt")), title="Un capitaine", author="Verne"
    )
    for chapter in book.chapters:
        chapter.paragraphs = chapter.paragraphs[:2]
    return build_with_ebooklib(book, tmp_path_factory.mktemp("epub") / "capitaine.epub")


def test_an_epub_of_forty_sections_runs_in_chunks_and_gives_what_the_cli_gives(
    sqlite_stack: Stack, epub_of_sections: Path, reference: Any
) -> None:
    owner = sqlite_stack.reader()
    sqlite_stack.start_worker()

    answer = sqlite_stack.submit(owner, epub_of_sections)

    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]
    job = sqlite_stack.wait_status(owner, job_id, {"completed", "failed"}, timeout=300)
    assert job["status"] == "completed", job
    assert job["total_chunks"] >= 3
    assert sqlite_stack.sentences(owner, job_id) == reference(epub_of_sections)
    result = httpx.get(
        f"{sqlite_stack.api_url}/api/v1/jobs/{job_id}/result", headers=owner.headers, timeout=60
    ).json()
    assert len(result["chapters"]) == 38
    assert [c["index"] for c in result["chapters"]] == list(range(1, 39))
    assert {c["part"] for c in result["chapters"]} == {"Première partie", "Deuxième partie"}
