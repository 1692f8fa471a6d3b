"""End-to-end fixtures: a real API and real ``celery worker`` processes on the shared Redis
(database ``FRENCHNOVEL_E2E_REDIS_DB``, 13 by default, flushed around each test) with SQLite, or a
PostgreSQL database of their own; rendered novels and their in-process reference results."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from frenchnovel.config import Settings
from frenchnovel.storage.db import dispose_engines, upgrade_database
from tests.e2e.stack import (
    REPO,
    Stack,
    claim_redis_database,
    release_redis_database,
    snapshot_sources,
)
from tests.support import s3
from tests.support.databases import PG_ADMIN, drop_database
from tests.support.render import render_novel
from tests.support.s3 import FaultProxy, MotoServer

# Several test sessions may share the Redis on 127.0.0.1: each claims a database of its own.
FIRST_REDIS_DB = int(os.environ.get("FRENCHNOVEL_E2E_REDIS_DB", "8"))
# Small chunks keep the tests quick while a 40-page novel still makes four of them.
SMALL_CHUNKS = {"CHUNKING_THRESHOLD_PAGES": "20", "CHUNK_SIZE_PAGES": "10"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def broker() -> Iterator[str]:
    """A Redis database of this session's own on the shared server."""
    try:
        url = claim_redis_database(FIRST_REDIS_DB)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield url
    release_redis_database(url)


@pytest.fixture(scope="session")
def novels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Rendered novels, made once per session: a 40-page one and the 300-page one."""
    folder = tmp_path_factory.mktemp("novels")
    return {
        "short": render_novel("maupassant", pages=40, out=folder / "bel-ami-40.pdf").path,
        "long": render_novel("flaubert", pages=300, out=folder / "bovary-300.pdf").path,
    }


@pytest.fixture(scope="session")
def pythonpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The code every process of this session runs: a snapshot of the package taken once."""
    return snapshot_sources(tmp_path_factory.mktemp("code"))


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory, pythonpath: str) -> Any:
    """``frenchnovel process`` on a file (cached): the sentences the service must give."""
    cache: dict[Path, list[dict[str, Any]]] = {}
    folder = tmp_path_factory.mktemp("reference")

    def sentences(pdf: Path, workers: int = 2) -> list[dict[str, Any]]:
        if pdf not in cache:
            out = folder / f"{pdf.stem}.json"
            command = ["process", str(pdf), "-o", str(out), "--workers", str(workers)]
            subprocess.run(
                [sys.executable, "-m", "frenchnovel.cli", *command, "--no-progress"],
                check=True,
                cwd=REPO,
                env={**os.environ, "PYTHONPATH": pythonpath},
                capture_output=True,
            )
            cache[pdf] = json.loads(out.read_text(encoding="utf-8"))["sentences"]
        return cache[pdf]

    return sentences


def _stack(
    name: str,
    database_url: str,
    root: Path,
    broker: str,
    pythonpath: str = str(REPO),
    **api_env: str,
) -> Stack:
    storage = root / "storage"
    logs = root / "logs"
    storage.mkdir(parents=True)
    logs.mkdir()
    upgrade_database(Settings(database_url=database_url, storage_dir=storage))
    stack = Stack(name, database_url, broker, storage, logs, dict(api_env), pythonpath)
    stack.start_api()
    return stack


@pytest.fixture(scope="session")
def sqlite_service(
    tmp_path_factory: pytest.TempPathFactory, broker: str, pythonpath: str
) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("e2e-sqlite")
    url = f"sqlite:///{root / 'frenchnovel.db'}"
    stack = _stack("sqlite", url, root, broker, pythonpath, **SMALL_CHUNKS)
    yield stack
    stack.stop()
    dispose_engines()


@pytest.fixture(scope="session")
def postgres_service(
    tmp_path_factory: pytest.TempPathFactory, broker: str, pythonpath: str
) -> Iterator[Stack]:
    name = f"frenchnovel_e2e_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    root = tmp_path_factory.mktemp("e2e-postgres")
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        # 300 pages in chunks of 30: ten chunks, so that progress has room to rise.
        stack = _stack(
            "postgresql",
            url,
            root,
            broker,
            pythonpath,
            CHUNKING_THRESHOLD_PAGES="50",
            CHUNK_SIZE_PAGES="30",
        )
        yield stack
        stack.stop()
    finally:
        dispose_engines()
        drop_database(name)


@pytest.fixture
def sqlite_stack(sqlite_service: Stack) -> Iterator[Stack]:
    """The SQLite service, with no worker yet; workers a test starts are killed after it."""
    yield sqlite_service
    sqlite_service.stop_workers()


@pytest.fixture
def postgres_stack(postgres_service: Stack) -> Iterator[Stack]:
    yield postgres_service
    postgres_service.stop_workers()


@pytest.fixture(scope="session")
def store_proxy(s3_server: MotoServer) -> Iterator[FaultProxy]:
    """The fault-injecting proxy every process of the S3 service reaches the store through."""
    proxy = FaultProxy(s3_server.url)
    yield proxy
    proxy.close()


@pytest.fixture(scope="session")
def s3_service(
    tmp_path_factory: pytest.TempPathFactory,
    broker: str,
    pythonpath: str,
    s3_server: MotoServer,
    store_proxy: FaultProxy,
) -> Iterator[Stack]:
    """The SQLite service with ``STORAGE_URL`` on a bucket of moto's server: its processes share
    no directory for novels and results (``STORAGE_DIR`` holds only their scratch files)."""
    root = tmp_path_factory.mktemp("e2e-s3")
    url = f"sqlite:///{root / 'frenchnovel.db'}"
    bucket = s3_server.new_bucket()
    store = s3.env(store_proxy.url, bucket, S3_TIMEOUT_SECONDS="2")
    stack = _stack("s3", url, root, broker, pythonpath, **SMALL_CHUNKS, **store)
    stack.bucket = bucket
    yield stack
    stack.stop()
    dispose_engines()


@pytest.fixture
def s3_stack(s3_service: Stack, store_proxy: FaultProxy) -> Iterator[Stack]:
    """The S3 service with no worker yet and no fault planned; both undone after the test."""
    store_proxy.clear()
    yield s3_service
    store_proxy.clear()
    s3_service.stop_workers()
