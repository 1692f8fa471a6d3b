"""Fairness between users: a cap on each user's chunks in flight, and whose chunks go next.

A chunk of an asynchronous job is *in flight* from the moment a message is sent for it (its
``task_id`` is set) until it is completed, failed or cancelled. A pending chunk of a processing
job whose ``task_id`` is still NULL is *held*: it waits for one of its user's chunks in flight to
finish. ``take_turns`` is the one place where chunks go from held to in flight: under a lock of
its own per user it counts the user's chunks in flight and marks as many held chunks as
``MAX_CHUNKS_IN_FLIGHT_PER_USER`` leaves room for (smaller jobs first, then older ones, then in
page order), and returns them for the caller to send once the transaction is committed.

So one user's 2,000-page book has a few chunks in the broker at a time, never all of them: a
chunk of another user, queued later, waits behind at most that few, not behind the whole book.
Who calls ``take_turns``: the dispatch of a new job; a chunk task after it stored or failed its
chunk; a cancel; and beat every few seconds for every user who has held chunks
(``waiting_users``), which takes over when a worker died between storing a chunk and sending the
next one. Marking and sending are two steps: a chunk marked by a transaction that committed is
sent by the same caller right after, and one whose sending failed is given back (``give_back``)
for the next caller to take again; a chunk is never marked twice.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, exists, func, select, text, update
from sqlalchemy.orm import Session

from frenchnovel.storage.db import lock_user
from frenchnovel.storage.models import ChunkStatus, Job, JobChunk, JobStatus

# Chunks of these statuses hold a worker, or a place in the broker.
_OPEN = (ChunkStatus.PENDING.value, ChunkStatus.PROCESSING.value)


@dataclass(frozen=True, slots=True)
class Turn:
    """A chunk marked in flight, to be sent to the workers."""

    job_id: str
    index: int
    task_id: str
    page_count: int


def chunk_task_id(job_id: str, index: int) -> str:
    """The Celery task id of one chunk of a job (a cancel can revoke it without a lookup)."""
    return f"{job_id}.{index}"


def _serialise(session: Session, user_id: int) -> None:
    # PostgreSQL: an advisory lock that only dispatchers take, so that it joins no cycle with
    # the job and user row locks of a fail or a refund. SQLite: one writer at a time already.
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"frenchnovel.turns.{user_id}".encode())
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        lock_user(session, user_id)


def _users_chunks(user_id: int) -> tuple[ColumnElement[bool], ...]:
    return (
        JobChunk.job_id == Job.id,
        Job.user_id == user_id,
        Job.status == JobStatus.PROCESSING.value,
        Job.is_async.is_(True),
    )


def in_flight(session: Session, user_id: int) -> int:
    """How many of the user's chunks are queued or running on the workers now."""
    query = select(func.count()).where(
        *_users_chunks(user_id), JobChunk.task_id.is_not(None), JobChunk.status.in_(_OPEN)
    )
    return int(session.scalar(query) or 0)


def take_turns(session: Session, *, user_id: int, cap: int, now: datetime) -> list[Turn]:
    """Mark held chunks of the user in flight, up to ``cap`` in flight in all; flush only.

    The jobs that still hold chunks afterwards count as progressing when a place was free (a
    chunk of their user finished): the reaper then does not fail a job that merely waits for
    its user's other book, yet still fails them all when the chunks in flight are stuck.
    """
    _serialise(session, user_id)
    free = cap - in_flight(session, user_id)
    if free <= 0:
        return []
    held = session.execute(
        select(JobChunk.job_id, JobChunk.index, Job.page_count)
        .where(
            *_users_chunks(user_id),
            JobChunk.task_id.is_(None),
            JobChunk.status == ChunkStatus.PENDING.value,
        )
        .order_by(Job.total_chunks, Job.created_at, Job.id, JobChunk.index)
        .limit(free)
    ).all()
    turns = []
    for job_id, index, page_count in held:
        task_id = chunk_task_id(job_id, index)
        marked = session.execute(
            update(JobChunk)
            .where(
                JobChunk.job_id == job_id,
                JobChunk.index == index,
                JobChunk.task_id.is_(None),
                JobChunk.status == ChunkStatus.PENDING.value,
            )
            .values(task_id=task_id)
            .execution_options(synchronize_session=False)
        )
        if getattr(marked, "rowcount", 0) == 1:
            turns.append(Turn(job_id, int(index), task_id, int(page_count)))
    _keep_waiting_jobs_alive(session, user_id, now)
    session.flush()
    return turns


