"""Reliability fixtures: a PostgreSQL database and a ``redis-server`` of this suite's own, the
service in-process or as real API and worker processes, and the ledger invariant, checked after
every test of the suite (``tests.support.ledger``).

Every test records what it lost (jobs stuck, credits unbalanced, files left) in the file named by
``FRENCHNOVEL_RELIABILITY_LOG`` when it is set: ``bench/reliability_report.py`` reads it.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from frenchnovel.api.app import create_app
from frenchnovel.billing import credits
from frenchnovel.config import Settings
from frenchnovel.storage.accounts import add_user
from frenchnovel.storage.db import dispose_engines, get_engine, session_factory, upgrade_database
from frenchnovel.worker.celery_app import create_celery_app
from tests.e2e.stack import STARTUP_SECONDS, Process, Stack, wait_for
from tests.support.ledger import check_ledger
from tests.support.redis_server import RedisServer

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
LOG_ENV = "FRENCHNOVEL_RELIABILITY_LOG"
HERE = Path(__file__).resolve().parent
_database: dict[str, str] = {}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "reliability: faults, bad input, fuzzing, access, money")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.reliability)
            item.add_marker(pytest.mark.postgres)


@dataclass
class Losses:
    """What a test saw lost; the invariant fills ``unbalanced``, fault tests the rest."""

    stuck: int = 0
    files_left: int = 0
    unbalanced: int = 0
    notes: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """This suite's own PostgreSQL database, migrated; dropped at the end."""
    name = f"frenchnovel_reliability_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        upgrade_database(Settings(database_url=url))
        _database["url"] = url
        yield url
    finally:
        _database.clear()
        dispose_engines()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_name(database_url: str) -> str:
    return database_url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def engine(database_url: str) -> Engine:
    return get_engine(Settings(database_url=database_url))


@pytest.fixture(autouse=True)
def ledger_invariant(request: pytest.FixtureRequest) -> Iterator[Losses]:
    """After every test: each job's ledger adds up to its usage, no balance below the floor."""
    losses = Losses()
    request.node.losses = losses
    yield losses
    problems: list[str] = []
    if "url" in _database:
        found = check_ledger(get_engine(Settings(database_url=_database["url"])))
        losses.unbalanced = len(found.unbalanced) + len(found.below_floor)
        problems = found.unbalanced + [f"user {u} below the floor" for u in found.below_floor]
    _record(request.node.nodeid, losses)
    assert not problems, "the ledger does not add up:\n" + "\n".join(problems[:20])


def _record(nodeid: str, losses: Losses) -> None:
    path = os.environ.get(LOG_ENV)
    if not path:
        return
    line = {
        "nodeid": nodeid,
        "stuck": losses.stuck,
        "files_left": losses.files_left,
        "unbalanced": losses.unbalanced,
        "notes": losses.notes,
    }
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")


@pytest.fixture
def lost(request: pytest.FixtureRequest) -> Losses:
    """Where a test writes what it found lost (stuck jobs, files left behind)."""
    losses: Losses = request.node.losses
    return losses


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A ``redis-server`` of this suite's own, on a free port."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.kill()


# --- the service in-process (FastAPI's TestClient) on the suite's database ------------------


@dataclass
class Person:
    """Someone with an account on the service."""

    id: int
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def storage_dir(tmp_path: Path) -> Path:
    return tmp_path / "storage"


@pytest.fixture
def make_settings(database_url: str, storage_dir: Path) -> Callable[..., Settings]:
    """Settings of an in-process service on the suite's database and this test's storage."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": database_url,
            "storage_dir": storage_dir,
            "redis_url": None,
            "async_processing_enabled": False,
            "rate_limit_submissions": 1000,
            "max_concurrent_jobs_per_user": 100,
        }
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def make_client(make_settings: Callable[..., Settings]) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        app = create_app(make_settings(**overrides), upgrade=False)
        client = TestClient(app, raise_server_exceptions=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def make_person(engine: Engine) -> Callable[..., Person]:
    """A new user (monthly grant included) with ``extra`` credits on top."""
    settings = Settings()

    def make(name: str = "reader", *, extra: int = 0) -> Person:
        email = f"{name}-{uuid.uuid4().hex[:8]}@example.org"
        with session_factory(engine)() as session, session.begin():
            user, token = add_user(session, email)
            credits.ensure_monthly_grant(session, user.id, settings)
            if extra:
                credits.grant(session, user.id, extra)
            return Person(user.id, user.email, token)

    return make


@pytest.fixture
def owner(make_person: Callable[..., Person]) -> Person:
    return make_person("owner")


@pytest.fixture
def stranger(make_person: Callable[..., Person]) -> Person:
    return make_person("stranger")


def upload(
    client: TestClient,
    person: Person | None,
    pdf: Path,
    path: str = "/api/v1/process-pdf",
    *,
    filename: str | None = None,
    **fields: Any,
) -> Any:
    """POST ``pdf`` as the multipart field ``pdf_file``, with settings ``fields``."""
    with pdf.open("rb") as handle:
        return client.post(
            path,
            headers=person.headers if person else {},
            files={"pdf_file": (filename or pdf.name, handle, "application/pdf")},
            data={k: str(v) for k, v in fields.items()},
        )


def files_in(directory: Path) -> list[Path]:
    """Every file under ``directory`` (none when it does not exist)."""
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []


@pytest.fixture(scope="session")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3-page rendered French novel excerpt."""
    from tests.support.render import render_novel

    out = tmp_path_factory.mktemp("pdfs") / "bel-ami-3p.pdf"
    return render_novel("maupassant", pages=3, out=out).path


