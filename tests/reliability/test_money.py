"""Money under pressure, on PostgreSQL through the real API: 50 submissions at once by a reader
whose credits cover ten, cancels racing the completion of their jobs, double cancels. The
ledger invariant (checked after every test of this suite) must hold through all of it."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.billing import credits
from frenchnovel.config import Settings
from frenchnovel.jobs import chunk_work, service
from frenchnovel.pipeline.result import ChunkResult, Result, Stats
from frenchnovel.storage.db import session_factory
from frenchnovel.storage.models import User
from tests.e2e.stack import Reader, wait_for
from tests.reliability.helpers import Losses
from tests.support.people import Person
from tests.support.service_stack import ServiceStack
from tests.support.submissions import made_up

pytestmark = pytest.mark.slow
FINAL = {"completed", "failed", "cancelled"}


def _estimate(stack: ServiceStack, reader: Reader, pdf: Path) -> dict[str, Any]:
    with pdf.open("rb") as handle:
        answer = httpx.post(
            f"{stack.api_url}/api/v1/estimate",
            headers=reader.headers,
            files={"pdf_file": (pdf.name, handle, "application/pdf")},
            timeout=60,
        )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _set_balance(stack: ServiceStack, reader: Reader, target: int) -> None:
    from sqlalchemy import select

    with stack.sessions() as session, session.begin():
        user_id = session.scalar(select(User.id).where(User.email == reader.email))
        assert user_id is not None
        credits.ensure_monthly_grant(session, user_id, stack.settings)
        credits.grant(session, user_id, target - credits.balance(session, user_id))


def _cancel(stack: ServiceStack, reader: Reader, job_id: str) -> httpx.Response:
    return httpx.post(
        f"{stack.api_url}/api/v1/jobs/{job_id}/cancel", headers=reader.headers, timeout=60
    )


def _submit_or_drop(stack: ServiceStack, reader: Reader, pdf: Path) -> httpx.Response | None:
    try:
        return stack.submit(reader, pdf)
    except httpx.TransportError:
        return None  # a connection dropped under load: the database says what happened


def _job_ids(stack: ServiceStack, email: str) -> list[str]:
    """The user's jobs that were given work (an upload refused for its cost stays as a failed
    job, admitted before its file was read: it reserved nothing)."""
    from sqlalchemy import select

    from frenchnovel.storage.models import Job

    refused = Job.error_code.is_not_distinct_from("INSUFFICIENT_CREDITS")
    with stack.sessions() as session:
        user_id = session.scalar(select(User.id).where(User.email == email))
        return list(session.scalars(select(Job.id).where(Job.user_id == user_id, ~refused)))


def test_fifty_submissions_at_once_accept_exactly_what_the_credits_cover(
    service: ServiceStack, novels: dict[str, Path], lost: Losses
) -> None:
    owner = service.reader()
    cost = int(_estimate(service, owner, novels["short"])["estimated_credits"])
    assert cost > 0
    # Ten reservations fit above the floor of -100; the eleventh would not.
    start = 10 * cost - 100 + cost // 2
    _set_balance(service, owner, start)

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(
            pool.map(lambda _: _submit_or_drop(service, owner, novels["short"]), range(50))
        )

    dropped = answers.count(None)
    lost.notes.append(f"connections dropped: {dropped}")
    received = [answer for answer in answers if answer is not None]
    assert {a.status_code for a in received} <= {202, 402}
    assert {a.json()["error"]["code"] for a in received if a.status_code == 402} <= {
        "INSUFFICIENT_CREDITS"
    }
    jobs = _job_ids(service, owner.email)
    accepted = sum(1 for a in received if a.status_code == 202)
    # Even with a few answers lost, the others were enough to use up the credits.
    assert len(jobs) == 10 and 10 - dropped <= accepted <= 10, (len(jobs), accepted, dropped)
    balance = httpx.get(f"{service.api_url}/api/v1/me/credits", headers=owner.headers).json()
    assert balance["balance"] == start - len(jobs) * cost
    for job_id in jobs:
        assert _cancel(service, owner, job_id).status_code == 200
    after = httpx.get(f"{service.api_url}/api/v1/me/credits", headers=owner.headers).json()
    assert after["balance"] == start


def test_two_cancels_at_once_refund_once(service: ServiceStack, novels: dict[str, Path]) -> None:
    owner = service.reader()
    job_id = service.submit(owner, novels["short"]).json()["job_id"]
    start = threading.Barrier(4)

    def cancel(_: int) -> int:
        start.wait()
        return _cancel(service, owner, job_id).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = sorted(pool.map(cancel, range(4)))

    assert codes == [200, 409, 409, 409]
    assert [kind for kind, _ in service.ledger(job_id)] == ["reservation", "refund"]


def _cancel_at(
    stack: ServiceStack, reader: Reader, job_id: str, chunks_done: int | None
) -> tuple[int, str]:
    """Cancel once ``chunks_done`` chunks are complete (None: once the job ended); the cancel's
    status and the job's final status."""

    def reached() -> bool:
        job = stack.job(reader, job_id)
        if job["status"] in FINAL:
            return True
        return chunks_done is not None and int(job["completed_chunks"]) >= chunks_done

    wait_for(reached, timeout=300, what=f"{chunks_done} chunks of {job_id}", every=0.05)
    code = _cancel(stack, reader, job_id).status_code
    final = stack.wait_status(reader, job_id, FINAL, timeout=300)
    return code, str(final["status"])


