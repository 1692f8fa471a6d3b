"""Job use cases. Each takes ``*, session`` and only flushes: the route or task commits.

State changes are conditional UPDATEs (``WHERE status IN ...``) checked for exactly one changed
row, so a cancelled job never flips back to completed and a redelivered message does no harm.
Money moves through ``billing.credits``, whose unique keys make each movement happen once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from frenchnovel.billing import credits
from frenchnovel.config import Settings
from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.jobs.limits import check_concurrency, check_rate_limit
from frenchnovel.jobs.queries import find_job, find_reusable
from frenchnovel.jobs.submission import Submission
from frenchnovel.observe import metrics
from frenchnovel.pipeline.result import Result
from frenchnovel.storage.db import lock_user
from frenchnovel.storage.models import (
    ACTIVE_STATUSES,
    ChunkStatus,
    Job,
    JobChunk,
    JobStatus,
    utcnow,
)


class InvalidJobStatus(FrenchNovelError):
    code = ErrorCode.INVALID_JOB_STATUS


@dataclass(frozen=True, slots=True)
class SubmitOutcome:
    job: Job
    reused: bool


def _job_from(submission: Submission, user_id: int, now: datetime) -> Job:
    return Job(
        id=submission.job_id,
        user_id=user_id,
        status=JobStatus.PENDING.value,
        is_async=submission.is_async,
        filename=submission.filename,
        file_size=submission.file_size,
        file_sha256=submission.file_sha256,
        page_count=submission.page_count,
        settings=submission.options.model_dump(),
        settings_fingerprint=submission.options.fingerprint(),
        engine=submission.engine,
        model=submission.model,
        total_chunks=len(submission.chunks),
        estimated_tokens=submission.estimated_tokens,
        estimated_credits=submission.estimated_credits,
        created_at=now,
        updated_at=now,
        last_progress_at=now,
    )


def submit(
    session: Session,
    *,
    user_id: int,
    submission: Submission,
    settings: Settings,
    api_instance_id: str | None = None,
) -> SubmitOutcome:
    """Create a job, its chunk rows and its credit reservation, or reuse a finished twin.

    Holds the user's row lock so that the limits and the balance are checked and the reservation
    made atomically, also under concurrent submissions. A reused job costs nothing: no new work.
    A synchronous job belongs to ``api_instance_id``, the API process that runs it (``orphans``).
    """
    now = utcnow()
    lock_user(session, user_id)
    credits.ensure_monthly_grant(session, user_id, settings, now)
    check_rate_limit(session, user_id=user_id, settings=settings, now=now)
    twin = find_reusable(
        session,
        user_id=user_id,
        sha256=submission.file_sha256,
        fingerprint=submission.options.fingerprint(),
    )
    job = _job_from(submission, user_id, now)
    if twin is not None:
        mark_reused(job, twin, now)
        session.add(job)
        session.flush()
        return SubmitOutcome(job=job, reused=True)
    check_concurrency(session, user_id=user_id, settings=settings)
    if not job.is_async:
        job.api_instance_id = api_instance_id
    session.add(job)
    session.flush()
    open_work(session, job=job, submission=submission, settings=settings)
    metrics.job_entered(session, JobStatus.PENDING.value)
    return SubmitOutcome(job=job, reused=False)


def mark_reused(job: Job, twin: Job, now: datetime) -> None:
    """Make ``job`` a completed copy of its finished twin's result: no work, no charge."""
    job.status = JobStatus.COMPLETED.value
    job.is_async = False
    job.reused_from_job_id = twin.id
    job.result_path = twin.result_path
    job.total_chunks = job.completed_chunks = 0
    job.progress_percent = 100
    job.current_step = "reused"
    job.actual_tokens = job.actual_credits = 0
    job.source_sentences, job.sentence_count = twin.source_sentences, twin.sentence_count
    job.started_at = job.finished_at = now


def open_work(session: Session, *, job: Job, submission: Submission, settings: Settings) -> None:
    """The chunk rows of a new job and its credit reservation (user row lock held)."""
    session.add_all(
        JobChunk(job_id=job.id, index=i, first_page=first, last_page=last)
        for i, (first, last) in enumerate(submission.chunks)
    )
    credits.reserve(
        session,
        user_id=job.user_id,
        job_id=job.id,
        amount=submission.estimated_credits,
        floor=settings.credit_overdraft_floor,
    )
    metrics.credits_moved(session, "reserved", submission.estimated_credits)
    session.flush()


def start(session: Session, *, job_id: str, step: str = "processing") -> bool:
    """pending → processing; False when the job is no longer pending (e.g. cancelled)."""
    now = utcnow()
    changed = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.PENDING.value)
        .values(
            status=JobStatus.PROCESSING.value,
            started_at=now,
            current_step=step,
            last_progress_at=now,
            updated_at=now,
        )
    )
    if not _one_row(changed):
        return False
    metrics.job_entered(session, JobStatus.PROCESSING.value)
    return True


