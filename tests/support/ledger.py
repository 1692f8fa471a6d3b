"""The ledger invariant, read from the database in one consistent snapshot.

For each job: reserved − refunded − adjustment = what its usage costs, that is
- a pending or processing job holds exactly its reservation (the estimate);
- a completed job costs its actual credits, which are the price of its actual tokens and of the
  pages its chunks read by OCR;
- a failed or cancelled job costs nothing, and a reused one was never charged;
and no user's balance is below the overdraft floor.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select

from frenchnovel.billing.pricing import credits_for, ocr_credits
from frenchnovel.storage.models import (
    ACTIVE_STATUSES,
    CreditEntry,
    Job,
    JobChunk,
    JobStatus,
    LedgerKind,
)

FLOOR = -100


@dataclass(slots=True)
class LedgerCheck:
    """What the invariant found: empty lists mean all is well."""

    jobs: int = 0
    unbalanced: list[str] = field(default_factory=list)
    below_floor: list[int] = field(default_factory=list)
    active: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unbalanced and not self.below_floor


def _expected_cost(job: Any, ocr_pages: int = 0) -> int:
    if job.status in ACTIVE_STATUSES:
        return int(job.estimated_credits)
    if job.status == JobStatus.COMPLETED.value and job.reused_from_job_id is None:
        return credits_for(int(job.actual_tokens or 0), job.model) + ocr_credits(ocr_pages)
    return 0


def _job_problem(
    job: Any, kinds: dict[str, int], counts: dict[str, int], ocr_pages: int = 0
) -> str | None:
    cost = -sum(kinds.values())
    expected = _expected_cost(job, ocr_pages)
    if any(count > 1 for count in counts.values()):
        return f"{job.id}: a movement counted twice {counts}"
    if job.reused_from_job_id is not None and kinds:
        return f"{job.id}: a reused job was charged {kinds}"
    if job.status == JobStatus.COMPLETED.value and int(job.actual_credits or 0) != cost:
        return f"{job.id}: actual_credits {job.actual_credits} but the ledger says {cost}"
    if capped(job, kinds, cost, expected):
        return None
    if cost != expected:
        return f"{job.id} ({job.status}): net cost {cost}, its usage costs {expected} {kinds}"
    return None


def capped(job: Any, kinds: dict[str, int], cost: int, expected: int) -> bool:
    """A completed job that used more than it reserved is charged the excess only down to the
    overdraft floor (``billing.credits.adjust``): it may cost less than its usage, never more."""
    return (
        job.status == JobStatus.COMPLETED.value
        and kinds.get(LedgerKind.ADJUSTMENT.value, 0) <= 0
        and int(job.estimated_credits) <= cost < expected
    )


def check_ledger(engine: Engine, *, floor: int = FLOOR) -> LedgerCheck:
    """Check every job and every balance of the database behind ``engine``."""
    found = LedgerCheck()
    isolation = "REPEATABLE READ" if engine.dialect.name == "postgresql" else "SERIALIZABLE"
    with engine.connect().execution_options(isolation_level=isolation) as connection:
        with connection.begin():
            jobs = connection.execute(select(Job.__table__)).all()
            lines = connection.execute(
                select(CreditEntry.job_id, CreditEntry.kind, CreditEntry.amount).where(
                    CreditEntry.job_id.is_not(None)
                )
            ).all()
            chunk_results = connection.execute(
                select(JobChunk.job_id, JobChunk.result).where(JobChunk.result.is_not(None))
            ).all()
            balances = connection.execute(
                select(CreditEntry.user_id, func.sum(CreditEntry.amount)).group_by(
                    CreditEntry.user_id
                )
            ).all()
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for job_id, kind, amount in lines:
        sums[job_id][kind] += int(amount)
        counts[job_id][kind] += 1
    ocr_pages: dict[str, int] = defaultdict(int)
    for job_id, result in chunk_results:
        ocr_pages[job_id] += int((result or {}).get("ocr_pages", 0))
    found.jobs = len(jobs)
    for job in jobs:
        problem = _job_problem(job, dict(sums[job.id]), dict(counts[job.id]), ocr_pages[job.id])
        if problem:
            found.unbalanced.append(problem)
        if job.status in ACTIVE_STATUSES:
            found.active.append(job.id)
    found.below_floor = [user for user, total in balances if int(total) < floor]
    return found
