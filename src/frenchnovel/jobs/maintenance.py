"""Periodic upkeep (run by Celery beat): fail stuck jobs, and purge old jobs' files and results.

Both take ``*, session`` and only flush; the task owns the transaction. Job rows and the ledger
always stay: only what takes disk space (the PDF, the result, the chunks' sentences) goes.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from frenchnovel.config import Settings
from frenchnovel.errors import ErrorCode
from frenchnovel.jobs import service
from frenchnovel.storage import files
from frenchnovel.storage.models import (
    ACTIVE_STATUSES,
    FINAL_STATUSES,
    ChunkStatus,
    Job,
    JobChunk,
)

# Directories of uploads whose submission never produced a job row (the API died mid-upload).
_JOB_DIR = re.compile(r"^(estimate-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ORPHAN_AGE = timedelta(hours=1)


def reap_stuck_jobs(session: Session, *, settings: Settings, now: datetime) -> list[str]:
    """Fail with TASK_TIMEOUT (and refund, once) every job without progress for
    ``TASK_TIMEOUT_SECONDS``: its worker vanished, or its queue stopped. Returns their ids."""
    cutoff = now - timedelta(seconds=settings.task_timeout_seconds)
    stuck = session.scalars(
        select(Job.id).where(Job.status.in_(ACTIVE_STATUSES), Job.last_progress_at < cutoff)
    ).all()
    reaped = []
    for job_id in stuck:
        message = f"no progress for {settings.task_timeout_seconds} s; the credits were refunded"
        if service.fail(session, job_id=job_id, code=ErrorCode.TASK_TIMEOUT, message=message):
            session.execute(
                update(JobChunk)
                .where(
                    JobChunk.job_id == job_id,
                    JobChunk.status.in_([ChunkStatus.PENDING.value, ChunkStatus.PROCESSING.value]),
                )
                .values(status=ChunkStatus.FAILED.value, finished_at=now, error="task timeout")
            )
            reaped.append(job_id)
    session.flush()
    return reaped


def purge_old_jobs(session: Session, *, settings: Settings, now: datetime) -> list[str]:
    """Remove the files and results of jobs finished more than ``JOB_RETENTION_HOURS`` ago.

    A result that a younger job still points to (a reused duplicate) is kept until that job is
    old enough too. Returns the ids of the purged jobs.
    """
    cutoff = now - timedelta(hours=settings.job_retention_hours)
    due = session.scalars(
        select(Job).where(
            Job.status.in_(FINAL_STATUSES),
            Job.finished_at < cutoff,
            Job.files_purged_at.is_(None),
        )
    ).all()
    still_needed = set(
        session.scalars(
            select(Job.result_path).where(
                Job.result_path.is_not(None),
                Job.files_purged_at.is_(None),
                (Job.finished_at.is_(None)) | (Job.finished_at >= cutoff),
            )
        )
    )
    purged = []
    for job in due:
        if _owns_needed_result(job.id, still_needed):
            continue
        files.remove_job_files(settings.storage_dir, job.id)
        job.result_path = None
        job.files_purged_at = now
        session.execute(update(JobChunk).where(JobChunk.job_id == job.id).values(result=None))
        purged.append(job.id)
    session.flush()
    return purged


def _owns_needed_result(job_id: str, still_needed: set[str | None]) -> bool:
    return any(path is not None and path.startswith(f"{job_id}/") for path in still_needed)


def remove_orphan_uploads(session: Session, *, storage_dir: Path, now: datetime) -> list[str]:
    """Delete upload directories older than an hour that no job row knows about."""
    if not storage_dir.is_dir():
        return []
    removed = []
    for entry in storage_dir.iterdir():
        if not entry.is_dir() or not _JOB_DIR.match(entry.name):
            continue
        age = now.timestamp() - entry.stat().st_mtime
        if age < ORPHAN_AGE.total_seconds():
            continue
        if entry.name.startswith("estimate-") or session.get(Job, entry.name) is None:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed
