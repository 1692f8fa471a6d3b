"""Fairness benchmark: a 20-page job's wall time behind another reader's 600-page book, against
its time on idle workers (target: under 2×).

Renders both books (a short paragraph per page), starts the real API and one worker with 2 pool
processes (own PostgreSQL database, own Redis database; chunks of 10 pages, so 2 and 60 chunks),
and for each configuration: the 20-page job alone (median of 3), then the book, and once the
book's chunks run, the 20-page job again (median of 3, one after the other, the book running).
Configurations: the default cap on chunks in flight per user, a cap of 4 (the book always has
chunks waiting in the broker), and, for comparison, no fairness at all (no cap, one queue: the
small job waits behind the whole book).

    .venv/bin/python bench/fairness.py [--no-baseline]
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from frenchnovel.config import Settings
from frenchnovel.storage.db import dispose_engines, upgrade_database
from tests.conftest import CORPUS
from tests.e2e.stack import (
    Reader,
    Stack,
    claim_redis_database,
    release_redis_database,
    snapshot_sources,
    wait_for,
)
from tests.integration.pdfs import french_paragraphs, render_pdf
from tests.support.databases import PG_ADMIN, drop_database

BASE_ENV = {"CHUNKING_THRESHOLD_PAGES": "10", "CHUNK_SIZE_PAGES": "10", "MAX_WORKERS": "2"}
CONFIGS = {
    "default cap (2)": {},
    "cap 4": {"MAX_CHUNKS_IN_FLIGHT_PER_USER": "4"},
    "no fairness": {"MAX_CHUNKS_IN_FLIGHT_PER_USER": "10000", "SMALL_JOB_MAX_PAGES": "0"},
}


def finish(stack: Stack, reader: Reader, pdf: Path, timeout: float = 600) -> float:
    """Seconds from the upload to the completed job."""
    start = time.perf_counter()
    answer = stack.submit(reader, pdf)
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]

    def done() -> bool:
        status = stack.job(reader, job_id)["status"]
        assert status in ("processing", "pending", "completed"), status
        return status == "completed"

    wait_for(done, timeout=timeout, what="the 20-page job", every=0.1)
    return time.perf_counter() - start


def run(
    config: dict[str, str], books: dict[str, Path], work: Path, code: str, trials: int
) -> dict[str, float]:
    redis_url = claim_redis_database()
    name = f"frenchnovel_bench_fair_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    root = Path(tempfile.mkdtemp(dir=work))
    (root / "storage").mkdir()
    (root / "logs").mkdir()
    upgrade_database(Settings(database_url=database_url, storage_dir=root / "storage"))
    env = {**BASE_ENV, **config, "PYTHONPATH": code}
    stack = Stack("bench-fair", database_url, redis_url, root / "storage", root / "logs", env)
    try:
        stack.start_api()
        stack.start_worker()
        student, bookworm = stack.reader(credits=1_000_000), stack.reader(credits=1_000_000)
        finish(stack, student, books["warm"])  # the first job of a worker loads its models
        idle = statistics.median(finish(stack, student, books[f"small{i}"]) for i in range(3))
        big = stack.submit(bookworm, books["big"])
        assert big.status_code == 202, big.text
        big_id = big.json()["job_id"]
        wait_for(
            lambda: stack.job(bookworm, big_id)["completed_chunks"] >= 2,
            timeout=120,
            what="the book's first chunks",
        )
        behinds = [finish(stack, student, books[f"small{3 + i}"]) for i in range(trials)]
        book = stack.job(bookworm, big_id)
        httpx.post(f"{stack.api_url}/api/v1/jobs/{big_id}/cancel", headers=bookworm.headers)
        return {
            "idle": idle,
            "behind": statistics.median(behinds),
            "worst": max(behinds),
            "book_done": book["completed_chunks"] / book["total_chunks"],
            "book_running": float(book["status"] == "processing"),
        }
    finally:
        stack.stop()
        release_redis_database(redis_url)
        dispose_engines()
        drop_database(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-baseline", action="store_true", help="skip the run without fairness")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-fairness-"))
    try:
        paragraphs = french_paragraphs(CORPUS, count=740)
        books = {"big": render_pdf(paragraphs[:600], work / "big.pdf", pages=600)}
        for i, key in enumerate(["warm", *(f"small{n}" for n in range(6))]):
            part = paragraphs[600 + 20 * i : 620 + 20 * i]
            books[key] = render_pdf(part, work / f"{key}.pdf", pages=20)
        code = snapshot_sources(work)
        rows = {}
        for label, config in CONFIGS.items():
            if args.no_baseline and label == "no fairness":
                continue
            print(f"{label} …", flush=True)
            # Without fairness the first small job waits for the whole book: one trial.
            rows[label] = run(config, books, work, code, trials=1 if label == "no fairness" else 3)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print("20-page job (2 chunks) behind a 600-page book (60 chunks), 1 worker x 2 processes")
    print(
        f"{'configuration':<18} {'idle s':>7} {'behind s':>9} {'worst s':>8} {'ratio':>6} "
        f"{'book done':>10}"
    )
    print("(medians of 3, worst of 3 behind; 'book done': the book's share of chunks done then)")
    for label, row in rows.items():
        ratio = row["behind"] / row["idle"]
        mark = "ok" if ratio < 2 else "over"
        print(
            f"{label:<18} {row['idle']:>7.2f} {row['behind']:>9.2f} {row['worst']:>8.2f} "
            f"{ratio:>5.2f}x {row['book_done']:>9.0%}  "
            f"{mark if label != 'no fairness' else '(comparison, one trial)'}"
        )
    print("target: behind < 2 x idle")


if __name__ == "__main__":
    main()
