"""Shapes of the API's answers (they become the OpenAPI schema at ``/docs``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from frenchnovel.billing.credits import CreditSummary
from frenchnovel.storage.models import CreditEntry, Job


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class SentenceView(BaseModel):
    index: int
    text: str
    original: str
    page: int
    rewritten: bool
    over_limit: bool = Field(
        False,
        description="More words than the limit: the engine kept a clause whole rather than "
        "break it into fragments.",
    )
    chapter: int = Field(0, description="The chapter it belongs to, from 1 (see chapters).")


class ChapterView(BaseModel):
    index: int = Field(description="From 1, in reading order.")
    title: str = Field(description="The heading, or the part's title, or empty before any.")
    part: str = Field(description="The title of the part it belongs to, or empty.")
    first_sentence: int = Field(description="The index of its first sentence.")
    page: int = Field(description="Where it starts: a PDF page, an EPUB section.")


class JobError(BaseModel):
    code: str
    message: str

    @classmethod
    def of(cls, code: str | None, message: str | None) -> JobError | None:
        """The error of a failed job or deck row, or None when it has none."""
        return cls(code=code, message=message or "") if code else None


class JobView(BaseModel):
    job_id: str
    status: str
    is_async: bool
    filename: str
    file_size: int
    page_count: int
    settings: dict[str, Any]
    engine: str
    model: str
    total_chunks: int
    completed_chunks: int
    progress_percent: int
    current_step: str
    estimated_tokens: int
    estimated_credits: int
    actual_tokens: int | None
    actual_credits: int | None
    sentence_count: int | None
    error: JobError | None
    reused_from_job_id: str | None
    result_available: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime

    @classmethod
    def of(cls, job: Job) -> JobView:
        error = JobError.of(job.error_code, job.error_message)
        return cls(
            job_id=job.id,
            status=job.status,
            is_async=job.is_async,
            filename=job.filename,
            file_size=job.file_size,
            page_count=job.page_count,
            settings=job.settings,
            engine=job.engine,
            model=job.model,
            total_chunks=job.total_chunks,
            completed_chunks=job.completed_chunks,
            progress_percent=job.progress_percent,
            current_step=job.current_step,
            estimated_tokens=job.estimated_tokens,
            estimated_credits=job.estimated_credits,
            actual_tokens=job.actual_tokens,
            actual_credits=job.actual_credits,
            sentence_count=job.sentence_count,
            error=error,
            reused_from_job_id=job.reused_from_job_id,
            result_available=job.result_path is not None,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            updated_at=job.updated_at,
        )


class JobPage(BaseModel):
    jobs: list[JobView]
    total: int
    page: int
    per_page: int


class ProcessedAnswer(BaseModel):
    """200: a small file, processed at once (or a finished twin reused)."""

    job_id: str
    status: Literal["completed"] = "completed"
    reused_from_job_id: str | None = None
    page_count: int
    sentences: list[SentenceView]
    chapters: list[ChapterView] = []
    front_matter: str = Field("", description="Title pages, contents, notices: not sentences.")
    back_matter: str = Field("", description="Colophons, notes, contents at the end.")
    stats: dict[str, Any] = Field(
        description="image_only_pages, source_sentences, sentences, rewritten, over_limit "
        "(sentences over the limit), fallbacks, tokens, ocr_pages (pages read by OCR), engine, "
        "model, seconds."
    )


class AcceptedAnswer(BaseModel):
    """202: a large file, queued for the workers."""

    job_id: str
    status: Literal["processing"] = "processing"
    is_async: bool = Field(True, serialization_alias="async")
    message: str
    total_chunks: int


class EstimateAnswer(BaseModel):
    pages: int
    estimated_tokens: int
    estimated_credits: int
    engine: str
    model: str
    balance: int
    allowed: bool
    is_async: bool = Field(serialization_alias="async")
    ocr_pages: int = Field(0, description="pages to read by OCR, one credit each")


class CreditsAnswer(BaseModel):
    balance: int
    granted: int
    used: int
    refunded: int
    month: str
    next_reset: datetime
    overdraft_floor: int

    @classmethod
    def of(cls, summary: CreditSummary) -> CreditsAnswer:
        return cls(
            balance=summary.balance,
            granted=summary.granted,
            used=summary.used,
            refunded=summary.refunded,
            month=summary.month,
            next_reset=summary.next_reset,
            overdraft_floor=summary.overdraft_floor,
        )


class LedgerEntryView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    amount: int
    job_id: str | None
    note: str
    created_at: datetime

    @classmethod
    def of(cls, entry: CreditEntry) -> LedgerEntryView:
        return cls.model_validate(entry)


class LedgerPage(BaseModel):
    entries: list[LedgerEntryView]
    total: int
    balance: int
    page: int
    per_page: int


class SettingsUpdate(BaseModel):
    """Any subset of the job settings; the rest keeps its stored value."""

    model_config = ConfigDict(extra="forbid")

    sentence_length_limit: int | None = None
    min_sentence_length: int | None = None
    ignore_dialogue: bool | None = None
    preserve_formatting: bool | None = None
    fix_hyphenation: bool | None = None
    engine: str | None = None
    model_preference: str | None = None
    ocr: str | None = None


class HealthAnswer(BaseModel):
    status: Literal["ok", "degraded"]
    database: str
    broker: str
