"""Money under pressure, on PostgreSQL through the real API: 50 submissions at once by a reader
whose credits cover ten, cancels racing the completion of their jobs, double cancels. The
ledger invariant (checked after every test of this suite) must hold through all of it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from frenchnovel.billing import credits
from frenchnovel.storage.models import User
from tests.e2e.stack import Reader, wait_for
from tests.reliability.conftest import Losses, ServiceStack

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


def test_fifty_submissions_at_once_accept_exactly_what_the_credits_cover(
    service: ServiceStack, novels: dict[str, Path]
) -> None:
    owner = service.reader()
    cost = int(_estimate(service, owner, novels["short"])["estimated_credits"])
    assert cost > 0
    # Ten reservations fit above the floor of -100; the eleventh would not.
    _set_balance(service, owner, 10 * cost - 100 + cost // 2)

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(lambda _: service.submit(owner, novels["short"]), range(50)))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [202] * 10 + [402] * 40, statuses
    assert {a.json()["error"]["code"] for a in answers if a.status_code == 402} == {
        "INSUFFICIENT_CREDITS"
    }
    balance = httpx.get(f"{service.api_url}/api/v1/me/credits", headers=owner.headers).json()
    assert balance["balance"] == cost // 2 - 100
    for answer in answers:
        if answer.status_code == 202:
            assert _cancel(service, owner, answer.json()["job_id"]).status_code == 200
    after = httpx.get(f"{service.api_url}/api/v1/me/credits", headers=owner.headers).json()
    assert after["balance"] == 10 * cost - 100 + cost // 2


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
    stack: ServiceStack, reader: Reader, job_id: str, chunks_done: int
) -> tuple[int, str]:
    """Cancel once ``chunks_done`` chunks are complete (or the job ended); the cancel's status
    and the job's final status."""

    def reached() -> bool:
        job = stack.job(reader, job_id)
        return job["status"] in FINAL or int(job["completed_chunks"]) >= chunks_done

    wait_for(reached, timeout=300, what=f"{chunks_done} chunks of {job_id}", every=0.05)
    code = _cancel(stack, reader, job_id).status_code
    final = stack.wait_status(reader, job_id, FINAL, timeout=300)
    return code, str(final["status"])


def test_cancels_racing_completions_never_complete_a_cancelled_job_nor_pay_twice(
    service: ServiceStack, novels: dict[str, Path], lost: Losses
) -> None:
    owner = service.reader()
    service.start_worker()
    # Six chunks a job: cancel before any, in the middle, while the last one runs, at the end.
    stages = [0, 2, 4, 5, 5, 5, 6]
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
