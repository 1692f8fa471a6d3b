"""A 50-page scan through the service with two worker processes, against the OCR bound.

The bound is the sum of the pages' OCR times divided by the two processes: a perfect spread of
the OCR and nothing else. The OCR times are those of the run itself, as the workers recorded them
in the job's OCR cache (``STORAGE_DIR/<job>/ocr/page-*.json``), so that the CPU the machine's other
users take weighs on both sides alike; the same pages read one after the other here, before the
run, are printed beside them. Target: the service's wall time, upload to ``completed`` event,
within 1.2× of the bound. Also prints the chunks with their times, the steps the job's events
went through, the pages OCR'd and the credits.

    .venv/bin/python bench/ocr_service.py [--pages 50] [--novel maupassant] [--dpi 300]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pypdfium2 as pdfium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from frenchnovel.config import Settings
from frenchnovel.pipeline.ocr import ocr_page
from frenchnovel.storage.db import dispose_engines, upgrade_database
from tests.e2e.stack import (
    Stack,
    claim_redis_database,
    read_events,
    release_redis_database,
    snapshot_sources,
)
from tests.support.databases import PG_ADMIN, drop_database
from tests.support.render import render_novel
from tests.support.scans import scan_pdf

WORKERS = 2
SERVICE_ENV = {"MAX_WORKERS": str(WORKERS), "OMP_THREAD_LIMIT": "1"}


def ocr_seconds(scan: Path) -> list[float]:
    """Each page's OCR time, read one after the other in this process."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    pdf = pdfium.PdfDocument(str(scan))
    times = []
    try:
        for number in range(1, len(pdf) + 1):
            started = time.perf_counter()
            ocr_page(pdf, number)
            times.append(time.perf_counter() - started)
    finally:
        pdf.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--novel", default="maupassant")
    parser.add_argument("--dpi", type=int, default=300)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-ocr-service-"))
    printed = render_novel(args.novel, pages=args.pages, out=work / "printed.pdf")
    scan = scan_pdf(printed.path, work / "scan.pdf", dpi=args.dpi)
    print(f"{args.pages}-page scan at {args.dpi} dpi; OCR of each page here …", flush=True)
    per_page = ocr_seconds(scan)

    redis_url = claim_redis_database()
    name = f"frenchnovel_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    (work / "storage").mkdir()
    (work / "logs").mkdir()
    upgrade_database(Settings(database_url=database_url, storage_dir=work / "storage"))
    env = {**SERVICE_ENV, "PYTHONPATH": snapshot_sources(work)}
    stack = Stack("bench-ocr", database_url, redis_url, work / "storage", work / "logs", env)
    try:
        stack.start_api()
        stack.start_worker(**SERVICE_ENV)
        reader = stack.reader(credits=100_000)
        print(f"the scan through the service (API + {WORKERS} worker processes) …", flush=True)
        started = time.perf_counter()
        answer = stack.submit(reader, scan)
        if answer.status_code != 202:
            raise SystemExit(f"expected 202, got {answer.status_code}: {answer.text[:300]}")
        job_id = answer.json()["job_id"]
        url = f"{stack.api_url}/api/v1/jobs/{job_id}/events?token={reader.token}"
        received = read_events(url, timeout=1800)
        wall = time.perf_counter() - started
        if received[-1][0] != "completed":
            raise SystemExit(f"the job ended {received[-1][0]}: {received[-1][1]}")
        steps = list(dict.fromkeys(str(data.get("current_step")) for _, data in received))
        job = stack.job(reader, job_id)
        chunks = [
            (c.first_page, c.last_page, (c.finished_at - c.started_at).total_seconds())
            for c in stack.chunks(job_id)
            if c.finished_at is not None and c.started_at is not None
        ]
        result = stack.sentences(reader, job_id)
        in_run = [
            float(json.loads(path.read_text(encoding="utf-8"))["seconds"])
            for path in sorted((work / "storage" / job_id / "ocr").glob("page-*.json"))
        ]
    finally:
        stack.stop()
        release_redis_database(redis_url)
        dispose_engines()
        drop_database(name)
        shutil.rmtree(work, ignore_errors=True)

    bound = sum(in_run) / WORKERS
    ratio = wall / bound
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nOCR service benchmark, {os.cpu_count()} CPUs (load average {load})")
    print(f"OCR per page, one after the other here: {sum(per_page) / len(per_page):.2f} s")
    print(f"OCR per page in the run: {sum(in_run) / len(in_run):.2f} s ({len(in_run)} pages)")
    print(f"bound (sum of the run's OCR times {sum(in_run):.1f} s) / {WORKERS}: {bound:.1f} s")
    print(f"service wall, upload to completed: {wall:.1f} s")
    verdict = "yes" if ratio <= 1.2 else "NO"
    print(f"OCR service ratio wall / bound: {ratio:.2f} (target ≤ 1.20: {verdict})")
    print(f"chunks (first, last, seconds): {chunks}; steps seen: {steps}")
    print(
        f"sentences {len(result)} from {job.get('page_count')} pages; "
        f"credits estimated {job['estimated_credits']}, charged {job['actual_credits']} "
        f"({job['actual_tokens']} tokens)"
    )


if __name__ == "__main__":
    main()
