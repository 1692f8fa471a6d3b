"""A real service for end-to-end tests: the API and Celery workers as subprocesses, the shared
Redis on 127.0.0.1 (a database number of its own), and SQLite or a PostgreSQL database of its own.

Tests drive it over HTTP like a client would and read the database to check what only the
database can tell (chunk rows, ledger lines).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psutil
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings
from frenchnovel.storage.accounts import create_user
from frenchnovel.storage.db import get_sessions
from frenchnovel.storage.models import CreditEntry, Job, JobChunk
from frenchnovel.worker.celery_app import create_celery_app
from tests.support.redis_databases import claim_redis_database as claim_redis_database
from tests.support.redis_databases import clear_broker as clear_broker
from tests.support.redis_databases import release_redis_database as release_redis_database
from tests.support.sse import sse_events

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90
# What a stack's processes never take from the test's own environment.
NOT_INHERITED = ("REDIS_", "DATABASE_", "FRENCHNOVEL_FAULTS", "STORAGE_URL", "S3_")


def snapshot_sources(work: Path) -> str:
    """A frozen copy of the package, for ``PYTHONPATH``: every process of a run (API, workers,
    the in-process reference) then executes the same code even while the working tree changes.
    Laid out like the repository, so that the migrations are found beside it."""
    shutil.copytree(
        REPO / "src" / "frenchnovel",
        work / "src" / "frenchnovel",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    (work / "migrations").symlink_to(REPO / "migrations")
    (work / "alembic.ini").symlink_to(REPO / "alembic.ini")
    return f"{work / 'src'}{os.pathsep}{REPO}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], T | None], *, timeout: float, what: str, every: float = 0.2) -> T:
    """Poll ``check`` until it returns something truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