def _keep_waiting_jobs_alive(session: Session, user_id: int, now: datetime) -> None:
    holds = exists().where(
        JobChunk.job_id == Job.id,
        JobChunk.task_id.is_(None),
        JobChunk.status == ChunkStatus.PENDING.value,
    )
    session.execute(
        update(Job)
        .where(
            Job.user_id == user_id,
            Job.status == JobStatus.PROCESSING.value,
            Job.is_async.is_(True),
            holds,
        )
        .values(last_progress_at=now)
        .execution_options(synchronize_session=False)
    )


def give_back(session: Session, turns: Sequence[Turn]) -> None:
    """Hold again the chunks whose message could not be sent (still pending, same task id)."""
    for turn in turns:
        session.execute(
            update(JobChunk)
            .where(
                JobChunk.job_id == turn.job_id,
                JobChunk.index == turn.index,
                JobChunk.task_id == turn.task_id,
                JobChunk.status == ChunkStatus.PENDING.value,
                JobChunk.attempts == 0,
            )
            .values(task_id=None)
            .execution_options(synchronize_session=False)
        )
    session.flush()


def lost_turns(session: Session, *, now: datetime, quiet_seconds: float) -> list[Turn]:
    """Chunks whose message the broker lost, marked to be sent once more; flush only.

    A chunk sent (its task id set) and never claimed (no attempt) of a job without progress for
    ``quiet_seconds``: its message went with a broker that restarted while a worker held it
    unacknowledged (kombu gives such messages back on close, to a server that is going away).
    It gets a task id of its own: whichever of the two messages claims the chunk first holds it,
    and the other finds it held (``chunk_work.claim``). Once only: a chunk sent again keeps its
    second id, and if that message is lost too the reaper fails the job as before.
    """
    cutoff = now - timedelta(seconds=quiet_seconds)
    rows = session.execute(
        select(JobChunk.job_id, JobChunk.index, Job.page_count, JobChunk.task_id).where(
            JobChunk.job_id == Job.id,
            Job.status == JobStatus.PROCESSING.value,
            Job.is_async.is_(True),
            Job.last_progress_at < cutoff,
            JobChunk.status == ChunkStatus.PENDING.value,
            JobChunk.attempts == 0,
            JobChunk.task_id.is_not(None),
        )
    ).all()
    turns = []
    for job_id, index, page_count, task_id in rows:
        if task_id != chunk_task_id(job_id, index):
            continue  # sent again already
        again = f"{task_id}.again"
        marked = session.execute(
            update(JobChunk)
            .where(
                JobChunk.job_id == job_id,
                JobChunk.index == index,
                JobChunk.task_id == task_id,
                JobChunk.status == ChunkStatus.PENDING.value,
                JobChunk.attempts == 0,
            )
            .values(task_id=again)
            .execution_options(synchronize_session=False)
        )
        if getattr(marked, "rowcount", 0) == 1:
            turns.append(Turn(job_id, int(index), again, int(page_count)))
    session.flush()
    return turns


def waiting_users(session: Session) -> list[int]:
    """The users who have held chunks in processing jobs."""
    query = (
        select(Job.user_id)
        .join(JobChunk, JobChunk.job_id == Job.id)
        .where(
            Job.status == JobStatus.PROCESSING.value,
            Job.is_async.is_(True),
            JobChunk.task_id.is_(None),
            JobChunk.status == ChunkStatus.PENDING.value,
        )
        .distinct()
    )
    return [int(user_id) for user_id in session.scalars(query)]


def owner_of(session: Session, job_id: str) -> int | None:
    """The user id of a job (None when there is no such job)."""
    return session.scalar(select(Job.user_id).where(Job.id == job_id))
