"""``GET /api/v1/jobs/{id}/events`` without Redis: the stream polls the database instead, opens
with the job's state and ends on a terminal event."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings
from frenchnovel.jobs import service
from tests.integration.conftest import pending_job
from tests.support.people import Person
from tests.support.sse import sse_events


def _events(client: TestClient, url: str, **kwargs: Any) -> list[tuple[str, dict[str, Any]]]:
    with client.stream("GET", url, **kwargs) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        return list(sse_events(answer.iter_lines()))


def test_a_cancelled_job_streams_its_state_once_and_the_stream_ends(
    client: TestClient, sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    job_id = pending_job(sessions, settings, owner)
    with sessions() as session, session.begin():
        service.cancel(session, user_id=owner.id, job_id=job_id)

    received = _events(client, f"/api/v1/jobs/{job_id}/events", headers=owner.headers)

    assert [name for name, _ in received] == ["cancelled"]
    assert received[0][1]["job_id"] == job_id and received[0][1]["status"] == "cancelled"


def test_the_token_may_come_as_a_query_parameter_for_event_source_clients(
    client: TestClient, sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    job_id = pending_job(sessions, settings, owner)
    with sessions() as session, session.begin():
        service.fail(session, job_id=job_id, code="PROCESSING_ERROR", message="broken")

    received = _events(client, f"/api/v1/jobs/{job_id}/events", params={"token": owner.token})

    assert [name for name, _ in received] == ["failed"]
    assert received[0][1]["error"]["code"] == "PROCESSING_ERROR"


def test_a_stranger_gets_404_and_nobody_without_a_token_gets_anything(
    client: TestClient,
    sessions: sessionmaker[Session],
    settings: Settings,
    owner: Person,
    stranger: Person,
) -> None:
    job_id = pending_job(sessions, settings, owner)
    url = f"/api/v1/jobs/{job_id}/events"

    assert client.get(url, headers=stranger.headers).status_code == 404
    assert client.get(url, params={"token": stranger.token}).status_code == 404
    assert client.get(url, params={"token": "fn_not-a-token"}).status_code == 401
    assert client.get(url).json()["error"]["code"] == "UNAUTHORIZED"
