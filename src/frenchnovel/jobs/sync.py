"""Run a one-chunk job in this process: the synchronous path of ``POST /api/v1/process-pdf``.

No transaction is held while the pipeline runs: one short transaction claims the job and its
chunks, the pipeline works without the database, and a second short transaction completes or
fails it. The chunks go through ``chunk_work`` as the asynchronous path's do (job row locked
before its chunks), under a task id of their own.

At most ``SLOTS`` jobs (one per CPU) run at once in a process; the others wait, pending, for a
slot, so that a burst of small uploads cannot starve the API's other requests of CPU.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings
from frenchnovel.errors import Cancelled, ErrorCode, FrenchNovelError
from frenchnovel.jobs import chunk_work, service
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import Rewriter
from frenchnovel.storage import files
from frenchnovel.storage.blobs import blob_store
from frenchnovel.storage.models import Job, JobChunk

log = logging.getLogger(__name__)

RewriterFactory = Callable[[JobOptions, Settings], Rewriter]
CANCEL_CHECK_SECONDS = 1.0
SLOT_COUNT = max(1, os.cpu_count() or 1)
SLOTS = threading.BoundedSemaphore(SLOT_COUNT)


def _cancel_check(sessions: sessionmaker[Session], job_id: str) -> Callable[[], bool]:
    """A cheap ``cancelled()`` for the engines: asks the database at most once a second."""
    state = {"at": 0.0, "cancelled": False}

    def cancelled() -> bool:
        now = time.monotonic()
        if not state["cancelled"] and now - state["at"] >= CANCEL_CHECK_SECONDS:
            state["at"] = now
            with sessions() as session:
                state["cancelled"] = service.is_cancelled(session, job_id)
        return bool(state["cancelled"])

    return cancelled


def run_sync_job(
    job_id: str,
    *,
    sessions: sessionmaker[Session],
    settings: Settings,
    rewriter_factory: RewriterFactory,
) -> Job:
    """Process every chunk of ``job_id`` here and now; returns the job as it ended.

    Any failure fails the job with its error code and refunds it, exactly once.
    """
    with SLOTS:
        return _run(job_id, sessions=sessions, settings=settings, rewriter_factory=rewriter_factory)


def _run(
    job_id: str,
    *,
    sessions: sessionmaker[Session],
    settings: Settings,
    rewriter_factory: RewriterFactory,
) -> Job:
    claims: list[chunk_work.Claim] = []
    with sessions() as session, session.begin():
        if service.start(session, job_id=job_id):
            for index in _chunk_indices(session, job_id):
                claim = chunk_work.claim(
                    session, job_id=job_id, index=index, task_id=sync_task_id(job_id, index)
                )
                if claim is not None:
                    claims.append(claim)
        job = session.get(Job, job_id)
        assert job is not None
    if job.status == "processing":
        _process(
            job, claims, sessions=sessions, settings=settings, rewriter_factory=rewriter_factory
        )
    with sessions() as session:
        final = session.get(Job, job_id)
        assert final is not None
        return final


def sync_task_id(job_id: str, index: int) -> str:
    """The task id a chunk run in this process is claimed under (never a Celery task's)."""
    return f"sync:{job_id}.{index}"


def _process(
    job: Job,
    claims: list[chunk_work.Claim],
    *,
    sessions: sessionmaker[Session],
    settings: Settings,
    rewriter_factory: RewriterFactory,
) -> None:
    from frenchnovel.pipeline.document import process_chunk
    from frenchnovel.pipeline.merge import merge_chunks

    store = blob_store(settings)
    try:
        options = JobOptions.parse(job.settings)
        rewriter = rewriter_factory(options, settings)
        cancelled = _cancel_check(sessions, job.id)
        results = []
        with store.local_copy(files.find_source(store, job.id)) as path:
            for claim in claims:
                result = process_chunk(
                    path,
                    claim.first_page,
                    claim.last_page,
                    options,
                    rewriter=rewriter,
                    cancelled=cancelled,
                    step=lambda step: _set_step(sessions, job.id, step),
                )
                results.append((claim, result))
        merged = merge_chunks(
            [r for _, r in results],
            page_count=job.page_count,
            engine=rewriter.engine,
            model=rewriter.model,
        )
        result_path = files.write_result(store, job.id, merged)
        with sessions() as session, session.begin():
            for claim, result in results:
                chunk_work.complete(session, claim=claim, result=result)
            service.complete(
                session, job_id=job.id, result=merged, result_path=result_path, settings=settings
            )
    except Cancelled:
        return  # the cancel already refunded the job
    except FrenchNovelError as exc:
        _fail(sessions, job.id, exc.code, exc.message)
    except Exception:
        # Internals stay in the log; the user sees a plain message and gets the credits back.
        log.exception("job %s failed", job.id)
        _fail(sessions, job.id, ErrorCode.PROCESSING_ERROR, "processing failed unexpectedly")


def _chunk_indices(session: Session, job_id: str) -> list[int]:
    query = select(JobChunk.index).where(JobChunk.job_id == job_id).order_by(JobChunk.index)
    return list(session.scalars(query))


def _set_step(sessions: sessionmaker[Session], job_id: str, step: str) -> None:
    with sessions() as session, session.begin():
        service.set_step(session, job_id=job_id, step=step)


def _fail(sessions: sessionmaker[Session], job_id: str, code: ErrorCode, message: str) -> None:
    with sessions() as session, session.begin():
        service.fail(session, job_id=job_id, code=code, message=message)
