"""Another user's job is as missing as a job that does not exist, on every job route."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.support.people import Person
from tests.support.uploads import upload

JOB_ROUTES = [
    ("GET", "/api/v1/jobs/{id}"),
    ("GET", "/api/v1/jobs/{id}/result"),
    ("GET", "/api/v1/jobs/{id}/result?format=csv"),
    ("GET", "/api/v1/jobs/{id}/events"),
    ("POST", "/api/v1/jobs/{id}/cancel"),
]


@pytest.mark.parametrize(("method", "route"), JOB_ROUTES)
def test_a_stranger_gets_404_on_my_job(
    client: TestClient,
    owner: Person,
    stranger: Person,
    small_pdf: Path,
    method: str,
    route: str,
) -> None:
    job_id = upload(client, owner, small_pdf).json()["job_id"]

    answer = client.request(method, route.format(id=job_id), headers=stranger.headers)

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "JOB_NOT_FOUND"
    assert client.get(f"/api/v1/jobs/{job_id}", headers=owner.headers).status_code == 200


def test_a_stranger_does_not_see_my_jobs_or_my_ledger(
    client: TestClient, owner: Person, stranger: Person, small_pdf: Path
) -> None:
    job_id = upload(client, owner, small_pdf).json()["job_id"]

    jobs = client.get("/api/v1/jobs", headers=stranger.headers).json()
    ledger = client.get("/api/v1/credits/ledger", headers=stranger.headers).json()

    assert jobs["total"] == 0
    assert all(entry["job_id"] != job_id for entry in ledger["entries"])
