"""The life of one chunk of an asynchronous job, as conditional UPDATEs on its row.

A chunk task claims its row (pending → processing), and only the claim holder, identified by the
attempt number it got, can store the result or give the row back for a retry. A message delivered
again after its worker died carries the same task id, so it may take over a row left
``processing`` by that task; any other duplicate finds the row taken and does nothing.
Completing a chunk and counting it on the job happen in one transaction, and the one completion
that brings ``completed_chunks`` to ``total_chunks`` claims the merge (``merge_claimed_at``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.orm import Session

from frenchnovel.pipeline.result import ChunkResult
from frenchnovel.storage.models import ChunkStatus, Job, JobChunk, JobStatus, utcnow

MAX_ATTEMPTS = 4
"""A first try and three retries; a chunk claimed a fifth time (its worker died each time)
fails the job instead of killing workers forever."""


@dataclass(frozen=True, slots=True)
class Claim:
    job_id: str
    index: int
    attempt: int
    first_page: int
    last_page: int


@dataclass(frozen=True, slots=True)
class Completion:
    stored: bool
    completed_chunks: int = 0
    total_chunks: int = 0
    merge_claimed: bool = False


def lock_job(session: Session, job_id: str) -> None:
    """Lock the job's row before any of its chunks, the order cancel and fail use too: a chunk
    locked before its job here, and a job before its chunks there, deadlocked on PostgreSQL.
    (SQLite, one writer at a time, has no row locks and ignores FOR UPDATE.)"""
    session.execute(select(Job.id).where(Job.id == job_id).with_for_update())


def _processing_job(job_id: str) -> Any:
    return select(Job.id).where(Job.id == job_id, Job.status == JobStatus.PROCESSING.value)


def claim(session: Session, *, job_id: str, index: int, task_id: str) -> Claim | None:
    """Take the chunk for ``task_id``; None when it is done, cancelled, or held by another task,
    or when its job is no longer processing."""
    lock_job(session, job_id)
    now = utcnow()
    changed = session.execute(
        update(JobChunk)
        .where(
            JobChunk.job_id == job_id,
            JobChunk.index == index,
            JobChunk.job_id.in_(_processing_job(job_id)),
            or_(
                JobChunk.status == ChunkStatus.PENDING.value,
                and_(JobChunk.status == ChunkStatus.PROCESSING.value, JobChunk.task_id == task_id),
            ),
        )
        .values(
            status=ChunkStatus.PROCESSING.value,
            attempts=JobChunk.attempts + 1,
            started_at=now,
            task_id=task_id,
            error=None,
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(changed, "rowcount", 0) != 1:
        return None
    row = session.execute(
        select(JobChunk.attempts, JobChunk.first_page, JobChunk.last_page).where(
            JobChunk.job_id == job_id, JobChunk.index == index
        )
    ).one()
    _touch(session, job_id)
    return Claim(job_id, index, int(row.attempts), int(row.first_page), int(row.last_page))


def release(session: Session, *, claim: Claim, error: str) -> bool:
    """processing → pending, so that the retry of this task can claim it again."""
    changed = session.execute(
        update(JobChunk)
        .where(*_held(claim))
        .values(status=ChunkStatus.PENDING.value, error=error[:2000])
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(changed, "rowcount", 0) == 1)


def mark_failed(session: Session, *, claim: Claim, error: str) -> None:
    """processing → failed (the job is failed by the caller, in the same transaction)."""
    lock_job(session, claim.job_id)
    session.execute(
        update(JobChunk)
        .where(*_held(claim))
        .values(status=ChunkStatus.FAILED.value, finished_at=utcnow(), error=error[:2000])
        .execution_options(synchronize_session=False)
    )


def complete(session: Session, *, claim: Claim, result: ChunkResult) -> Completion:
    """Store the chunk's sentences, count it on the job, and claim the merge if it was the last.

    Nothing changes (``stored=False``) when the claim was lost: the job was cancelled or failed,
    or a later delivery of the same task took the row over.
    """
    lock_job(session, claim.job_id)
    now = utcnow()
    stored = session.execute(
        update(JobChunk)
        .where(*_held(claim))
        .values(status=ChunkStatus.COMPLETED.value, finished_at=now, result=result.to_dict())
        .execution_options(synchronize_session=False)
    )
    if getattr(stored, "rowcount", 0) != 1:
        return Completion(stored=False)
    done = Job.completed_chunks + 1
    session.execute(
        update(Job)
        .where(Job.id == claim.job_id, Job.status == JobStatus.PROCESSING.value)
        .values(
            completed_chunks=done,
            # 100 is kept for the merged, completed job.
            progress_percent=case(
                (done >= Job.total_chunks, 99), else_=done * 100 // Job.total_chunks
            ),
            current_step="processing",
            last_progress_at=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    merge = session.execute(
        update(Job)
        .where(
            Job.id == claim.job_id,
            Job.status == JobStatus.PROCESSING.value,
            Job.completed_chunks >= Job.total_chunks,
            Job.merge_claimed_at.is_(None),
        )
        .values(merge_claimed_at=now, current_step="merging", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    counts = session.execute(
        select(Job.completed_chunks, Job.total_chunks).where(Job.id == claim.job_id)
    ).one()
    return Completion(
        stored=True,
        completed_chunks=int(counts.completed_chunks),
        total_chunks=int(counts.total_chunks),
        merge_claimed=getattr(merge, "rowcount", 0) == 1,
    )


def awaiting_merge(session: Session, job_id: str) -> bool:
    """Whether every chunk is done and the job still waits for its merge (a merge that crashed
    after its claim is run again by whichever delivery notices it; merging is idempotent)."""
    row = session.execute(
        select(Job.status, Job.completed_chunks, Job.total_chunks).where(Job.id == job_id)
    ).first()
    return bool(
        row is not None
        and row.status == JobStatus.PROCESSING.value
        and row.completed_chunks >= row.total_chunks
    )


def _held(claim: Claim) -> tuple[Any, ...]:
    return (
        JobChunk.job_id == claim.job_id,
        JobChunk.index == claim.index,
        JobChunk.status == ChunkStatus.PROCESSING.value,
        JobChunk.attempts == claim.attempt,
    )


def _touch(session: Session, job_id: str) -> None:
    now = utcnow()
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.PROCESSING.value)
        .values(last_progress_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
