"""Fairness on the real service: a reader's 20-page job finishes while another reader's 600-page
book is running on the same workers (PostgreSQL, Redis, one ``frenchnovel worker`` of two
processes). The cap is 4 chunks in flight per user, twice the processes: the book always has
chunks waiting in the broker, so the small job gets through by its queue being served first,
not merely by finding a worker idle."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from frenchnovel.storage.db import dispose_engines
from frenchnovel.worker.celery_app import QUEUE, SMALL_QUEUE, create_celery_app
from tests.e2e.conftest import PG_ADMIN, _stack
from tests.e2e.stack import Stack
from tests.integration.pdfs import french_paragraphs, render_pdf

FAIR = {
    "CHUNKING_THRESHOLD_PAGES": "10",
    "CHUNK_SIZE_PAGES": "10",
    "MAX_CHUNKS_IN_FLIGHT_PER_USER": "4",
}


@pytest.fixture(scope="module")
def fair_stack(
    tmp_path_factory: pytest.TempPathFactory, broker: str, pythonpath: str
) -> Iterator[Stack]:
    """An API on a PostgreSQL database of its own, chunks of 10 pages, no worker yet."""
    name = f"frenchnovel_fair_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    root = tmp_path_factory.mktemp("e2e-fair")
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        stack = _stack("fair", url, root, broker, pythonpath, **FAIR)
        yield stack
        stack.stop_workers()
        stack.stop()
    finally:
        dispose_engines()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def books(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 600-page book and a 20-page one, a short paragraph on each page."""
    folder = tmp_path_factory.mktemp("fair-books")
    paragraphs = french_paragraphs(corpus, count=620)
    return {
        "big": render_pdf(paragraphs[:600], folder / "big-600.pdf", pages=600),
        "small": render_pdf(paragraphs[600:], folder / "small-20.pdf", pages=20),
    }


def test_a_20_page_job_finishes_while_another_readers_600_page_book_is_running(
    fair_stack: Stack, books: dict[str, Path]
) -> None:
    bookworm, student = fair_stack.reader(), fair_stack.reader()
    worker = fair_stack.start_worker()
    queues = create_celery_app(fair_stack.settings).control.inspect(timeout=5).active_queues()
    mine = next(names for host, names in (queues or {}).items() if f"worker{worker.pid}@" in host)
    assert [queue["name"] for queue in mine] == [SMALL_QUEUE, QUEUE]
    big = fair_stack.submit(bookworm, books["big"])
    assert big.status_code == 202, big.text
    big_id = big.json()["job_id"]
    fair_stack.wait_status(bookworm, big_id, {"processing"}, timeout=60)
    assert fair_stack.job(bookworm, big_id)["total_chunks"] == 60

    small = fair_stack.submit(student, books["small"])
    assert small.status_code == 202, small.text
    small_id = small.json()["job_id"]
    done = fair_stack.wait_status(student, small_id, {"completed", "failed"}, timeout=180)

    assert done["status"] == "completed", done
    book = fair_stack.job(bookworm, big_id)
    assert book["status"] == "processing", book
    assert book["completed_chunks"] < book["total_chunks"] // 2, book
    cancel = httpx.post(
        f"{fair_stack.api_url}/api/v1/jobs/{big_id}/cancel", headers=bookworm.headers, timeout=30
    )
    assert cancel.status_code == 200, cancel.text
