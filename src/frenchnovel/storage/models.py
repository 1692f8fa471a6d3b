"""The database schema: users, API tokens, user settings, jobs, job chunks and the credit ledger.

Column names are a contract with the worker and the migrations: add columns, never rename them.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable constraint names so that Alembic (and batch mode on SQLite) can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, timezone-aware in UTC (every timestamp column stores UTC)."""
    return datetime.now(UTC)


def new_job_id() -> str:
    """A random, unguessable job id."""
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """A UTC timestamp that comes back timezone-aware on SQLite too (which stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        if value is not None and dialect.name == "sqlite":
            return value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
    }


class JobStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE_STATUSES = (JobStatus.PENDING.value, JobStatus.PROCESSING.value)
FINAL_STATUSES = (JobStatus.COMPLETED.value, JobStatus.FAILED.value, JobStatus.CANCELLED.value)


class ChunkStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class LedgerKind(StrEnum):
    MONTHLY_GRANT = "monthly_grant"
    GRANT = "grant"
    RESERVATION = "reservation"
    ADJUSTMENT = "adjustment"
    REFUND = "refund"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Written by ``storage.db.lock_user`` on SQLite to take the write lock (see there).
    locked_at: Mapped[datetime | None] = mapped_column(default=None)


class ApiToken(Base):
    """A Bearer token, kept only as its sha256 so that a database leak reveals no token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class UserSettings(Base):
    """A user's default job settings (the fields of ``JobOptions``)."""

    __tablename__ = "user_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Job(Base):
    """One processing of one uploaded file, synchronous (one chunk) or asynchronous (many)."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_user_id_created_at", "user_id", "created_at"),
        Index("ix_jobs_user_id_status", "user_id", "status"),
        Index("ix_jobs_user_id_file_sha256", "user_id", "file_sha256"),
        Index("ix_jobs_status_last_progress_at", "status", "last_progress_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_job_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.PENDING.value)
    is_async: Mapped[bool] = mapped_column(default=False)

    filename: Mapped[str] = mapped_column(String(255), default="")
    file_size: Mapped[int] = mapped_column(BigInteger, default=0)
    file_sha256: Mapped[str] = mapped_column(String(64))
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    settings_fingerprint: Mapped[str] = mapped_column(Text, default="")
    engine: Mapped[str] = mapped_column(String(32), default="local")
    model: Mapped[str] = mapped_column(String(64), default="local")

    total_chunks: Mapped[int] = mapped_column(Integer, default=1)
    completed_chunks: Mapped[int] = mapped_column(Integer, default=0)
    progress_percent: Mapped[int] = mapped_column(Integer, default=0)
    current_step: Mapped[str] = mapped_column(String(64), default="queued")
    # Set by the one transaction that claims the merge of an async job (merge exactly once).
    merge_claimed_at: Mapped[datetime | None] = mapped_column(default=None)

    estimated_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    estimated_credits: Mapped[int] = mapped_column(BigInteger, default=0)
    actual_tokens: Mapped[int | None] = mapped_column(BigInteger, default=None)
    actual_credits: Mapped[int | None] = mapped_column(BigInteger, default=None)

    error_code: Mapped[str | None] = mapped_column(String(64), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)

    reused_from_job_id: Mapped[str | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"), default=None
    )
    # Relative to STORAGE_DIR; None until a result exists, and again once cleanup removed it.
    result_path: Mapped[str | None] = mapped_column(String(255), default=None)
    source_sentences: Mapped[int | None] = mapped_column(Integer, default=None)
    sentence_count: Mapped[int | None] = mapped_column(Integer, default=None)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_progress_at: Mapped[datetime] = mapped_column(default=utcnow)
    files_purged_at: Mapped[datetime | None] = mapped_column(default=None)
    # The API process running a synchronous job (``ApiInstance.id``): when it is gone, the job
    # is failed and refunded by the next API to start (``jobs.orphans``).
    api_instance_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)


class ApiInstance(Base):
    """A running API process, which synchronous jobs belong to; ``seen_at`` is its heartbeat."""

    __tablename__ = "api_instances"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # The machine and its process namespace (two containers may both run a process 1).
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobChunk(Base):
    """One page range of a job; ``result`` holds its ``ChunkResult.to_dict()``."""

    __tablename__ = "job_chunks"
    __table_args__ = (UniqueConstraint("job_id", "index", name="uq_job_chunks_job_id_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(Integer)
    first_page: Mapped[int] = mapped_column(Integer)
    last_page: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=ChunkStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    task_id: Mapped[str | None] = mapped_column(String(64), default=None)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    result: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)


class CreditEntry(Base):
    """One line of the append-only credit ledger; the balance is the sum of ``amount``.

    ``key`` makes each money movement happen at most once: ``monthly:<user>:<YYYY-MM>``,
    ``job:<id>:<kind>`` for reservation, adjustment and refund, ``grant:<uuid>`` for grants.
    """

    __tablename__ = "credit_ledger"
    __table_args__ = (Index("ix_credit_ledger_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    amount: Mapped[int] = mapped_column(BigInteger)
    job_id: Mapped[str | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"), default=None, index=True
    )
    note: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
