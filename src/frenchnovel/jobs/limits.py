"""Per-user limits on submissions: an hourly rate and a cap on jobs running at once."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frenchnovel.config import Settings
from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.storage.models import ACTIVE_STATUSES, Job


class TooManyJobs(FrenchNovelError):
    code = ErrorCode.TOO_MANY_JOBS


class RateLimited(FrenchNovelError):
    """Too many submissions in the last hour; ``retry_after`` seconds until the next one fits."""

    code = ErrorCode.RATE_LIMITED

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


RATE_WINDOW = timedelta(hours=1)


def check_rate_limit(session: Session, *, user_id: int, settings: Settings, now: datetime) -> None:
    """At most ``RATE_LIMIT_SUBMISSIONS`` jobs in any hour (polling is never limited)."""
    since = now - RATE_WINDOW
    recent = session.scalars(
        select(Job.created_at)
        .where(Job.user_id == user_id, Job.created_at > since)
        .order_by(Job.created_at.desc())
        .limit(settings.rate_limit_submissions)
    ).all()
    if len(recent) >= settings.rate_limit_submissions:
        oldest = min(recent)
        retry_after = max(1, math.ceil((oldest + RATE_WINDOW - now).total_seconds()))
        raise RateLimited(
            f"at most {settings.rate_limit_submissions} submissions an hour; "
            f"try again in {retry_after} s",
            retry_after=retry_after,
        )


def check_concurrency(session: Session, *, user_id: int, settings: Settings) -> None:
    """At most ``MAX_CONCURRENT_JOBS_PER_USER`` pending or processing jobs."""
    active = session.scalar(
        select(func.count())
        .select_from(Job)
        .where(Job.user_id == user_id, Job.status.in_(ACTIVE_STATUSES))
    )
    if int(active or 0) >= settings.max_concurrent_jobs_per_user:
        raise TooManyJobs(
            f"at most {settings.max_concurrent_jobs_per_user} jobs may run at once; "
            "wait for one to finish or cancel one"
        )
