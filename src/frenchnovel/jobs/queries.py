"""Reading jobs: one job of a user, a user's jobs, a finished twin of a new submission."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.storage.models import Job, JobStatus


class JobNotFound(FrenchNovelError):
    code = ErrorCode.JOB_NOT_FOUND


MAX_JOB_ID = 36  # the length of the column (uuid4 text)


def find_job(session: Session, *, user_id: int, job_id: str) -> Job:
    """The user's job; another user's job is as missing as a job that does not exist."""
    if len(job_id) > MAX_JOB_ID or "\x00" in job_id:  # PostgreSQL refuses a NUL in text
        raise JobNotFound(f"no job {job_id[:MAX_JOB_ID]}")
    job = session.get(Job, job_id)
    if job is None or job.user_id != user_id:
        raise JobNotFound(f"no job {job_id}")
    return job


def list_jobs(session: Session, *, user_id: int, limit: int, offset: int) -> tuple[list[Job], int]:
    """The user's jobs, newest first, and how many there are in all."""
    jobs = session.scalars(
        select(Job)
        .where(Job.user_id == user_id)
        .order_by(Job.created_at.desc(), Job.id)
        .limit(limit)
        .offset(offset)
    ).all()
    total = session.scalar(select(func.count()).select_from(Job).where(Job.user_id == user_id))
    return list(jobs), int(total or 0)


def find_reusable(session: Session, *, user_id: int, sha256: str, fingerprint: str) -> Job | None:
    """A completed job of this user on the same bytes with the same settings, result still kept."""
    return session.scalars(
        select(Job)
        .where(
            Job.user_id == user_id,
            Job.file_sha256 == sha256,
            Job.settings_fingerprint == fingerprint,
            Job.status == JobStatus.COMPLETED.value,
            Job.result_path.is_not(None),
            Job.files_purged_at.is_(None),
        )
        .order_by(Job.created_at.desc())
        .limit(1)
    ).first()