def set_step(session: Session, *, job_id: str, step: str) -> bool:
    """Name what a processing job is doing now (e.g. ``ocr``); False when it is not processing."""
    now = utcnow()
    changed = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.PROCESSING.value)
        .values(current_step=step, last_progress_at=now, updated_at=now)
    )
    return _one_row(changed)


def complete(
    session: Session, *, job_id: str, result: Result, result_path: str, settings: Settings
) -> bool:
    """processing → completed, then settle the credits at the actual usage (once).

    False, and nothing charged, when the job was cancelled or failed meanwhile.
    """
    from frenchnovel.billing.pricing import credits_for, ocr_credits

    now = utcnow()
    changed = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.PROCESSING.value)
        .values(
            status=JobStatus.COMPLETED.value,
            result_path=result_path,
            progress_percent=100,
            completed_chunks=Job.total_chunks,
            current_step="completed",
            actual_tokens=result.stats.tokens,
            source_sentences=result.stats.source_sentences,
            sentence_count=len(result.sentences),
            finished_at=now,
            last_progress_at=now,
            updated_at=now,
        )
    )
    if not _one_row(changed):
        return False
    job = session.get(Job, job_id)
    assert job is not None
    session.refresh(job)
    # The excess is charged down to the floor: the balance it reads must not move meanwhile
    # (concurrent completions and submissions of the same user would each see the same room).
    lock_user(session, job.user_id)
    charged = credits.adjust(
        session,
        user_id=job.user_id,
        job_id=job.id,
        reserved=job.estimated_credits,
        actual=credits_for(result.stats.tokens, job.model) + ocr_credits(result.stats.ocr_pages),
        floor=settings.credit_overdraft_floor,
    )
    job.actual_credits = charged
    session.flush()
    metrics.job_entered(session, JobStatus.COMPLETED.value)
    metrics.credits_moved(session, "charged", charged)
    started = job.started_at
    seconds = (now - started).total_seconds() if started is not None else None
    metrics.job_finished(session, mode="async" if job.is_async else "sync", seconds=seconds)
    return True


def fail(session: Session, *, job_id: str, code: ErrorCode | str, message: str) -> bool:
    """pending|processing → failed, with a full refund (once); False when already final."""
    now = utcnow()
    changed = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_(ACTIVE_STATUSES))
        .values(
            status=JobStatus.FAILED.value,
            error_code=str(code),
            error_message=message[:2000],
            current_step="failed",
            finished_at=now,
            updated_at=now,
        )
    )
    if not _one_row(changed):
        return False
    session.execute(
        update(JobChunk)
        .where(
            JobChunk.job_id == job_id,
            JobChunk.status.in_([ChunkStatus.PENDING.value, ChunkStatus.PROCESSING.value]),
        )
        .values(status=ChunkStatus.FAILED.value, finished_at=now)
    )
    _refund(session, job_id, note=f"refund: failed with {code}")
    metrics.job_entered(session, JobStatus.FAILED.value)
    return True


def cancel(session: Session, *, user_id: int, job_id: str) -> Job:
    """Cancel the user's pending or processing job, with a full refund (once)."""
    job = find_job(session, user_id=user_id, job_id=job_id)
    now = utcnow()
    changed = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_(ACTIVE_STATUSES))
        .values(
            status=JobStatus.CANCELLED.value,
            current_step="cancelled",
            finished_at=now,
            updated_at=now,
        )
    )
    if not _one_row(changed):
        raise InvalidJobStatus(f"job {job_id} is {job.status}; only pending or processing jobs")
    session.execute(
        update(JobChunk)
        .where(
            JobChunk.job_id == job_id,
            JobChunk.status.in_([ChunkStatus.PENDING.value, ChunkStatus.PROCESSING.value]),
        )
        .values(status=ChunkStatus.CANCELLED.value, finished_at=now)
    )
    _refund(session, job_id, note="refund: cancelled")
    metrics.job_entered(session, JobStatus.CANCELLED.value)
    session.refresh(job)
    return job


def is_cancelled(session: Session, job_id: str) -> bool:
    """Whether the job was cancelled (checked by running work between batches)."""
    status = session.scalar(select(Job.status).where(Job.id == job_id))
    return status == JobStatus.CANCELLED.value


def _refund(session: Session, job_id: str, *, note: str) -> int:
    job = session.get(Job, job_id)
    assert job is not None
    refunded = credits.refund(session, user_id=job.user_id, job_id=job_id, note=note)
    metrics.credits_moved(session, "refunded", refunded)
    return refunded


def _one_row(result: Any) -> bool:
    return bool(getattr(result, "rowcount", 0) == 1)