# --- the real service: API, workers and beat as processes, on the suite's Redis -------------

# 300 pages in chunks of 10: thirty chunks, a job long enough to break things in its middle.
# A short task timeout makes the broker hand a lost message out again, and the reaper act,
# within the test's patience.
FAULT_ENV = {
    "CHUNKING_THRESHOLD_PAGES": "50",
    "CHUNK_SIZE_PAGES": "10",
    "TASK_TIMEOUT_SECONDS": "30",
}


@pytest.fixture(scope="session")
def novels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Rendered novels: the 300-page one, a 60-page one, and a 40-page one (answered at once)."""
    from tests.support.render import render_novel

    folder = tmp_path_factory.mktemp("novels")
    return {
        "long": render_novel("flaubert", pages=300, out=folder / "bovary-300.pdf").path,
        "short": render_novel("maupassant", pages=60, out=folder / "bel-ami-60.pdf").path,
        "sync": render_novel("verne", pages=40, out=folder / "capitaine-40.pdf").path,
    }


@dataclass
class ServiceStack(Stack):
    """The end-to-end ``Stack``, whose wait for a new worker survives a broker restarted by
    an earlier test (a pooled connection to the old server fails once), and which can keep
    its workers running like a service manager."""

    worker_overrides: dict[int, dict[str, str]] = field(default_factory=dict)
    restarts: int = 0
    supervising: bool = False
    supervisor_lock: threading.Lock = field(default_factory=threading.Lock)

    def start_worker(self, **overrides: str) -> Process:
        process = self._spawn(["worker"], self.env(**overrides), "worker")
        name = f"worker{process.pid}@"

        def answered() -> bool:
            if process.popen.poll() is not None:
                raise AssertionError(f"the worker exited: {process.log.read_text()[-3000:]}")
            try:
                replies = create_celery_app(self.settings).control.ping(timeout=0.5) or []
            except (redis.RedisError, OSError):
                return False
            return any(name in key for reply in replies for key in reply)

        wait_for(answered, timeout=STARTUP_SECONDS, what="the worker", every=0.5)
        self.worker_overrides[process.pid] = overrides
        return process

    def supervise(self) -> None:
        """Start again, as systemd's ``Restart=always`` would, every worker that exits."""
        self.supervising = True

        def watch() -> None:
            while True:
                with self.supervisor_lock:
                    if not self.supervising:
                        return
                    self._restart_exited_workers()
                time.sleep(0.5)

        threading.Thread(target=watch, daemon=True).start()

    def _restart_exited_workers(self) -> None:
        for process in list(self.processes):
            overrides = self.worker_overrides.get(process.pid)
            if overrides is None or process.popen.poll() is None:
                continue
            self.processes.remove(process)
            del self.worker_overrides[process.pid]
            again = self._spawn(["worker"], self.env(**overrides), "worker")
            self.worker_overrides[again.pid] = overrides
            self.restarts += 1

    def stop(self) -> None:
        with self.supervisor_lock:
            self.supervising = False
        super().stop()


@pytest.fixture
def service(database_url: str, redis_server: RedisServer, tmp_path: Path) -> Iterator[ServiceStack]:
    """A real API on the suite's database and Redis (db 0); workers and beat are started by
    the test and killed after it."""

    (tmp_path / "service-storage").mkdir()
    (tmp_path / "service-logs").mkdir()
    stack = ServiceStack(
        "reliability",
        database_url,
        redis_server.url(0),
        tmp_path / "service-storage",
        tmp_path / "service-logs",
        api_env=dict(FAULT_ENV),
    )
    stack.start_api()
    yield stack
    stack.stop()
    if redis_server.process is not None:
        redis.Redis.from_url(redis_server.url(0)).flushdb()
