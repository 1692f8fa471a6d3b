"""Fairness on the real service (PostgreSQL, Redis, real ``frenchnovel worker`` processes).

A reader's 20-page job finishes while another reader's 600-page book is running on the same
worker of two processes. The cap is 4 chunks in flight per user there, twice the processes: the
book always has chunks waiting in the broker, so the small job gets through by its queue being
served first, not merely by finding a worker idle. And chunks held back by the cap are still
sent, each once, when the worker that should have sent them died: beat's sweep sends them."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest

from frenchnovel.storage.db import dispose_engines
from frenchnovel.worker.celery_app import QUEUE, SMALL_QUEUE, create_celery_app
from tests.e2e.conftest import PG_ADMIN, _stack
from tests.e2e.stack import Stack, wait_for
from tests.integration.pdfs import french_paragraphs, render_pdf
from tests.support.databases import drop_database

FAIR = {
    "CHUNKING_THRESHOLD_PAGES": "10",
    "CHUNK_SIZE_PAGES": "10",
    "MAX_CHUNKS_IN_FLIGHT_PER_USER": "4",
}


@contextmanager
def _postgres_stack(
    label: str, tmp_path_factory: pytest.TempPathFactory, broker: str, pythonpath: str, **env: str
) -> Iterator[Stack]:
    """An API on a PostgreSQL database of its own, no worker yet; on the session's broker, so
    the workers a test starts are stopped after it (they would take the next test's chunks)."""
    name = f"frenchnovel_{label}_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    root = tmp_path_factory.mktemp(f"e2e-{label}")
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        stack = _stack(label, url, root, broker, pythonpath, **env)
        yield stack
        stack.stop_workers()
        stack.stop()
    finally:
        dispose_engines()
        drop_database(name)


@pytest.fixture
def fair_stack(
    tmp_path_factory: pytest.TempPathFactory, broker: str, pythonpath: str
) -> Iterator[Stack]:
    """Chunks of 10 pages, 4 chunks in flight per user."""
    with _postgres_stack("fair", tmp_path_factory, broker, pythonpath, **FAIR) as stack:
        yield stack


@pytest.fixture
def capped_stack(
    tmp_path_factory: pytest.TempPathFactory, broker: str, pythonpath: str
) -> Iterator[Stack]:
    """Chunks of 10 pages, one chunk in flight per user: a crash after a chunk leaves none."""
    env = {**FAIR, "MAX_CHUNKS_IN_FLIGHT_PER_USER": "1"}
    with _postgres_stack("capped", tmp_path_factory, broker, pythonpath, **env) as stack:
        yield stack


@pytest.fixture(scope="module")
def books(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 600-page book, a 20-page one and a 30-page one, a short paragraph on each page."""
    folder = tmp_path_factory.mktemp("fair-books")
    paragraphs = french_paragraphs(corpus, count=650)
    return {
        "big": render_pdf(paragraphs[:600], folder / "big-600.pdf", pages=600),
        "small": render_pdf(paragraphs[600:620], folder / "small-20.pdf", pages=20),
        "thirty": render_pdf(paragraphs[620:650], folder / "thirty-30.pdf", pages=30),
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


def test_chunks_held_by_the_cap_are_sent_once_by_beat_after_a_worker_died_between_two_chunks(
    capped_stack: Stack, books: dict[str, Path]
) -> None:
    reader = capped_stack.reader()
    crashing = capped_stack.start_worker(FRENCHNOVEL_FAULTS="crash-after-store:0", MAX_WORKERS="1")
    answer = capped_stack.submit(reader, books["thirty"])
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]

    wait_for(lambda: crashing.popen.poll() is not None, timeout=90, what="the worker's crash")
    chunks = capped_stack.chunks(job_id)
    assert [(c.status, c.task_id is None) for c in chunks] == [
        ("completed", False),
        ("pending", True),
        ("pending", True),
    ]
    capped_stack.start_beat()  # its first sweep comes while the new worker starts
    capped_stack.start_worker()

    job = capped_stack.wait_status(reader, job_id, {"completed", "failed"}, timeout=120)
    assert job["status"] == "completed", job
    assert [chunk.attempts for chunk in capped_stack.chunks(job_id)] == [1, 1, 1]
    # A paragraph on each page: every page gives sentences, once each.
    sentences = capped_stack.sentences(reader, job_id)
    assert sorted({sentence["page"] for sentence in sentences}) == list(range(1, 31))
    assert [sentence["index"] for sentence in sentences] == list(range(len(sentences)))
    kinds = [kind for kind, _ in capped_stack.ledger(job_id)]
    assert kinds in (["reservation"], ["reservation", "adjustment"])
