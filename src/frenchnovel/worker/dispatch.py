"""Handing a committed job to the workers, and taking queued chunks back when it is cancelled.

Called only after the commit that created the job and its chunk rows, so a worker never looks
for a row that is not there yet. Task ids are derived from the job id and the chunk index:
a cancel can revoke them without having stored anything, and a redelivered message keeps its id.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings, get_settings
from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.jobs import events, service
from frenchnovel.storage.db import get_sessions
from frenchnovel.storage.models import JobChunk
from frenchnovel.worker.celery_app import get_celery

log = logging.getLogger(__name__)

PROCESS_CHUNK = "frenchnovel.process_chunk"
# A user waits for the 202: a broker that is down is reported within seconds, not retried for long.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1}


def chunk_task_id(job_id: str, index: int) -> str:
    """The Celery task id of one chunk of a job."""
    return f"{job_id}.{index}"


def enqueue_job(
    job_id: str,
    *,
    settings: Settings | None = None,
    sessions: sessionmaker[Session] | None = None,
) -> int:
    """Start a pending async job (pending → processing) and queue one task per chunk.

    Returns how many tasks were queued: 0 when the job was no longer pending (already queued,
    or cancelled meanwhile). When the broker cannot be reached the job fails with
    PROCESSING_ERROR and is refunded, and the error is raised for the caller to report.
    """
    settings = settings or get_settings()
    sessions = sessions or get_sessions(settings)
    with sessions() as session, session.begin():
        if not service.start(session, job_id=job_id, step="queued"):
            return 0
        indices = list(
            session.scalars(
                select(JobChunk.index).where(JobChunk.job_id == job_id).order_by(JobChunk.index)
            )
        )
        for index in indices:
            session.execute(
                update(JobChunk)
                .where(JobChunk.job_id == job_id, JobChunk.index == index)
                .values(task_id=chunk_task_id(job_id, index))
            )
    try:
        app = get_celery(settings)
        with app.producer_or_acquire() as producer:
            for index in indices:
                app.send_task(
                    PROCESS_CHUNK,
                    args=[job_id, index],
                    task_id=chunk_task_id(job_id, index),
                    producer=producer,
                    retry_policy=PUBLISH_RETRY,
                    # Nobody waits for a chunk's result: no result subscription per message.
                    ignore_result=True,
                )
    except Exception as exc:
        log.exception("could not queue job %s", job_id)
        with sessions() as session, session.begin():
            service.fail(
                session,
                job_id=job_id,
                code=ErrorCode.PROCESSING_ERROR,
                message="the job queue is unavailable; the credits were refunded",
            )
        events.publish(settings, job_id, events.FAILED)
        raise FrenchNovelError(
            f"the job queue is unavailable ({exc.__class__.__name__})",
            code=ErrorCode.PROCESSING_ERROR,
        ) from None
    events.publish(settings, job_id, events.PROGRESS)
    return len(indices)


def revoke_job(job_id: str, *, settings: Settings | None = None) -> None:
    """After a committed cancel: drop the job's queued chunk tasks and tell the listeners.

    Never ``terminate``: running chunks stop by themselves at their next ``cancelled()`` check.
    Best effort: a task that runs anyway finds its chunk cancelled and does nothing.
    """
    settings = settings or get_settings()
    events.publish(settings, job_id, events.CANCELLED)
    if not settings.redis_url:
        return
    with get_sessions(settings)() as session:
        indices = list(session.scalars(select(JobChunk.index).where(JobChunk.job_id == job_id)))
    if indices:
        get_celery(settings).control.revoke([chunk_task_id(job_id, i) for i in indices])