def test_cancels_racing_completions_never_complete_a_cancelled_job_nor_pay_twice(
    service: ServiceStack, novels: dict[str, Path], lost: Losses
) -> None:
    owner = service.reader()
    service.start_worker()
    # Six chunks a job: cancel before any, in the middle, while the last one runs, when all six
    # are done but the merge may still run (either outcome is fine), and once the job ended.
    stages: list[int | None] = [0, 2, 4, 5, 5, 5, 6, None]
    jobs = [
        service.submit(owner, novels["short"], sentence_length_limit=8 + i).json()["job_id"]
        for i in range(len(stages))
    ]

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        outcomes = list(
            pool.map(lambda pair: _cancel_at(service, owner, *pair), zip(jobs, stages, strict=True))
        )

    lost.notes.append(f"outcomes: {outcomes}")
    for (code, final), job_id in zip(outcomes, jobs, strict=True):
        kinds = [kind for kind, _ in service.ledger(job_id)]
        if code == 200:
            assert final == "cancelled"
            assert kinds == ["reservation", "refund"]
        else:
            assert code == 409 and final == "completed"
            assert kinds in (["reservation"], ["reservation", "adjustment"])
    assert outcomes[0] == (200, "cancelled")
    assert outcomes[-1] == (409, "completed")


def _running_job(
    sessions: sessionmaker[Session], settings: Settings, user_id: int, *, chunks: int = 1
) -> str:
    """A job of one-page ``chunks`` submitted and started through the service, reserving
    ``RESERVED`` credits."""
    pages = [(page, page) for page in range(1, chunks + 1)]
    prepared = made_up(settings, credits=RESERVED, chunks=pages)
    job_id = prepared.job_id
    with sessions() as session, session.begin():
        service.submit(session, user_id=user_id, submission=prepared, settings=settings)
        service.start(session, job_id=job_id)
    return job_id


RESERVED = 100


def test_completions_that_cost_more_than_reserved_never_take_a_balance_below_the_floor(
    engine: Engine, make_person: Callable[..., Person], make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings()
    sessions = session_factory(engine)
    spender = make_person("spender")
    jobs = [_running_job(sessions, settings, spender.id) for _ in range(8)]
    with sessions() as session, session.begin():
        credits.grant(session, spender.id, 50 - credits.balance(session, spender.id))
    # Each job used three times what it reserved: 200 credits more, where 150 are left.
    used = Result([], 3, Stats(tokens=3 * RESERVED * 1000))
    start = threading.Barrier(len(jobs) + 4)

    def complete(job_id: str) -> None:
        start.wait()
        with sessions() as session, session.begin():
            service.complete(
                session, job_id=job_id, result=used, result_path="none", settings=settings
            )

    def submit_another(_: int) -> None:
        start.wait()
        try:
            _running_job(sessions, settings, spender.id)
        except credits.InsufficientCredits:
            pass

    with ThreadPoolExecutor(max_workers=len(jobs) + 4) as pool:
        done = [pool.submit(complete, job_id) for job_id in jobs]
        done += [pool.submit(submit_another, i) for i in range(4)]
        for future in done:
            future.result()

    with sessions() as session:
        assert credits.balance(session, spender.id) >= settings.credit_overdraft_floor


def _claim_and_complete(sessions: sessionmaker[Session], job_id: str, index: int) -> None:
    with sessions() as session, session.begin():
        claim = chunk_work.claim(session, job_id=job_id, index=index, task_id=f"{job_id}.{index}")
    if claim is not None:
        with sessions() as session, session.begin():
            chunk_work.complete(session, claim=claim, result=ChunkResult(index + 1, index + 1))


def _cancel_quietly(sessions: sessionmaker[Session], user_id: int, job_id: str) -> None:
    try:
        with sessions() as session, session.begin():
            service.cancel(session, user_id=user_id, job_id=job_id)
    except service.InvalidJobStatus:
        pass  # every chunk was done first: nothing left to cancel


def test_cancels_racing_chunk_completions_never_deadlock(
    engine: Engine, make_person: Callable[..., Person], make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings(max_concurrent_jobs_per_user=1000)
    sessions = session_factory(engine)
    reader = make_person("racer", extra=10_000)
    jobs = [_running_job(sessions, settings, reader.id, chunks=8) for _ in range(30)]
    shuffle = random.Random(8)
    work: list[tuple[Callable[..., None], tuple[Any, ...]]] = []
    for job_id in jobs:
        order = shuffle.sample(range(8), 8)
        cancel_at = shuffle.randrange(8)
        for position, index in enumerate(order):
            work.append((_claim_and_complete, (sessions, job_id, index)))
            if position == cancel_at:
                work.append((_cancel_quietly, (sessions, reader.id, job_id)))

    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = [pool.submit(call, *args) for call, args in work]
        errors = [repr(f.exception()) for f in futures if f.exception() is not None]

    assert errors == []  # a deadlock aborts one side: a 500 to a cancel, or a lost chunk
