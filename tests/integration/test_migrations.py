"""The migrations build an empty database up to the models, with no drift between the two."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from frenchnovel.config import Settings
from frenchnovel.storage.db import create_db_engine, upgrade_database
from frenchnovel.storage.models import Base
from tests.integration.conftest import PG_ADMIN, PG_URL
from tests.support.databases import drop_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh' / 'empty.db'}"
        return
    name = f"frenchnovel_migrate_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL.format(name=name)
    finally:
        drop_database(name)


def test_migrations_upgrade_an_empty_database_to_exactly_the_models(
    empty_database: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=empty_database, storage_dir=tmp_path)

    upgrade_database(settings)
    upgrade_database(settings)  # a second run has nothing to do

    engine = create_db_engine(settings.sqlalchemy_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            drift = compare_metadata(context, Base.metadata)
            tables = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert drift == []
    assert set(Base.metadata.tables) | {"alembic_version"} == tables
