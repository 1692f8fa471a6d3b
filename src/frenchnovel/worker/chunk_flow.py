"""What a chunk task does, step by step, with a short transaction on each side of the work.

claim the row → fetch the novel from the blob store into a scratch file (removed after, whatever
happens) → run ``pipeline.document.process_chunk`` without holding the database → store the
sentences and count the chunk → send the user's next held chunk (``dispatch.send_waiting``: the
cap on chunks in flight per user) → the last chunk merges (the result goes to the store). Every
failure is decided here: a cancel stops quietly, a soft time limit fails the job with
TASK_TIMEOUT, a permanent engine or input error fails it with its own code, anything else (a
store that refuses or times out included) is retried (exponential backoff with jitter) until the
chunk's fourth attempt, after which the job fails with CHUNK_PROCESSING_ERROR. A merge the store
refuses is tried again a few times, then fails the job with STORAGE_UNAVAILABLE. Failing a job
refunds it, once. Each attempt is timed and counted by its outcome, with the pages and words of
a stored chunk (``observe.metrics``); the work and the merge are spans of the task's trace
(``chunk.work``, ``job.merge``).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings
from frenchnovel.errors import Cancelled, ErrorCode, FrenchNovelError, TransientEngineError
from frenchnovel.jobs import chunk_work, events, service
from frenchnovel.jobs.chunk_work import MAX_ATTEMPTS, Claim
from frenchnovel.jobs.merging import merge_job
from frenchnovel.observe import logs, metrics, tracing
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.result import ChunkResult
from frenchnovel.pipeline.words import count_words
from frenchnovel.storage import files
from frenchnovel.storage.blobs import BlobMissing, StorageError, blob_store
from frenchnovel.storage.db import get_sessions
from frenchnovel.storage.models import Job
from frenchnovel.worker import faults
from frenchnovel.worker.dispatch import send_waiting

log = logging.getLogger(__name__)

CANCEL_CHECK_SECONDS = 1.0
BACKOFF_SECONDS = 1.0
MERGE_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class RetryLater:
    """The chunk was given back; the task should retry after ``countdown`` seconds."""

    countdown: float
    error: Exception


def backoff(attempt: int) -> float:
    """Seconds before retry number ``attempt``: 1, 2, 4 … plus up to as much again of jitter,
    so that chunks that failed together do not all come back together."""
    base = float(BACKOFF_SECONDS * 2 ** max(0, attempt - 1))
    return base + random.uniform(0.0, base)


def cancel_check(factory: sessionmaker[Session], job_id: str) -> Callable[[], bool]:
    """A ``cancelled()`` cheap enough to call every page: it asks the database once a second."""
    state = {"at": 0.0, "cancelled": False}

    def cancelled() -> bool:
        now = time.monotonic()
        if not state["cancelled"] and now - state["at"] >= CANCEL_CHECK_SECONDS:
            state["at"] = now
            with factory() as session:
                state["cancelled"] = service.is_cancelled(session, job_id)
        return bool(state["cancelled"])

    return cancelled


def run_chunk(job_id: str, index: int, *, task_id: str, settings: Settings) -> RetryLater | None:
    """Process chunk ``index`` of ``job_id`` for the task ``task_id``; None when nothing more is
    to be done for this message, ``RetryLater`` when the task should retry."""
    factory = get_sessions(settings)
    with factory() as session, session.begin():
        claim = chunk_work.claim(session, job_id=job_id, index=index, task_id=task_id)
        job = session.get(Job, job_id)
        options = JobOptions.parse(job.settings) if job is not None else None
        if job is not None:
            logs.bind(user_id=job.user_id)  # a message queued without the header names it too
    if claim is None or options is None:
        _merge_if_waiting(factory, settings, job_id)
        send_waiting(settings, job_id=job_id, sessions=factory)
        return None
    if claim.attempt > MAX_ATTEMPTS:
        _fail(factory, settings, claim, ErrorCode.CHUNK_PROCESSING_ERROR, _gave_up(claim))
        return None
    events.publish(settings, job_id, events.PROGRESS)
    started = time.perf_counter()
    try:
        with tracing.span("chunk.work", first_page=claim.first_page, last_page=claim.last_page):
            result = _work(claim, options, factory, settings)
    except Cancelled:
        metrics.chunk_ended("cancelled", time.perf_counter() - started)
        return None
    except SoftTimeLimitExceeded:
        metrics.chunk_ended("failed", time.perf_counter() - started)
        message = f"chunk {index} took longer than {settings.task_timeout_seconds} s"
        _fail(factory, settings, claim, ErrorCode.TASK_TIMEOUT, message)
        return None
    except BlobMissing:
        metrics.chunk_ended("failed", time.perf_counter() - started)
        message = "the job's file is no longer in the store"
        _fail(factory, settings, claim, ErrorCode.PROCESSING_ERROR, message)
        return None
    except FrenchNovelError as exc:
        if not isinstance(exc, TransientEngineError | StorageError):
            metrics.chunk_ended("failed", time.perf_counter() - started)
            _fail(factory, settings, claim, exc.code, exc.message)
            return None
        metrics.chunk_ended("retried", time.perf_counter() - started)
        return _retry_or_fail(factory, settings, claim, exc)
    except Exception as exc:
        metrics.chunk_ended("retried", time.perf_counter() - started)
        log.exception("chunk %s of job %s failed (attempt %s)", index, job_id, claim.attempt)
        return _retry_or_fail(factory, settings, claim, exc)
    seconds = time.perf_counter() - started
    stored = _store(factory, settings, claim, result)
    metrics.chunk_ended(
        "completed" if stored else "dropped",
        seconds,
        pages=claim.last_page - claim.first_page + 1 if stored else 0,
        words=sum(count_words(s.text) for s in result.sentences) if stored else 0,
    )
    log.info(
        "chunk %s of job %s: pages %s-%s in %.2f s",
        index,
        job_id,
        claim.first_page,
        claim.last_page,
        seconds,
    )
    return None


def _work(
    claim: Claim, options: JobOptions, factory: sessionmaker[Session], settings: Settings
) -> ChunkResult:
    from frenchnovel.pipeline.document import process_chunk
    from frenchnovel.pipeline.ocr import OcrCache
    from frenchnovel.pipeline.rewrite import get_rewriter

    cancelled = cancel_check(factory, claim.job_id)
    faults.from_environment().before_chunk(claim.index, claim.attempt, cancelled)
    store = blob_store(settings)
    # The whole novel, once per chunk, in a scratch file removed after (bench/storage_reads.py:
    # PDFium's reads of one chunk's pages, ranged, cost more requests than the file's bytes).
    with store.local_copy(files.find_source(store, claim.job_id)) as path:
        return process_chunk(
            path,
            claim.first_page,
            claim.last_page,
            options,
            rewriter=get_rewriter(options, settings),
            cancelled=cancelled,
            ocr_cache=OcrCache(files.ocr_pages(store, claim.job_id)),
            step=step_reporter(factory, settings, claim.job_id),
        )


def step_reporter(
    factory: sessionmaker[Session], settings: Settings, job_id: str
) -> Callable[[str], None]:
    """What the pipeline calls to say it starts a step (OCR): stored on the job and published."""

    def report(step: str) -> None:
        with factory() as session, session.begin():
            changed = service.set_step(session, job_id=job_id, step=step)
        if changed:
            events.publish(settings, job_id, events.PROGRESS)

    return report


def _store(
    factory: sessionmaker[Session], settings: Settings, claim: Claim, result: ChunkResult
) -> bool:
    with factory() as session, session.begin():
        done = chunk_work.complete(session, claim=claim, result=result)
    if not done.stored:
        return False  # cancelled, failed, or taken over meanwhile: the result is simply dropped
    events.publish(settings, claim.job_id, events.PROGRESS)
    faults.from_environment().after_store(claim.index)
    # The place this chunk held goes to its user's next chunk before the merge takes its time.
    send_waiting(settings, job_id=claim.job_id, sessions=factory)
    if done.merge_claimed:
        merge(factory, settings, claim.job_id)
    return True


def merge(factory: sessionmaker[Session], settings: Settings, job_id: str) -> None:
    """Merge and complete the job (idempotent), failing it if the merge itself fails."""
    try:
        with tracing.span("job.merge", job_id=job_id):
            completed = _merge_with_retries(factory, settings, job_id)
    except FrenchNovelError as exc:
        _fail_job(factory, settings, job_id, exc.code, exc.message)
        return
    except Exception:
        log.exception("merge of job %s failed", job_id)
        _fail_job(factory, settings, job_id, ErrorCode.PROCESSING_ERROR, "the merge failed")
        return
    if completed:
        log.info("job %s merged and completed", job_id)
        events.publish(settings, job_id, events.COMPLETED)


def _merge_with_retries(factory: sessionmaker[Session], settings: Settings, job_id: str) -> bool:
    for attempt in range(1, MERGE_ATTEMPTS + 1):
        try:
            with factory() as session, session.begin():
                return merge_job(session, job_id=job_id, settings=settings)
        except StorageError:
            if attempt == MERGE_ATTEMPTS:
                raise
            log.warning("the store refused the result of job %s (attempt %s)", job_id, attempt)
            time.sleep(backoff(attempt))
    return False


def _merge_if_waiting(factory: sessionmaker[Session], settings: Settings, job_id: str) -> None:
    # A redelivered last chunk whose merge crashed after its claim: merge again (idempotent).
    with factory() as session:
        waiting = chunk_work.awaiting_merge(session, job_id)
    if waiting:
        merge(factory, settings, job_id)


def _retry_or_fail(
    factory: sessionmaker[Session], settings: Settings, claim: Claim, error: Exception
) -> RetryLater | None:
    text = f"{error.__class__.__name__}: {error}"
    if claim.attempt >= MAX_ATTEMPTS:
        _fail(factory, settings, claim, ErrorCode.CHUNK_PROCESSING_ERROR, _gave_up(claim))
        return None
    with factory() as session, session.begin():
        given_back = chunk_work.release(session, claim=claim, error=text)
    return RetryLater(backoff(claim.attempt), error) if given_back else None


def _gave_up(claim: Claim) -> str:
    return (
        f"pages {claim.first_page}-{claim.last_page} could not be processed "
        f"after {min(claim.attempt, MAX_ATTEMPTS)} attempts; the credits were refunded"
    )


def _fail(
    factory: sessionmaker[Session],
    settings: Settings,
    claim: Claim,
    code: ErrorCode | str,
    message: str,
) -> None:
    with factory() as session, session.begin():
        chunk_work.mark_failed(session, claim=claim, error=message)
        failed = service.fail(session, job_id=claim.job_id, code=code, message=message)
    if failed:
        events.publish(settings, claim.job_id, events.FAILED)
    send_waiting(settings, job_id=claim.job_id, sessions=factory)


def _fail_job(
    factory: sessionmaker[Session], settings: Settings, job_id: str, code: ErrorCode, message: str
) -> None:
    with factory() as session, session.begin():
        failed = service.fail(session, job_id=job_id, code=code, message=message)
    if failed:
        events.publish(settings, job_id, events.FAILED)
