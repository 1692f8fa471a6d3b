"""Hand an asynchronous job to the workers, after the commit that created its rows.

The Celery side lives in ``frenchnovel.worker.dispatch``; a job that cannot be queued fails at
once with a refund rather than waiting for the reaper.
"""

from __future__ import annotations

import importlib
import logging

from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings
from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.jobs import service
from frenchnovel.jobs.submission import DISPATCH_MODULE

log = logging.getLogger(__name__)


class QueueUnavailable(FrenchNovelError):
    code = ErrorCode.PROCESSING_ERROR


def enqueue(job_id: str, sessions: sessionmaker[Session], settings: Settings) -> None:
    """Queue ``job_id``'s chunks; on failure fail the job (refunded) and raise."""
    try:
        module = importlib.import_module(DISPATCH_MODULE)
        module.enqueue_job(job_id, settings=settings, sessions=sessions)
    except Exception:
        log.exception("could not queue job %s", job_id)
        with sessions() as session, session.begin():
            service.fail(
                session,
                job_id=job_id,
                code=ErrorCode.PROCESSING_ERROR,
                message="the job could not be queued; no credits were charged",
            )
        raise QueueUnavailable(
            "the processing queue is unavailable; try again later", code=ErrorCode.PROCESSING_ERROR
        ) from None


def revoke(job_id: str, settings: Settings) -> None:
    """Tell the workers to drop a cancelled job's queued chunks (when the async path exists).

    Running chunks stop on their own at their next cancel check, which reads the job's status.
    """
    try:
        module = importlib.import_module(DISPATCH_MODULE)
    except ImportError:
        return
    revoke_job = getattr(module, "revoke_job", None)
    if revoke_job is not None:
        try:
            revoke_job(job_id, settings=settings)
        except Exception:  # the cancel is committed; revocation only saves work
            log.exception("could not revoke the chunks of job %s", job_id)
