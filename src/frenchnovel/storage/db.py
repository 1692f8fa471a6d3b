"""Database engines, sessions and schema upgrades, for SQLite (default) and PostgreSQL.

A route or a task owns each transaction (``with session.begin():``); the functions it calls only
flush. ``lock_user`` is how concurrent submissions by one user are serialised.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings, get_settings
from frenchnovel.storage.models import User, utcnow

REPO_ROOT = Path(__file__).resolve().parents[3]
MIGRATIONS_DIR = REPO_ROOT / "migrations"
ALEMBIC_INI = REPO_ROOT / "alembic.ini"

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; busy_timeout makes writers queue instead of
    # failing at once; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    """A new engine for ``url``: SQLite files get their directory, WAL and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_pre_ping=True
        )
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    # A database that does not answer must fail a request (and /health) quickly, not hang it.
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        pool_timeout=30,
        connect_args={"connect_timeout": 5},
    )


def get_engine(settings: Settings | None = None) -> Engine:
    """The process-wide engine for the configured database (one per URL)."""
    url = (settings or get_settings()).sqlalchemy_url
    with _engines_lock:
        if url not in _engines:
            _engines[url] = create_db_engine(url)
        return _engines[url]


def dispose_engines() -> None:
    """Close every pooled connection (tests, and forked worker processes)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (routes answer from them)."""
    return sessionmaker(engine, expire_on_commit=False)


def get_sessions(settings: Settings | None = None) -> sessionmaker[Session]:
    """Sessions on the process-wide engine of the configured database."""
    return session_factory(get_engine(settings))


def lock_user(session: Session, user_id: int) -> None:
    """Hold the user's row lock until the transaction ends.

    PostgreSQL: ``SELECT ... FOR NO KEY UPDATE``, which serialises the holders of this lock but
    not the foreign-key checks of rows that reference the user (they take KEY SHARE). ``FOR
    UPDATE`` would conflict with those: two transactions that had each updated their own job
    twice (the second update re-checks the job's foreign key) then deadlocked upgrading to it.
    SQLite has no row locks, so a write to the row takes the database write lock now, before the
    balance is read, which serialises writers the same way.
    """
    if session.get_bind().dialect.name == "postgresql":
        mine = select(User.id).where(User.id == user_id).with_for_update(key_share=True)
        session.execute(mine)
    else:
        session.execute(update(User).where(User.id == user_id).values(locked_at=utcnow()))


def alembic_config(url: str) -> Any:
    """The Alembic configuration of this project, pointed at ``url``."""
    from alembic.config import Config

    config = Config(str(ALEMBIC_INI)) if ALEMBIC_INI.exists() else Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(settings: Settings | None = None) -> None:
    """Create or upgrade the schema to the newest migration (``frenchnovel db upgrade``)."""
    from alembic import command

    settings = settings or get_settings()
    url = settings.sqlalchemy_url
    if make_url(url).get_backend_name() == "sqlite":
        create_db_engine(url).dispose()  # creates the directory of the file
    command.upgrade(alembic_config(url), "head")


def ensure_schema(settings: Settings | None = None) -> None:
    """Upgrade a SQLite database on the spot (one-machine convenience); PostgreSQL is left to
    ``frenchnovel db upgrade`` so that several servers never race to migrate it."""
    settings = settings or get_settings()
    if make_url(settings.sqlalchemy_url).get_backend_name() == "sqlite":
        upgrade_database(settings)
