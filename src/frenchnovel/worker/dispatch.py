"""Handing a committed job to the workers, and taking queued chunks back when it is cancelled.

Called only after the commit that created the job and its chunk rows, so a worker never looks
for a row that is not there yet. Not every chunk is sent at once: ``jobs.fairness`` marks as many
as the user's cap on chunks in flight allows, and the rest are sent one by one as the user's
chunks finish (``send_waiting``, called by the chunk task and by beat). Each is sent to the queue
of its job's size class (``celery_app.queue_for``), which workers serve small-first. Task ids are
derived from the job id and the chunk index: a cancel can revoke them without having stored
anything, and a redelivered message keeps its id.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings, get_settings
from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.jobs import events, fairness, service
from frenchnovel.jobs.fairness import Turn
from frenchnovel.jobs.fairness import chunk_task_id as chunk_task_id
from frenchnovel.storage.db import get_sessions
from frenchnovel.storage.models import JobChunk, utcnow
from frenchnovel.worker.celery_app import get_celery, queue_for

log = logging.getLogger(__name__)

PROCESS_CHUNK = "frenchnovel.process_chunk"
# A user waits for the 202: a broker that is down is reported within seconds, not retried for long.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1}


def enqueue_job(
    job_id: str,
    *,
    settings: Settings | None = None,
    sessions: sessionmaker[Session] | None = None,
) -> int:
    """Start a pending async job (pending → processing) and queue its first chunks.

    Returns how many of its chunks were queued now: 0 when the job was no longer pending
    (already queued, or cancelled meanwhile), or when its user already has
    ``MAX_CHUNKS_IN_FLIGHT_PER_USER`` chunks in flight (they are sent as those finish). When the
    broker cannot be reached the job fails with PROCESSING_ERROR and is refunded, and the error
    is raised for the caller to report.
    """
    settings = settings or get_settings()
    sessions = sessions or get_sessions(settings)
    with sessions() as session, session.begin():
        if not service.start(session, job_id=job_id, step="queued"):
            return 0
        user_id = fairness.owner_of(session, job_id)
        assert user_id is not None  # the job was just started
        turns = fairness.take_turns(
            session, user_id=user_id, cap=settings.max_chunks_in_flight_per_user, now=utcnow()
        )
    try:
        send(turns, settings)
    except Exception as exc:
        log.exception("could not queue job %s", job_id)
        with sessions() as session, session.begin():
            fairness.give_back(session, turns)
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
    return sum(1 for turn in turns if turn.job_id == job_id)


def send(turns: Sequence[Turn], settings: Settings) -> None:
    """Send one ``process_chunk`` message per turn, each to its size class's queue."""
    if not turns:
        return
    app = get_celery(settings)
    with app.producer_or_acquire() as producer:
        for turn in turns:
            app.send_task(
                PROCESS_CHUNK,
                args=[turn.job_id, turn.index],
                task_id=turn.task_id,
                queue=queue_for(turn.page_count, settings),
                producer=producer,
                retry_policy=PUBLISH_RETRY,
                # Nobody waits for a chunk's result: no result subscription per message.
                ignore_result=True,
            )


def send_waiting(
    settings: Settings,
    *,
    user_id: int | None = None,
    job_id: str | None = None,
    sessions: sessionmaker[Session] | None = None,
) -> int:
    """Send the held chunks that the cap now allows, of one user (or of a job's user).

    Never raises: a broker that cannot be reached gives the chunks back for beat to send later.
    Returns how many chunks were sent.
    """
    sessions = sessions or get_sessions(settings)
    try:
        with sessions() as session, session.begin():
            if user_id is None and job_id is not None:
                user_id = fairness.owner_of(session, job_id)
            if user_id is None:
                return 0
            turns = fairness.take_turns(
                session,
                user_id=user_id,
                cap=settings.max_chunks_in_flight_per_user,
                now=utcnow(),
            )
    except Exception:
        log.exception("could not take the next turns of user %s", user_id)
        return 0
    try:
        send(turns, settings)
    except Exception:
        log.exception("could not send %d held chunks of user %s", len(turns), user_id)
        with sessions() as session, session.begin():
            fairness.give_back(session, turns)
        return 0
    for sent_job in {turn.job_id for turn in turns}:
        events.publish(settings, sent_job, events.PROGRESS)
    return len(turns)


def send_all_waiting(settings: Settings) -> int:
    """Beat's sweep: send what the cap allows for every user who has held chunks, and once more
    the chunks whose message the broker lost (``fairness.lost_turns``)."""
    sessions = get_sessions(settings)
    with sessions() as session:
        users = fairness.waiting_users(session)
    sent = sum(send_waiting(settings, user_id=user, sessions=sessions) for user in users)
    return sent + send_lost(settings, sessions)


def send_lost(settings: Settings, sessions: sessionmaker[Session]) -> int:
    """Send again the chunks of jobs quiet for half their timeout that no worker ever claimed.
    Never raises: what could not be sent stays marked, and the reaper has the last word."""
    quiet = settings.task_timeout_seconds / 2
    try:
        with sessions() as session, session.begin():
            turns = fairness.lost_turns(session, now=utcnow(), quiet_seconds=quiet)
        send(turns, settings)
    except Exception:
        log.exception("could not send the lost chunks again")
        return 0
    for turn in turns:
        log.warning("chunk %d of job %s sent again: its message was lost", turn.index, turn.job_id)
    return len(turns)


def revoke_job(job_id: str, *, settings: Settings | None = None) -> None:
    """After a committed cancel: drop the job's queued chunk tasks and tell the listeners; the
    places its chunks held go to the user's other jobs.

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
    send_waiting(settings, job_id=job_id)
