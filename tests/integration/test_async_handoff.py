"""A file over the threshold is handed to the queue after the commit (no worker runs here:
the end-to-end tests run real workers)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.storage.models import JobChunk
from tests.support.people import Person
from tests.support.redis_databases import claim_redis_database, release_redis_database
from tests.support.uploads import upload


@pytest.fixture
def queue() -> Iterator[str]:
    """A Redis database claimed for the queued tasks, emptied afterwards."""
    url = claim_redis_database()
    try:
        yield url
    finally:
        release_redis_database(url)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_large_file_is_accepted_as_a_job_of_chunks(
    make_client: Callable[..., TestClient],
    owner: Person,
    small_pdf: Path,
    sessions: sessionmaker[Session],
    queue: str,
) -> None:
    client = make_client(
        redis_url=queue,
        async_processing_enabled=True,
        chunking_threshold_pages=2,
        chunk_size_pages=1,
    )

    answer = upload(client, owner, small_pdf)

    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["async"] is True and body["status"] == "processing" and body["message"]
    job = client.get(f"/api/v1/jobs/{body['job_id']}", headers=owner.headers).json()
    assert job["is_async"] is True and job["total_chunks"] == 3
    assert job["status"] in ("pending", "processing")
    with sessions() as session:
        pages = [
            (c.first_page, c.last_page)
            for c in session.query(JobChunk).filter_by(job_id=body["job_id"]).order_by("index")
        ]
    assert pages == [(1, 1), (2, 2), (3, 3)]


def test_a_queued_job_can_be_cancelled_and_is_refunded(
    make_client: Callable[..., TestClient], owner: Person, small_pdf: Path, queue: str
) -> None:
    client = make_client(redis_url=queue, async_processing_enabled=True, chunking_threshold_pages=2)
    job_id = upload(client, owner, small_pdf).json()["job_id"]

    cancelled = client.post(f"/api/v1/jobs/{job_id}/cancel", headers=owner.headers)

    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.get("/api/v1/me/credits", headers=owner.headers).json()["balance"] == 10_000


def test_a_job_that_cannot_be_queued_fails_at_once_and_is_refunded(
    make_client: Callable[..., TestClient], owner: Person, small_pdf: Path
) -> None:
    client = make_client(
        redis_url=f"redis://127.0.0.1:{_closed_port()}/0",
        async_processing_enabled=True,
        chunking_threshold_pages=2,
    )

    answer = upload(client, owner, small_pdf)

    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "PROCESSING_ERROR"
    jobs = client.get("/api/v1/jobs", headers=owner.headers).json()["jobs"]
    assert [j["status"] for j in jobs] == ["failed"]
    assert client.get("/api/v1/me/credits", headers=owner.headers).json()["balance"] == 10_000


def test_without_async_processing_a_large_file_is_answered_at_once(
    make_client: Callable[..., TestClient], owner: Person, small_pdf: Path
) -> None:
    client = make_client(async_processing_enabled=False, chunking_threshold_pages=2)

    answer = upload(client, owner, small_pdf)

    assert answer.status_code == 200
    assert answer.json()["sentences"]
