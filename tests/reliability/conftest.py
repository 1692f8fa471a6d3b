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
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from frenchnovel.api.app import create_app
from frenchnovel.config import Settings
from frenchnovel.storage.db import dispose_engines, get_engine, session_factory, upgrade_database
from tests.reliability.helpers import PG_ADMIN, Losses
from tests.support.databases import drop_database
from tests.support.ledger import check_ledger
from tests.support.people import Person, add_person
from tests.support.redis_server import RedisServer
from tests.support.service_stack import FAULT_ENV, ServiceStack

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
        drop_database(name)


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
        return add_person(session_factory(engine), settings, email, extra=extra)

    return make


@pytest.fixture
def owner(make_person: Callable[..., Person]) -> Person:
    return make_person("owner")


@pytest.fixture
def stranger(make_person: Callable[..., Person]) -> Person:
    return make_person("stranger")


@pytest.fixture(scope="session")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3-page rendered French novel excerpt."""
    from tests.support.render import render_novel

    out = tmp_path_factory.mktemp("pdfs") / "bel-ami-3p.pdf"
    return render_novel("maupassant", pages=3, out=out).path


# --- the real service: API, workers and beat as processes, on the suite's Redis -------------


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
