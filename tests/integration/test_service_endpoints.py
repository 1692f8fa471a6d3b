"""Health, metrics, OpenAPI and the page: what operators and browsers see without a token."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from frenchnovel.api.app import create_app
from frenchnovel.config import Settings
from tests.support.people import Person
from tests.support.uploads import upload


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_health_is_ok_when_the_database_and_the_broker_answer(
    make_client: Callable[..., TestClient],
) -> None:
    answer = make_client(redis_url="redis://127.0.0.1:6379/0").get("/health")

    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_health_is_503_when_the_broker_is_down(make_client: Callable[..., TestClient]) -> None:
    answer = make_client(redis_url=f"redis://127.0.0.1:{_closed_port()}/0").get("/health")

    assert answer.status_code == 503
    assert answer.json()["broker"] == "down" and answer.json()["database"] == "ok"


def test_health_without_a_broker_says_it_is_not_configured(client: TestClient) -> None:
    answer = client.get("/health")

    assert answer.status_code == 200
    assert answer.json()["broker"] == "not configured"


def test_metrics_count_jobs_and_time_requests(
    client: TestClient, owner: Person, small_pdf: Path
) -> None:
    upload(client, owner, small_pdf)

    text = client.get("/metrics").text

    assert 'frenchnovel_jobs_submitted_total{mode="sync"}' in text
    assert "frenchnovel_jobs_completed_total" in text
    assert 'route="/api/v1/process-pdf"' in text


def test_the_openapi_documents_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert client.get("/docs").status_code == 200
    for path in (
        "/api/v1/process-pdf",
        "/api/v1/estimate",
        "/api/v1/jobs",
        "/api/v1/jobs/{job_id}",
        "/api/v1/jobs/{job_id}/result",
        "/api/v1/jobs/{job_id}/cancel",
        "/api/v1/me/credits",
        "/api/v1/credits/ledger",
        "/api/v1/settings",
        "/health",
    ):
        assert path in paths
    upload_schema = paths["/api/v1/process-pdf"]["post"]["requestBody"]["content"]
    assert "pdf_file" in upload_schema["multipart/form-data"]["schema"]["properties"]


def test_the_page_is_served_at_the_root_with_security_headers(client: TestClient) -> None:
    answer = client.get("/")

    assert answer.status_code == 200
    assert "text/html" in answer.headers["content-type"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in answer.headers["content-security-policy"]


def test_health_is_503_when_the_database_is_down(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"postgresql://postgres@127.0.0.1:{_closed_port()}/gone",
        storage_dir=tmp_path,
        redis_url=None,
    )

    with TestClient(create_app(settings, upgrade=False)) as client:
        answer = client.get("/health")

    assert answer.status_code == 503
    assert answer.json()["database"] == "down"
