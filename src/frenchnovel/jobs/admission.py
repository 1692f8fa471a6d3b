"""An upload in two steps: admitted before its file is checked, opened once the check is done.

The per-user limits come first, while they are cheap: ``admit`` checks the hourly rate and the
cap on jobs at once and writes the job, ``pending`` at step ``checking``, before any page is
read. So the check of a file counts against its sender's limits whatever it finds, and one
account cannot have more than ``MAX_CONCURRENT_JOBS_PER_USER`` files checked at once. Then
``open_job`` turns the admitted job into real work (chunks and the credit reservation, or a finished
twin's result), or ``refuse`` fails it with the check's code: a refused file stays in the list
as a failed job and costs nothing. ``withdraw`` removes an admitted job the server itself had no
room to check (``SERVER_BUSY``): that one is not the sender's doing and does not count.

Each takes ``*, session`` and only flushes; the route owns the transactions.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from frenchnovel.billing import credits
from frenchnovel.config import Settings
from frenchnovel.errors import ErrorCode
from frenchnovel.jobs import service
from frenchnovel.jobs.limits import check_concurrency, check_rate_limit
from frenchnovel.jobs.queries import find_reusable
from frenchnovel.jobs.submission import Submission, model_for
from frenchnovel.observe import metrics
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.storage.db import lock_user
from frenchnovel.storage.models import Job, JobStatus, utcnow

CHECKING = "checking"


@dataclass(frozen=True, slots=True)
class Upload:
    """What is known of an uploaded file before it is read."""

    job_id: str
    filename: str
    file_size: int
    file_sha256: str
    options: JobOptions


def admit(
    session: Session,
    *,
    user_id: int,
    upload: Upload,
    settings: Settings,
    api_instance_id: str | None = None,
) -> Job:
    """Check the user's limits and write the job, pending while its file is checked.

    Raises ``RATE_LIMITED`` or ``TOO_MANY_JOBS``; holds the user's row lock, so that
    concurrent uploads of one user are counted one after the other. Until it is known to be an
    asynchronous job, the job belongs to ``api_instance_id``, the API process checking it: if
    that process dies, ``orphans`` fails it.
    """
    now = utcnow()
    lock_user(session, user_id)
    credits.ensure_monthly_grant(session, user_id, settings, now)
    check_rate_limit(session, user_id=user_id, settings=settings, now=now)
    check_concurrency(session, user_id=user_id, settings=settings)
    job = Job(
        id=upload.job_id,
        user_id=user_id,
        status=JobStatus.PENDING.value,
        filename=upload.filename,
        file_size=upload.file_size,
        file_sha256=upload.file_sha256,
        settings=upload.options.model_dump(),
        settings_fingerprint=upload.options.fingerprint(),
        engine=upload.options.engine,
        model=model_for(upload.options, settings),
        total_chunks=0,
        current_step=CHECKING,
        api_instance_id=api_instance_id,
        created_at=now,
        updated_at=now,
        last_progress_at=now,
    )
    session.add(job)
    session.flush()
    metrics.job_entered(session, JobStatus.PENDING.value)
    return job


def open_job(
    session: Session, *, submission: Submission, settings: Settings
) -> service.SubmitOutcome:
    """Give the admitted job its checked size: reuse a finished twin, or plan its chunks and
    reserve its estimate (``INSUFFICIENT_CREDITS`` below the floor).

    Raises ``JOB_CANCELLED`` when the job was cancelled while its file was checked
    (``INVALID_JOB_STATUS`` if it ended otherwise).
    """
    job = session.get(Job, submission.job_id)
    assert job is not None
    lock_user(session, job.user_id)
    locked = select(Job).where(Job.id == job.id).with_for_update()
    job = session.scalars(locked.execution_options(populate_existing=True)).one()
    if job.status == JobStatus.CANCELLED.value:
        raise service.InvalidJobStatus(
            f"job {job.id} was cancelled while its file was checked", code=ErrorCode.JOB_CANCELLED
        )
    if job.status != JobStatus.PENDING.value:
        raise service.InvalidJobStatus(f"job {job.id} was {job.status} while its file was checked")
    now = utcnow()
    job.page_count = submission.page_count
    job.is_async = submission.is_async
    if job.is_async:
        job.api_instance_id = None  # the workers' from now on, not this API process's
    job.total_chunks = len(submission.chunks)
    job.estimated_tokens = submission.estimated_tokens
    job.estimated_credits = submission.estimated_credits
    job.current_step = "queued"
    job.updated_at = job.last_progress_at = now
    twin = find_reusable(
        session,
        user_id=job.user_id,
        sha256=submission.file_sha256,
        fingerprint=submission.options.fingerprint(),
    )
    if twin is not None:
        service.mark_reused(job, twin, now)
        session.flush()
        return service.SubmitOutcome(job=job, reused=True)
    session.flush()
    service.open_work(session, job=job, submission=submission, settings=settings)
    return service.SubmitOutcome(job=job, reused=False)


def balance(session: Session, *, user_id: int, settings: Settings) -> int:
    """The user's balance, this month's grant included (an estimate's "may I?")."""
    credits.ensure_monthly_grant(session, user_id, settings)
    return credits.balance(session, user_id)


def affordable(balance: int, cost: int, settings: Settings) -> bool:
    """Whether a job of ``cost`` credits would be accepted at ``balance``."""
    return credits.affordable(balance, cost, settings.credit_overdraft_floor)


def refuse(session: Session, *, job_id: str, code: ErrorCode, message: str) -> None:
    """Fail an admitted job whose file (or cost) was refused; nothing was reserved yet."""
    service.fail(session, job_id=job_id, code=code, message=message)


def withdraw(session: Session, *, job_id: str) -> bool:
    """Remove an admitted job that was never checked (it has no chunk and no ledger line);
    False when the job is past its check (or gone)."""
    removed = session.execute(
        delete(Job).where(
            Job.id == job_id,
            Job.status == JobStatus.PENDING.value,
            Job.current_step == CHECKING,
        )
    )
    return bool(getattr(removed, "rowcount", 0) == 1)
