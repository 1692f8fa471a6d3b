"""The test and bench runs' own PostgreSQL databases, made and dropped through the admin URL."""

from __future__ import annotations

import psycopg

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def drop_database(name: str) -> None:
    """Drop ``name``, closing whatever sessions a killed process left on it."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