@dataclass
class Reader:
    """Someone with an account on the service."""

    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Process:
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def kill(self) -> None:
        """SIGKILL the process and its children (a worker's pool), as a crash would."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait(30)

    def pool_children(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.popen.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []


@dataclass
class Stack:
    name: str
    database_url: str
    redis_url: str
    storage_dir: Path
    logs: Path
    api_env: dict[str, str] = field(default_factory=dict)
    pythonpath: str = str(REPO)
    api_url: str = ""
    processes: list[Process] = field(default_factory=list)
    api: Process | None = None
    bucket: str = ""  # with STORAGE_URL in ``api_env``: the S3 bucket of its blob store

    def env(self, **overrides: str) -> dict[str, str]:
        """The environment of a process of this stack."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(
                ("REDIS_", "DATABASE_", "FRENCHNOVEL_FAULTS", "STORAGE_URL", "S3_")
            )
        }
        env.update(
            REDIS_URL=self.redis_url,
            DATABASE_URL=self.database_url,
            STORAGE_DIR=str(self.storage_dir),
            RATE_LIMIT_SUBMISSIONS="10000",
            RATE_LIMIT_ESTIMATES="10000",
            MAX_CONCURRENT_JOBS_PER_USER="100",
            MAX_WORKERS="2",
            PYTHONPATH=self.pythonpath,
        )
        env.update(self.api_env)
        env.update(overrides)
        return env

    @property
    def settings(self) -> Settings:
        return Settings(
            database_url=self.database_url,
            redis_url=self.redis_url,
            storage_dir=self.storage_dir,
            storage_url=self.api_env.get("STORAGE_URL"),
            s3_endpoint_url=self.api_env.get("S3_ENDPOINT_URL"),
        )

    @property
    def sessions(self) -> sessionmaker[Session]:
        return get_sessions(self.settings)

    def _spawn(self, args: list[str], env: dict[str, str], label: str) -> Process:
        log = self.logs / f"{label}-{uuid.uuid4().hex[:6]}.log"
        handle = log.open("wb")
        popen = subprocess.Popen(
            [sys.executable, "-m", "frenchnovel.cli", *args],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=REPO,
        )
        handle.close()
        process = Process(popen, log)
        self.processes.append(process)
        return process

    def start_api(self) -> None:
        port = free_port()
        self.api = self._spawn(["serve", "--port", str(port)], self.env(), "api")
        self.api_url = f"http://127.0.0.1:{port}"

        def healthy() -> bool:
            assert self.api is not None
            if self.api.popen.poll() is not None:
                raise AssertionError(f"the API exited: {self.api.log.read_text()[-2000:]}")
            try:
                return httpx.get(f"{self.api_url}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(healthy, timeout=STARTUP_SECONDS, what="the API")

    def start_worker(self, **overrides: str) -> Process:
        """A ``frenchnovel worker`` (2 pool processes unless overridden), once it answers pings."""
        process = self._spawn(["worker"], self.env(**overrides), "worker")
        app = create_celery_app(self.settings)
        name = f"worker{process.pid}@"

        def answered() -> bool:
            if process.popen.poll() is not None:
                raise AssertionError(f"the worker exited: {process.log.read_text()[-3000:]}")
            replies = app.control.ping(timeout=0.5) or []
            return any(name in key for reply in replies for key in reply)

        wait_for(answered, timeout=STARTUP_SECONDS, what="the worker", every=0.5)
        return process

    def start_beat(self, **overrides: str) -> Process:
        return self._spawn(["beat"], self.env(**overrides), "beat")

    def stop_workers(self) -> None:
        """Kill every process but the API, and forget the broker's messages."""
        for process in [p for p in self.processes if p is not self.api]:
            process.kill()
            self.processes.remove(process)
        clear_broker(self.redis_url)

    def stop(self) -> None:
        for process in self.processes:
            process.kill()
        self.processes.clear()

    # --- the client's side -------------------------------------------------------------

    def reader(self, credits: int = 0) -> Reader:
        email = f"reader-{uuid.uuid4().hex[:8]}@example.org"
        return Reader(email, create_user(email, credits=credits, settings=self.settings))

    def submit(self, reader: Reader, pdf: Path, **fields: Any) -> httpx.Response:
        with pdf.open("rb") as handle:
            return httpx.post(
                f"{self.api_url}/api/v1/process-pdf",
                headers=reader.headers,
                files={"pdf_file": (pdf.name, handle, "application/pdf")},
                data={k: str(v) for k, v in fields.items()},
                timeout=60,
            )

    def job(self, reader: Reader, job_id: str) -> dict[str, Any]:
        answer = httpx.get(f"{self.api_url}/api/v1/jobs/{job_id}", headers=reader.headers)
        assert answer.status_code == 200, answer.text
        data: dict[str, Any] = answer.json()
        return data

    def wait_status(
        self, reader: Reader, job_id: str, statuses: set[str], timeout: float
    ) -> dict[str, Any]:
        def reached() -> dict[str, Any] | None:
            job = self.job(reader, job_id)
            return job if job["status"] in statuses else None

        return wait_for(reached, timeout=timeout, what=f"job {job_id} to be {statuses}", every=0.3)

    def sentences(self, reader: Reader, job_id: str) -> list[dict[str, Any]]:
        answer = httpx.get(
            f"{self.api_url}/api/v1/jobs/{job_id}/result", headers=reader.headers, timeout=60
        )
        assert answer.status_code == 200, answer.text
        result: list[dict[str, Any]] = answer.json()["sentences"]
        return result

    # --- what only the database knows ----------------------------------------------------

    def chunks(self, job_id: str) -> list[JobChunk]:
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(JobChunk).where(JobChunk.job_id == job_id).order_by(JobChunk.index)
                )
            )

    def ledger(self, job_id: str) -> list[tuple[str, int]]:
        with self.sessions() as session:
            rows = session.execute(
                select(CreditEntry.kind, CreditEntry.amount)
                .where(CreditEntry.job_id == job_id)
                .order_by(CreditEntry.id)
            )
            return [(kind, amount) for kind, amount in rows]

    def job_row(self, job_id: str) -> Job:
        with self.sessions() as session:
            job = session.get(Job, job_id)
            assert job is not None
            return job


def read_events(url: str, *, timeout: float) -> list[tuple[str, dict[str, Any]]]:
    """Read a Server-Sent Events stream until it ends; ``(event, data)`` pairs."""
    with httpx.stream("GET", url, timeout=timeout) as answer:
        assert answer.status_code == 200, answer.read()
        return list(sse_events(answer.iter_lines()))
