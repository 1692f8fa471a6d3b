"""Periodic upkeep (run by Celery beat): fail stuck jobs, and purge old jobs' files and results.

Both take ``*, session`` and only flush; the task owns the transaction. Job rows and the ledger
always stay: only what takes space (the novel, its OCR pages and result in the blob store, the
chunks' sentences) goes, on either backend.
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
from frenchnovel.storage.blobs import BlobStore, blob_store
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
    store = blob_store(settings)
    for job in due:
        if _owns_needed_result(job.id, still_needed):
            continue
        files.discard(store, job.id)
        job.result_path = None
        job.files_purged_at = now
        session.execute(update(JobChunk).where(JobChunk.job_id == job.id).values(result=None))
        purged.append(job.id)
    session.flush()
    return purged


def _owns_needed_result(job_id: str, still_needed: set[str | None]) -> bool:
    return any(path is not None and path.startswith(f"{job_id}/") for path in still_needed)


def remove_orphan_uploads(session: Session, *, store: BlobStore, now: datetime) -> list[str]:
    """Delete the uploads of jobs no row knows about (the API died between the upload and the
    job), and estimates' leftovers, once nothing under them changed for an hour; and this
    process's scratch files as old (a process killed inside a ``finally``)."""
    newest: dict[str, datetime] = {}
    for blob in store.list():
        top = blob.key.split("/", 1)[0]
        if "/" in blob.key and _JOB_DIR.match(top):
            newest[top] = max(newest.get(top, blob.modified), blob.modified)
    removed = []
    for name, modified in sorted(newest.items()):
        if now.timestamp() - modified.timestamp() < ORPHAN_AGE.total_seconds():
            continue
        if name.startswith("estimate-") or session.get(Job, name) is None:
            store.delete_prefix(f"{name}/")
            removed.append(name)
    remove_old_scratch(store.scratch_dir, now)
    return removed


def remove_old_scratch(scratch: Path, now: datetime) -> None:
    """Scratch copies older than an hour: left by a process killed inside its ``finally``."""
    if not scratch.is_dir():
        return
    for entry in scratch.iterdir():
        try:
            old = now.timestamp() - entry.stat().st_mtime >= ORPHAN_AGE.total_seconds()
        except FileNotFoundError:
            continue
        if old and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        elif old:
            entry.unlink(missing_ok=True)
