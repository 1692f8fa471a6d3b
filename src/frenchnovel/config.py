"""The one settings object, read from the environment (see DESIGN.md, "Environment")."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from frenchnovel.errors import SettingsError

Engine = Literal["local", "gemini", "openai"]
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]")


class Settings(BaseSettings):
    """Service-wide configuration. Bad values fail at start-up with a clear message."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    redis_url: str | None = None
    database_url: str | None = None
    storage_dir: Path = Path("./var")
    # Uploads, results, OCR pages and decks in an S3-compatible store (``s3://bucket/prefix``)
    # instead of ``STORAGE_DIR``, which then holds only scratch files (and SQLite, if used).
    storage_url: str | None = None
    s3_endpoint_url: str | None = None
    # Results answered by a redirect to a presigned URL valid this long; 0 streams them.
    s3_presign_seconds: int = Field(0, ge=0, le=7 * 24 * 3600)
    # How long one request to the store may wait for an answer before it is retried.
    s3_timeout_seconds: float = Field(30.0, gt=0, le=600)

    async_processing_enabled: bool = True
    chunking_threshold_pages: int = Field(50, ge=1)
    chunk_size_pages: int = Field(50, ge=1, le=500)
    max_workers: int = Field(4, ge=1, le=64)
    worker_memory_limit_mb: int = Field(2048, ge=64)
    task_timeout_seconds: int = Field(3600, ge=5)
    max_file_size_mb: int = Field(50, ge=1, le=2048)
    max_pages: int = Field(2000, ge=1)
    job_retention_hours: int = Field(24, ge=1)
    rate_limit_submissions: int = Field(10, ge=1)
    max_concurrent_jobs_per_user: int = Field(3, ge=1)
    rate_limit_estimates: int = Field(60, ge=1)
    # Uploads and estimates that may wait for a PDF check, and small jobs for a processing
    # slot, without holding a thread; past it, 429 SERVER_BUSY with Retry-After.
    max_waiting_requests: int = Field(50, ge=0, le=10_000)
    # What reading one page may cost when a file is checked, in CPU seconds: a check of N
    # pages may use N × this (at least 100 pages' worth) before it is refused (PDF_TOO_COMPLEX).
    pdf_check_seconds_per_page: float = Field(0.01, gt=0, le=10)
    # Fairness between users (jobs.fairness): chunks of one user queued or running at once,
    # and the largest job, in pages, whose chunks go to the small-job queue served first.
    max_chunks_in_flight_per_user: int = Field(2, ge=1, le=10_000)
    small_job_max_pages: int = Field(200, ge=0)
    monthly_credit_grant: int = Field(10_000, ge=0)
    credit_overdraft_floor: int = Field(-100, le=0)

    default_engine: Engine = "local"
    gemini_api_key: str | None = None
    gemini_base_url: str | None = None
    gemini_model_balanced: str = "gemini-2.5-flash"
    gemini_model_speed: str = "gemini-2.5-flash-lite"
    gemini_model_quality: str = "gemini-2.5-pro"
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    llm_batch_size: int = Field(20, ge=1, le=200)
    llm_requests_per_minute: int = Field(300, ge=1)
    llm_tokens_per_minute: int = Field(200_000, ge=100)
    llm_concurrency: int = Field(8, ge=1, le=256)
    llm_timeout_seconds: float = Field(120.0, gt=0)
    llm_max_attempts: int = Field(5, ge=1, le=20)
    llm_backoff_seconds: float = Field(1.0, ge=0)
    # How long one request keeps retrying 429, 5xx and network failures before its batch is
    # rewritten by ``local`` instead: the job goes on rather than waiting on a provider for ever.
    llm_retry_budget_seconds: float = Field(120.0, ge=0, le=3600)

    cors_origins: list[str] = Field(default_factory=list)
    debug: bool = False

    # Observability (issue 15): log lines as text or JSON; a worker's Prometheus port (0: off).
    # Traces follow OpenTelemetry's own OTEL_* variables (observe/tracing.py).
    log_format: Literal["text", "json"] = "text"
    worker_metrics_port: int = Field(0, ge=0, le=65535)
    worker_metrics_host: str = "0.0.0.0"

    @field_validator(
        "redis_url",
        "database_url",
        "gemini_api_key",
        "openai_api_key",
        "storage_url",
        "s3_endpoint_url",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("storage_url")
    @classmethod
    def _an_s3_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        scheme, _, rest = value.partition("://")
        bucket = rest.split("/", 1)[0]
        if scheme != "s3" or not _BUCKET.fullmatch(bucket):
            raise ValueError(
                f"expected s3://bucket/prefix (a bucket of 3-63 characters), not {value!r}"
            )
        return value

    @field_validator("s3_endpoint_url")
    @classmethod
    def _an_http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"expected an http:// or https:// URL, not {value!r}")
        return value

    @property
    def max_file_size_bytes(self) -> int:
        return self.max_file_size_mb * 1024 * 1024

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL, SQLite under ``STORAGE_DIR`` when ``DATABASE_URL`` is unset."""
        if self.database_url:
            url = self.database_url
            if url.startswith("postgres://"):
                url = "postgresql://" + url.removeprefix("postgres://")
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
            return url
        return f"sqlite:///{(self.storage_dir / 'frenchnovel.db').resolve()}"


def load_settings() -> Settings:
    """Read the environment, turning pydantic's report into one readable message."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"bad configuration: {problems}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cleared by tests with ``get_settings.cache_clear()``)."""
    return load_settings()
