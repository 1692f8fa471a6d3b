"""Service benchmark: a large novel through the API and Celery workers vs in-process, the 202 of a
50 MB upload and the API's memory while it streams in, and the latency of polling a job under 200
requests/s; on both storage backends side by side. All on 127.0.0.1.

Renders a ~600-page novel, starts moto's S3 server (a process of its own), then for each backend
(the local ``STORAGE_DIR``; ``STORAGE_URL`` on a bucket of that server) the real API and one worker
with 2 pool processes (own PostgreSQL database, own Redis database), and prints one table with the
targets: the S3 service within 1.15× of the local one's wall time, and the API's peak RSS growth
while 50 MB uploads stream in under 50 MB.

    .venv/bin/python bench/service.py [--pages 600] [--rate 200] [--seconds 10] [--uploads 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg
import pypdfium2 as pdfium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service_load import cpu_seconds, peak_rss, percentile, poll_load

from frenchnovel.config import Settings
from frenchnovel.storage.db import dispose_engines, upgrade_database
from tests.e2e.stack import (
    REPO,
    Process,
    Reader,
    Stack,
    claim_redis_database,
    clear_broker,
    read_events,
    release_redis_database,
    snapshot_sources,
)
from tests.support import s3
from tests.support.databases import PG_ADMIN, drop_database
from tests.support.render import render_novel

MB = 1024 * 1024
SERVICE_ENV = {"CHUNKING_THRESHOLD_PAGES": "50", "CHUNK_SIZE_PAGES": "50", "MAX_WORKERS": "2"}


def fifty_megabytes(source: Path, out: Path, limit: int = 50 * MB) -> Path:
    """``source`` with an incompressible attachment that brings it just under ``limit``."""
    pdf = pdfium.PdfDocument(str(source))
    attachment = pdf.new_attachment("appendix.bin")
    attachment.set_data(os.urandom(limit - source.stat().st_size - 400_000))
    pdf.save(str(out))
    pdf.close()
    return out


def in_process_wall(pdf: Path, out: Path, workers: int, env: dict[str, str]) -> float:
    """Wall time of ``frenchnovel process --workers N`` (a fresh process, as a user runs it)."""
    env = {**os.environ, **env}
    started = time.perf_counter()
    command = ["process", str(pdf), "-o", str(out), "--workers", str(workers), "--no-progress"]
    subprocess.run(
        [sys.executable, "-m", "frenchnovel.cli", *command],
        check=True,
        env=env,
        cwd=REPO,
        capture_output=True,
    )
    return time.perf_counter() - started


def service_wall(stack: Stack, reader: Reader, pdf: Path, **fields: Any) -> tuple[float, str]:
    """Seconds from the start of the upload to the ``completed`` event, and the job's id."""
    started = time.perf_counter()
    answer = stack.submit(reader, pdf, **fields)
    job_id = answer.json()["job_id"]
    url = f"{stack.api_url}/api/v1/jobs/{job_id}/events?token={reader.token}"
    received = read_events(url, timeout=900)
    wall = time.perf_counter() - started
    if received[-1][0] != "completed":
        raise SystemExit(f"the service job ended {received[-1][0]}: {received[-1][1]}")
    return wall, job_id


def accepted_latency(stack: Stack, reader: Reader, pdf: Path, runs: int) -> list[float]:
    """Seconds to the 202 of a 50 MB upload (no worker runs meanwhile); the jobs are cancelled."""
    seconds = []
    for run in range(runs):
        started = time.perf_counter()
        answer = stack.submit(reader, pdf, sentence_length_limit=10 + run)
        seconds.append(time.perf_counter() - started)
        if answer.status_code != 202:
            raise SystemExit(f"expected 202, got {answer.status_code}: {answer.text[:300]}")
        httpx.post(
            f"{stack.api_url}/api/v1/jobs/{answer.json()['job_id']}/cancel", headers=reader.headers
        )
    return seconds


@dataclass
class Run:
    """What one backend measured; ``walls`` has one novel's run per repeat."""

    walls: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # the API's and the worker's, per run
    same: bool = False
    accepted: tuple[float, ...] = ()
    rss_growth_mb: float = 0.0
    latencies: tuple[float, ...] = ()
    cpu_per_poll: float = 0.0
    job_id: str = ""

    @property
    def service(self) -> float:
        return statistics.median(self.walls)


