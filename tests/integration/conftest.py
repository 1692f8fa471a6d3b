"""Integration fixtures: an isolated database per test, on SQLite and on the real PostgreSQL.

SQLite: each test gets a copy of a freshly migrated database file. PostgreSQL: the test session
creates its own database ``frenchnovel_test_<random>`` (migrated once), each test starts from empty
tables, and the database is dropped at the end.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.api.app import create_app
from frenchnovel.config import Settings
from frenchnovel.jobs.sync import RewriterFactory
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.llm import needs_model
from frenchnovel.storage.db import dispose_engines, get_engine, get_sessions, upgrade_database
from frenchnovel.storage.models import Base
from tests.fakes.llm_server import FakeLLM, FakeLLMServer
from tests.fakes.llm_setup import novel_sentences
from tests.integration.pdfs import french_paragraphs, render_pdf
from tests.support.databases import PG_ADMIN, drop_database
from tests.support.people import Person, add_person
from tests.support.submissions import made_up

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def _settings(database_url: str, storage_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "storage_dir": storage_dir,
        "redis_url": None,
        "async_processing_enabled": False,
        "monthly_credit_grant": 10_000,
        "rate_limit_submissions": 100,
        "max_concurrent_jobs_per_user": 100,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database, copied for each test."""
    directory = tmp_path_factory.mktemp("sqlite-template")
    path = directory / "template.db"
    upgrade_database(_settings(f"sqlite:///{path}", directory))
    dispose_engines()
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """This test session's own PostgreSQL database, migrated; dropped at the end."""
    name = f"frenchnovel_test_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_URL.format(name=name)
    try:
        upgrade_database(_settings(url, Path("/nonexistent")))
        yield url
    finally:
        dispose_engines()
        drop_database(name)


def _empty_tables(url: str, storage_dir: Path) -> None:
    engine = get_engine(_settings(url, storage_dir))
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database for this test alone."""
    if request.param == "sqlite":
        path = tmp_path / "frenchnovel.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_database")
        _empty_tables(url, tmp_path)
        yield url
    dispose_engines()


@pytest.fixture
def make_settings(database_url: str, tmp_path: Path) -> Callable[..., Settings]:
    """Settings on this test's database and storage, with overrides."""
    storage = tmp_path / "storage"

    def make(**overrides: Any) -> Settings:
        return _settings(database_url, storage, **overrides)

    return make


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
def sessions(settings: Settings) -> sessionmaker[Session]:
    return get_sessions(settings)


@pytest.fixture
def make_person(sessions: sessionmaker[Session], settings: Settings) -> Callable[..., Person]:
    def make(email: str, *, credits_granted: int = 0) -> Person:
        return add_person(sessions, settings, email, extra=credits_granted)

    return make


@pytest.fixture
def owner(make_person: Callable[..., Person]) -> Person:
    return make_person("owner@example.org")


@pytest.fixture
def stranger(make_person: Callable[..., Person]) -> Person:
    return make_person("stranger@example.org")


@pytest.fixture
def make_client(
    make_settings: Callable[..., Settings],
) -> Iterator[Callable[..., TestClient]]:
    """A client of an app built with settings overrides and, optionally, a rewriter factory."""
    clients: list[TestClient] = []

    def make(*, rewriter_factory: RewriterFactory | None = None, **overrides: Any) -> TestClient:
        app = create_app(
            make_settings(**overrides), rewriter_factory=rewriter_factory, upgrade=False
        )
        client = TestClient(app, raise_server_exceptions=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture(scope="session")
def small_pdf(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3-page French PDF with a text layer."""
    out = tmp_path_factory.mktemp("pdfs") / "bel-ami-3p.pdf"
    return render_pdf(french_paragraphs(corpus, count=6), out)


@pytest.fixture(scope="session")
def other_pdf(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another 3-page French PDF (different bytes from ``small_pdf``)."""
    out = tmp_path_factory.mktemp("pdfs") / "bel-ami-other-3p.pdf"
    return render_pdf(french_paragraphs(corpus, skip=40, count=6), out)


def pending_job(
    sessions: sessionmaker[Session],
    settings: Settings,
    person: Person,
    *,
    credits_each: int = 5,
    sha256: str | None = None,
    chunks: Sequence[tuple[int, int]] = ((1, 3),),
) -> str:
    """A job submitted through the service and left pending (as if queued for the workers);
    asynchronous when it has several ``chunks``."""
    from frenchnovel.jobs import service

    prepared = made_up(settings, credits=credits_each, sha256=sha256, chunks=chunks)
    with sessions() as session, session.begin():
        service.submit(session, user_id=person.id, submission=prepared, settings=settings)
    return prepared.job_id


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    """A fake LLM provider on 127.0.0.1, speaking the Gemini and OpenAI protocols."""
    with FakeLLMServer() as state:
        yield state


@pytest.fixture(scope="module")
def long_sentences(corpus: Path) -> list[str]:
    """Sentences of a novel that all go to the model, four batches of five."""
    options = JobOptions()
    return [s for s in novel_sentences(corpus, 80) if needs_model(s, options)][:20]
