"""Credits under pressure: concurrent submissions, the overdraft floor, refunds exactly once."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.billing import credits
from frenchnovel.config import Settings
from frenchnovel.jobs import service
from frenchnovel.storage.db import get_sessions
from frenchnovel.storage.models import CreditEntry, Job
from tests.integration import engines
from tests.integration.conftest import pending_job
from tests.support.people import Person
from tests.support.submissions import made_up
from tests.support.uploads import upload

COST = 50


def _submit_concurrently(settings: Settings, person: Person, count: int) -> list[str]:
    """``count`` submissions at once, each in its own thread, session and transaction."""
    sessions = get_sessions(settings)

    def one(_: int) -> str:
        try:
            with sessions() as session, session.begin():
                service.submit(
                    session,
                    user_id=person.id,
                    submission=made_up(settings, credits=COST),
                    settings=settings,
                )
            return "accepted"
        except credits.InsufficientCredits:
            return "refused"

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


@pytest.mark.parametrize("count", [50])
def test_concurrent_submissions_accept_exactly_what_the_credits_cover(
    make_person: Callable[..., Person],
    settings: Settings,
    sessions: sessionmaker[Session],
    count: int,
) -> None:
    # 10 jobs of COST fit above the floor (-100); the 11th would pass it.
    person = make_person("reader@example.org", credits_granted=-10_000 + 10 * COST - 100)

    outcomes = _submit_concurrently(settings, person, count)

    assert outcomes.count("accepted") == 10
    assert outcomes.count("refused") == count - 10
    with sessions() as session:
        assert credits.balance(session, person.id) == -100
        jobs = session.scalar(select(func.count()).select_from(Job).where(Job.user_id == person.id))
        reservations = session.scalar(
            select(func.count())
            .select_from(CreditEntry)
            .where(CreditEntry.user_id == person.id, CreditEntry.kind == "reservation")
        )
        assert jobs == reservations == 10


def test_the_monthly_grant_is_created_once_however_often_it_is_asked_for(
    settings: Settings, sessions: sessionmaker[Session], owner: Person
) -> None:
    def ask(_: int) -> None:
        with sessions() as session, session.begin():
            credits.ensure_monthly_grant(session, owner.id, settings)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(ask, range(16)))

    with sessions() as session:
        assert credits.balance(session, owner.id) == 10_000


def test_a_failure_injected_into_processing_is_refunded_exactly_once(
    make_client: Callable[..., TestClient],
    owner: Person,
    small_pdf: Path,
    sessions: sessionmaker[Session],
) -> None:
    client = make_client(rewriter_factory=engines.refusing)

    job_id = upload(client, owner, small_pdf).json()["job_id"]
    with sessions() as session, session.begin():
        again = service.fail(session, job_id=job_id, code="ENGINE_ERROR", message="twice")
        refunded_again = credits.refund(session, user_id=owner.id, job_id=job_id)

    ledger = client.get("/api/v1/credits/ledger", headers=owner.headers).json()
    lines = [(e["kind"], e["amount"]) for e in ledger["entries"] if e["job_id"] == job_id]
    assert again is False and refunded_again == 0
    assert sorted(kind for kind, _ in lines) == ["refund", "reservation"]
    assert sum(amount for _, amount in lines) == 0
    assert ledger["balance"] == 10_000
    mine = client.get("/api/v1/me/credits", headers=owner.headers).json()
    assert mine["refunded"] == mine["used"] > 0


def test_cancelling_a_pending_job_refunds_it_once_and_it_stays_cancelled(
    client: TestClient,
    owner: Person,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> None:
    job_id = pending_job(sessions, settings, owner, credits_each=7)

    first = client.post(f"/api/v1/jobs/{job_id}/cancel", headers=owner.headers)
    second = client.post(f"/api/v1/jobs/{job_id}/cancel", headers=owner.headers)
    with sessions() as session, session.begin():
        started = service.start(session, job_id=job_id)

    assert first.status_code == 200 and first.json()["status"] == "cancelled"
    assert second.json()["error"]["code"] == "INVALID_JOB_STATUS"
    assert started is False
    assert client.get("/api/v1/me/credits", headers=owner.headers).json()["balance"] == 10_000
    job = client.get(f"/api/v1/jobs/{job_id}", headers=owner.headers).json()
    assert job["status"] == "cancelled"


def test_a_job_charged_more_than_its_estimate_stops_at_the_floor(
    sessions: sessionmaker[Session], settings: Settings, make_person: Callable[..., Person]
) -> None:
    person = make_person("heavy@example.org", credits_granted=-10_000 + 10)
    job_id = pending_job(sessions, settings, person, credits_each=5)
    with sessions() as session, session.begin():
        charged = credits.adjust(
            session, user_id=person.id, job_id=job_id, reserved=5, actual=1_000, floor=-100
        )
        assert charged == 110
        assert credits.balance(session, person.id) == -100
