"""Latency of ``/health`` and of a poll while uploads and estimates wait (issue 12, finding 1).

Starts a real ``frenchnovel serve`` (SQLite in a temporary folder, a claimed database of the
shared Redis, small files answered at once, the default per-user limits), then sends at once
``--accounts`` × ``--uploads`` uploads of a ``--pages``-page novel and ``--estimates`` estimates,
from one account, of a ``--digits``-page PDF whose pages share one content stream of digits (a
long check that ends in a 4xx). Meanwhile it times ``/health`` and ``GET /api/v1/me/credits``
every 200 ms. Prints the probes' median, p99 and maximum and how every request ended.

    .venv/bin/python bench/load.py [--accounts 15 --uploads 3 --pages 50 --estimates 50]
        [--digits 2000] [--sources DIR]

``--sources`` runs the API from another checkout's ``src`` (e.g. the code before the fix, from
``git archive``), to measure before and after side by side.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.e2e.stack import REPO, Stack
from tests.support.hostile import digits_pdf
from tests.support.load import Probe, post_pdf
from tests.support.redis_databases import claim_redis_database, release_redis_database
from tests.support.render import render_novel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=15)
    parser.add_argument("--uploads", type=int, default=3, help="concurrent uploads per account")
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--estimates", type=int, default=50)
    parser.add_argument("--digits", type=int, default=2000, help="pages of the estimated PDF")
    parser.add_argument("--sources", type=Path, help="a checkout whose src/ the API runs")
    args = parser.parse_args()
    redis_url = claim_redis_database()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        root = Path(folder)
        (root / "storage").mkdir()
        (root / "logs").mkdir()
        novel = render_novel("verne", pages=args.pages, out=root / "novel.pdf").path
        digits = digits_pdf(root / "digits.pdf", pages=args.digits)
        pythonpath = f"{args.sources / 'src'}:{REPO}" if args.sources else str(REPO)
        stack = Stack(
            "bench-load",
            f"sqlite:///{root / 'storage' / 'bench.db'}",
            redis_url,
            root / "storage",
            root / "logs",
            pythonpath=pythonpath,
            api_env={
                "ASYNC_PROCESSING_ENABLED": "false",
                "RATE_LIMIT_SUBMISSIONS": "10",
                "MAX_CONCURRENT_JOBS_PER_USER": "3",
                "CHUNKING_THRESHOLD_PAGES": str(max(50, args.pages)),
            },
        )
        try:
            stack.start_api()
            report = run(stack, args, novel, digits)
        finally:
            stack.stop()
            release_redis_database(redis_url)
    print(report)
    return 0


def run(stack: Stack, args: argparse.Namespace, novel: Path, digits: Path) -> str:
    uploaders = [stack.reader() for _ in range(args.accounts)]
    estimator, watcher = stack.reader(), stack.reader()
    probe = Probe(stack.api_url, watcher)
    prober = threading.Thread(target=probe.run, daemon=True)
    prober.start()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.accounts * args.uploads + args.estimates) as pool:
        uploads = [
            pool.submit(post_pdf, stack.api_url, reader, novel, "/api/v1/process-pdf",
                        sentence_length_limit=str(8 + i))
            for reader in uploaders
            for i in range(args.uploads)
        ]  # fmt: skip
        estimates = [
            pool.submit(post_pdf, stack.api_url, estimator, digits, "/api/v1/estimate")
            for _ in range(args.estimates)
        ]
        upload_ends = Counter(f"{s} {c}".strip() for s, c in (f.result() for f in uploads))
        estimate_ends = Counter(f"{s} {c}".strip() for s, c in (f.result() for f in estimates))
    probe.stop.set()
    prober.join()
    elapsed = time.monotonic() - started
    seconds = sorted(probe.seconds)
    p99 = seconds[min(len(seconds) - 1, int(0.99 * len(seconds)))]
    late = sum(1 for s in seconds if s > 1.0)
    return "\n".join(
        [
            "",
            f"{args.accounts} × {args.uploads} uploads of {args.pages} pages and "
            f"{args.estimates} estimates of {args.digits} pages of digits: {elapsed:.0f} s",
            "",
            "| probes (/health and a poll) | median ms | p99 ms | max ms | over 1 s | failed |",
            "|---|---|---|---|---|---|",
            f"| {len(seconds)} | {statistics.median(seconds) * 1000:.0f} | {p99 * 1000:.0f} | "
            f"{seconds[-1] * 1000:.0f} | {late} | {len(probe.failures)} |",
            "",
            f"uploads ended: {dict(upload_ends)}",
            f"estimates ended: {dict(estimate_ends)}",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
