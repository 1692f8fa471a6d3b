"""The Celery tasks. Thin: ids in, the work done by ``chunk_flow`` and ``jobs``, retries decided
here from what those return. Tasks are registered by name on every app (``shared_task``), so the
API sends them by name without importing the pipeline."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from sqlalchemy.exc import DBAPIError

from frenchnovel.config import get_settings
from frenchnovel.jobs import events, maintenance, orphans
from frenchnovel.storage.blobs import blob_store
from frenchnovel.storage.db import get_sessions
from frenchnovel.storage.models import utcnow
from frenchnovel.worker import chunk_flow

log = logging.getLogger(__name__)

DATABASE_RETRIES = 5


@shared_task(bind=True, name="frenchnovel.process_chunk", max_retries=None)  # type: ignore[untyped-decorator]
def process_chunk(self: Any, job_id: str, index: int) -> None:
    """Process one chunk of an async job; the last one to finish merges the job."""
    settings = get_settings()
    try:
        outcome = chunk_flow.run_chunk(job_id, index, task_id=self.request.id, settings=settings)
    except DBAPIError as exc:
        # The database went away between two statements (restart, failover, a killed
        # connection): every step is a conditional UPDATE, so running the task again is safe.
        if self.request.retries >= DATABASE_RETRIES:
            raise
        raise self.retry(exc=exc, countdown=chunk_flow.backoff(self.request.retries + 1)) from exc
    if outcome is not None:
        # The attempt limit is counted in the database (chunk_flow), not by Celery, so that
        # deliveries lost with a killed worker count too.
        raise self.retry(exc=outcome.error, countdown=outcome.countdown)


@shared_task(name="frenchnovel.merge_job")  # type: ignore[untyped-decorator]
def merge_job(job_id: str) -> None:
    """Merge a job whose chunks are all done (idempotent: a second run changes nothing)."""
    settings = get_settings()
    chunk_flow.merge(get_sessions(settings), settings, job_id)


@shared_task(name="frenchnovel.reap_stuck_jobs")  # type: ignore[untyped-decorator]
def reap_stuck_jobs() -> list[str]:
    """Fail with TASK_TIMEOUT the jobs without progress for TASK_TIMEOUT_SECONDS, and the
    synchronous jobs whose API process is gone (``jobs.orphans``)."""
    settings = get_settings()
    with get_sessions(settings)() as session, session.begin():
        reaped = maintenance.reap_stuck_jobs(session, settings=settings, now=utcnow())
        reaped += orphans.fail_orphaned_jobs(session, me=None, now=utcnow())
    for job_id in reaped:
        log.warning("job %s failed: no progress, or its API process is gone", job_id)
        events.publish(settings, job_id, events.FAILED)
    return reaped


@shared_task(name="frenchnovel.send_waiting_chunks")  # type: ignore[untyped-decorator]
def send_waiting_chunks() -> int:
    """Send the held chunks the per-user cap allows (beat's sweep, after a worker crash)."""
    from frenchnovel.worker.dispatch import send_all_waiting

    return send_all_waiting(get_settings())


@shared_task(name="frenchnovel.cleanup_old_jobs")  # type: ignore[untyped-decorator]
def cleanup_old_jobs() -> list[str]:
    """Remove files and results of jobs finished more than JOB_RETENTION_HOURS ago."""
    settings = get_settings()
    now = utcnow()
    with get_sessions(settings)() as session, session.begin():
        purged = maintenance.purge_old_jobs(session, settings=settings, now=now)
        maintenance.remove_orphan_uploads(session, store=blob_store(settings), now=now)
    log.info("purged the files of %d old jobs", len(purged))
    return purged