class Backend:
    """One backend's service: its own database and Redis database, its API and worker."""

    def __init__(self, label: str, work: Path, env: dict[str, str]) -> None:
        self.label = label
        self.database = f"frenchnovel_bench_{secrets.token_hex(4)}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.database}"')
        database_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.database}"
        root = work / label
        (root / "storage").mkdir(parents=True)
        (root / "logs").mkdir()
        upgrade_database(Settings(database_url=database_url, storage_dir=root / "storage"))
        self.redis_url = claim_redis_database()
        self.stack = Stack(
            label, database_url, self.redis_url, root / "storage", root / "logs", env
        )
        self.run = Run()
        self.reader: Reader | None = None
        self.worker: Process | None = None

    def cpu(self) -> float:
        assert self.stack.api is not None and self.worker is not None
        return cpu_seconds(self.stack.api.pid) + cpu_seconds(self.worker.pid)

    def start(self, big: Path, uploads: int) -> None:
        """The API, the 202s of 50 MB uploads and its memory meanwhile, then the worker."""
        self.stack.start_api()
        assert self.stack.api is not None
        self.reader = self.stack.reader(credits=10_000_000)
        print(f"[{self.label}] 202 latency and API memory of 50 MB uploads …", flush=True)
        with peak_rss(self.stack.api.pid) as rss:
            self.run.accepted = tuple(accepted_latency(self.stack, self.reader, big, uploads))
        self.run.rss_growth_mb = (rss["peak"] - rss["before"]) / MB
        clear_broker(self.redis_url)
        self.worker = self.stack.start_worker()

    def novel(self, pdf: Path, repeat: int, cli: list[dict[str, Any]]) -> None:
        """The novel through the service; each repeat with another word limit (no reuse)."""
        assert self.reader is not None
        print(f"[{self.label}] the novel through the service, run {repeat + 1} …", flush=True)
        cpu = self.cpu()
        wall, job_id = service_wall(self.stack, self.reader, pdf, sentence_length_limit=8 + repeat)
        self.run.walls.append(wall)
        self.run.cpu.append(self.cpu() - cpu)
        if repeat == 0:
            self.run.job_id = job_id
            self.run.same = self.stack.sentences(self.reader, job_id) == cli

    def poll(self, rate: float, seconds: float) -> None:
        assert self.reader is not None and self.stack.api is not None
        print(f"[{self.label}] polling GET /api/v1/jobs/{{id}} at {rate:.0f}/s …", flush=True)
        url = f"{self.stack.api_url}/api/v1/jobs/{self.run.job_id}"
        asyncio.run(poll_load(url, self.reader.headers, rate, 1.0))  # warm-up, not counted
        api = psutil.Process(self.stack.api.pid)
        cpu_before = sum(api.cpu_times()[:2])
        self.run.latencies = tuple(asyncio.run(poll_load(url, self.reader.headers, rate, seconds)))
        self.run.cpu_per_poll = (sum(api.cpu_times()[:2]) - cpu_before) / len(self.run.latencies)

    def stop(self) -> None:
        self.stack.stop()
        release_redis_database(self.redis_url)
        dispose_engines()
        drop_database(self.database)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--novel", default="hugo")
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--uploads", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=2, help="novel runs per backend")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-service-"))
    print(f"rendering a {args.pages}-page novel ({args.novel}) …", flush=True)
    novel = render_novel(args.novel, pages=args.pages, out=work / "novel.pdf").path
    big = fifty_megabytes(
        render_novel("verne", pages=80, out=work / "v80.pdf").path, work / "big.pdf"
    )
    big_mb = big.stat().st_size / MB  # the file goes with the work directory at the end
    files = {"novel": novel, "big": big, "cli": work / "cli.json"}

    moto = s3.MotoServer.start(log=work / "moto.log")
    env = {**SERVICE_ENV, "PYTHONPATH": snapshot_sources(work)}
    backends: list[Backend] = []
    try:
        print("the novel in-process (frenchnovel process --workers 2) …", flush=True)
        in_process = in_process_wall(novel, files["cli"], workers=2, env=env)
        cli = json.loads(files["cli"].read_text(encoding="utf-8"))["sentences"]
        bucket = moto.new_bucket()
        backends = [
            Backend("local", work, env),
            Backend("s3", work, {**env, **s3.env(moto.url, bucket)}),
        ]
        for backend in backends:
            backend.start(big, args.uploads)
        # Runs alternate (local, S3, local, S3 …) so that the machine's other load falls on both.
        for repeat in range(args.repeats):
            for backend in backends:
                backend.novel(novel, repeat, cli)
        for backend in backends:
            backend.poll(args.rate, args.seconds)
        objects = len(moto.keys(bucket))
    finally:
        for backend in backends:
            backend.stop()
        moto.stop()
        shutil.rmtree(work, ignore_errors=True)  # hundreds of MB of PDFs and results
    local, remote = backends[0].run, backends[1].run

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    ratio = remote.service / local.service
    pairs = [r / lo for lo, r in zip(local.walls, remote.walls, strict=True)]

    def both(value: Callable[[Run], str]) -> tuple[str, str]:
        return value(local), value(remote)

    def polls(run: Run) -> str:
        p50, p99 = percentile(list(run.latencies), 0.5), percentile(list(run.latencies), 0.99)
        return f"{p50 * 1000:.1f} / {p99 * 1000:.1f} ms"

    accepted = f"202 of a {big_mb:.1f} MB upload, median / max of {args.uploads}"
    rows = [
        (
            f"service wall, API + 2 worker processes (median of {args.repeats})",
            *both(lambda r: f"{r.service:.1f} s"),
            "",
            "",
        ),
        (
            "  each run, in order",
            *both(lambda r: ", ".join(f"{w:.1f}" for w in r.walls)),
            "",
            "",
        ),
        (
            "CPU of the API and the worker's pool, each run",
            *both(lambda r: ", ".join(f"{c:.1f}" for c in r.cpu) + " s"),
            "",
            "",
        ),
        (
            "ratio S3 / local of that CPU (medians)",
            "",
            f"{statistics.median(remote.cpu) / statistics.median(local.cpu):.2f}",
            "",
            "",
        ),
        ("in-process `frenchnovel process --workers 2`", f"{in_process:.1f} s", "", "", ""),
        (
            "ratio service / in-process",
            *both(lambda r: f"{r.service / in_process:.2f}"),
            "≤ 1.15",
            _ok(local.service / in_process <= 1.15),
        ),
        ("ratio S3 / local directory (medians)", "", f"{ratio:.2f}", "≤ 1.15", _ok(ratio <= 1.15)),
        ("  ratio of each pair of runs", "", ", ".join(f"{p:.2f}" for p in pairs), "", ""),
        (
            "same sentences as in-process",
            *both(lambda r: "yes" if r.same else "no"),
            "yes",
            _ok(local.same and remote.same),
        ),
        (
            accepted,
            *both(lambda r: f"{statistics.median(r.accepted):.2f} / {max(r.accepted):.2f} s"),
            "≤ 1 s",
            _ok(max(local.accepted) <= 1.0),
        ),
        (
            "API peak RSS growth while they stream in",
            *both(lambda r: f"{r.rss_growth_mb:.1f} MB"),
            "< 50 MB",
            _ok(max(local.rss_growth_mb, remote.rss_growth_mb) < 50),
        ),
        (
            f"GET /api/v1/jobs/{{id}} p50 / p99 at {args.rate:.0f}/s",
            *both(polls),
            "p99 ≤ 25 ms",
            _ok(percentile(list(local.latencies), 0.99) <= 0.025),
        ),
        ("API CPU per poll", *both(lambda r: f"{r.cpu_per_poll * 1000:.2f} ms"), "", ""),
        ("objects left in the bucket (jobs kept)", "", str(objects), "", ""),
    ]
    print()
    print(
        f"Service benchmark: {args.pages}-page rendered novel ({args.novel}), 127.0.0.1, "
        f"{os.cpu_count()} CPUs (load average {load}), PostgreSQL + Redis; "
        "local = STORAGE_DIR, S3 = STORAGE_URL on moto's server (a process on 127.0.0.1)"
    )
    header = ("measure", "local", "S3", "target", "ok")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def _ok(passed: bool) -> str:
    return "yes" if passed else "NO"


if __name__ == "__main__":
    main()
