"""The limits come before the expensive checks, and the checks have a budget (issue 12): a
refused upload counts against its sender's hourly limit, the job cap refuses before a page is
read, estimates are rate-limited per user, a PDF that is too costly to read is refused with
PDF_TOO_COMPLEX, and the estimate sees text that a sample of pages would miss."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from frenchnovel.config import Settings
from frenchnovel.jobs import service
from frenchnovel.storage.db import session_factory
from tests.reliability.helpers import files_in
from tests.support.hostile import digits_pdf, hidden_text_pdf
from tests.support.people import Person
from tests.support.submissions import made_up
from tests.support.uploads import upload


@pytest.fixture(scope="module")
def digits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 pages of digits: no letter anywhere, so every page is read before NO_TEXT_LAYER."""
    return digits_pdf(tmp_path_factory.mktemp("hostile") / "digits.pdf", pages=600)


@pytest.fixture(scope="module")
def hidden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """32 pages with text on the odd ones only: those a 16-page spread sample skips."""
    return hidden_text_pdf(tmp_path_factory.mktemp("hostile") / "hidden.pdf", pages=32)


def _error(answer: object) -> tuple[int, str]:
    status = answer.status_code  # type: ignore[attr-defined]
    return status, answer.json()["error"]["code"]  # type: ignore[attr-defined]


def _jobs(client: TestClient, person: Person) -> list[dict[str, object]]:
    jobs: list[dict[str, object]] = client.get("/api/v1/jobs", headers=person.headers).json()[
        "jobs"
    ]
    return jobs


def test_refused_uploads_count_against_the_hourly_limit(
    make_client: Callable[..., TestClient], owner: Person, digits: Path, small_pdf: Path
) -> None:
    client = make_client(rate_limit_submissions=2)

    refused = [_error(upload(client, owner, digits)) for _ in range(2)]
    third = upload(client, owner, small_pdf)

    assert refused == [(422, "NO_TEXT_LAYER")] * 2
    assert _error(third) == (429, "RATE_LIMITED")
    assert int(third.headers["retry-after"]) > 3000
    assert [job["status"] for job in _jobs(client, owner)] == ["failed", "failed"]


def test_an_upload_beyond_the_job_cap_is_refused_before_its_file_is_read(
    make_client: Callable[..., TestClient],
    make_settings: Callable[..., Settings],
    engine: Engine,
    owner: Person,
    digits: Path,
    storage_dir: Path,
) -> None:
    settings = make_settings(max_concurrent_jobs_per_user=1)
    with session_factory(engine)() as session, session.begin():
        # a job left pending, as if queued for the workers
        queued = made_up(settings, credits=3)
        service.submit(session, user_id=owner.id, submission=queued, settings=settings)
    client = make_client(max_concurrent_jobs_per_user=1)

    answer = upload(client, owner, digits)

    # The file would have been refused with NO_TEXT_LAYER, had any page of it been read.
    assert _error(answer) == (429, "TOO_MANY_JOBS")
    assert files_in(storage_dir) == []


@pytest.mark.parametrize("path", ["/api/v1/process-pdf", "/api/v1/estimate"])
def test_a_pdf_that_outruns_its_reading_budget_is_refused_with_pdf_too_complex(
    make_client: Callable[..., TestClient],
    owner: Person,
    digits: Path,
    storage_dir: Path,
    path: str,
) -> None:
    client = make_client(pdf_check_seconds_per_page=0.00005)  # 600 pages: 30 ms in all
    before = client.get("/api/v1/me/credits", headers=owner.headers).json()["balance"]

    answer = upload(client, owner, digits, path)

    status, code = _error(answer)
    assert (status, code) == (422, "PDF_TOO_COMPLEX")
    assert "too long to read" in answer.json()["error"]["message"]
    assert client.get("/api/v1/me/credits", headers=owner.headers).json()["balance"] == before
    assert files_in(storage_dir) == []


def test_estimates_are_rate_limited_per_user(
    make_client: Callable[..., TestClient], owner: Person, stranger: Person, small_pdf: Path
) -> None:
    client = make_client(rate_limit_estimates=2)

    mine = [upload(client, owner, small_pdf, "/api/v1/estimate") for _ in range(3)]
    theirs = upload(client, stranger, small_pdf, "/api/v1/estimate")

    assert [answer.status_code for answer in mine[:2]] == [200, 200]
    assert _error(mine[2]) == (429, "RATE_LIMITED")
    assert int(mine[2].headers["retry-after"]) > 3000
    assert theirs.status_code == 200


def test_the_estimate_sees_text_hidden_from_a_sample_of_pages(
    client: TestClient, owner: Person, hidden: Path
) -> None:
    estimate = upload(client, owner, hidden, "/api/v1/estimate").json()

    done = upload(client, owner, hidden)
    assert done.status_code == 200, done.text
    job = client.get(f"/api/v1/jobs/{done.json()['job_id']}", headers=owner.headers).json()

    assert job["actual_credits"] >= 1
    assert estimate["estimated_credits"] >= job["actual_credits"]
    assert job["estimated_credits"] >= job["actual_credits"]
