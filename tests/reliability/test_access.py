"""Access: tokens kept hashed and compared in constant time, 401 for every request without a
valid token, 404 for a stranger on every job route (and for anything that is not a job id),
and no result of one reader ever reused for another."""

from __future__ import annotations

import hashlib
import inspect
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from frenchnovel.api.app import API_PREFIX, create_app
from frenchnovel.config import Settings
from frenchnovel.storage import accounts
from frenchnovel.storage.models import ApiToken
from tests.support.people import Person
from tests.support.uploads import upload


def _api_routes() -> list[tuple[str, str]]:
    """Every operation of the API, from its OpenAPI document."""
    app = create_app(Settings(database_url="sqlite://", storage_dir=Path("/nonexistent")))
    return sorted(
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if path.startswith(API_PREFIX)
        for method in operations
    )


API_ROUTES = _api_routes()
JOB_ROUTES = [(m, p) for m, p in API_ROUTES if "{job_id}" in p]
BAD_AUTHORIZATION = {
    "none": None,
    "empty": "",
    "scheme only": "Bearer",
    "blank token": "Bearer    ",
    "basic": "Basic dXNlcjpwYXNz",
    "unknown token": "Bearer fn_" + "A" * 43,
    "no prefix": "Bearer " + "A" * 46,
    "huge": "Bearer fn_" + "x" * 100_000,
    "non-ascii": "Bearer fn_é€ñ",
    "sql": "Bearer fn_' OR '1'='1",
}


def test_the_routes_under_test_are_all_the_api_routes() -> None:
    assert len(API_ROUTES) >= 11
    assert {p for _, p in JOB_ROUTES} >= {
        "/api/v1/jobs/{job_id}",
        "/api/v1/jobs/{job_id}/result",
        "/api/v1/jobs/{job_id}/events",
        "/api/v1/jobs/{job_id}/cancel",
    }


def test_a_token_is_stored_only_as_its_sha256(engine: Engine, owner: Person) -> None:
    with engine.connect() as connection:
        stored = connection.execute(select(ApiToken.token_hash)).scalars().all()

    assert hashlib.sha256(owner.token.encode()).hexdigest() in stored
    assert all(owner.token not in value and len(value) == 64 for value in stored)


def test_a_token_is_compared_in_constant_time() -> None:
    # Timing cannot be asserted in a test; the code must use hmac.compare_digest on the digest.
    source = inspect.getsource(accounts.authenticate)
    assert "hmac.compare_digest" in source
    assert "== token" not in source and "token ==" not in source


@pytest.mark.parametrize("kind", BAD_AUTHORIZATION)
@pytest.mark.parametrize(("method", "path"), API_ROUTES)
def test_a_request_without_a_valid_token_gets_401(
    client: TestClient, method: str, path: str, kind: str
) -> None:
    value = BAD_AUTHORIZATION[kind]
    headers = {} if value is None else {"Authorization": value.encode()}
    url = path.replace("{job_id}", str(uuid.uuid4()))

    answer = client.request(method, url, headers=headers)

    assert answer.status_code == 401, (answer.status_code, answer.text[:200])
    assert answer.json()["error"]["code"] == "UNAUTHORIZED"


def test_a_body_that_is_not_json_without_a_token_gets_401(client: TestClient) -> None:
    answer = client.put(
        "/api/v1/settings", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 401


@pytest.mark.parametrize("token", ["", "fn_nothing", "Bearer x"])
def test_an_event_stream_with_a_bad_query_token_gets_401(client: TestClient, token: str) -> None:
    answer = client.get(f"/api/v1/jobs/{uuid.uuid4()}/events", params={"token": token})
    assert answer.status_code == 401


def test_a_revoked_token_opens_nothing(client: TestClient, engine: Engine, owner: Person) -> None:
    from sqlalchemy import update

    from frenchnovel.storage.models import utcnow

    with engine.begin() as connection:
        connection.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == accounts.hash_token(owner.token))
            .values(revoked_at=utcnow())
        )

    assert client.get("/api/v1/jobs", headers=owner.headers).status_code == 401


@pytest.fixture
def my_job(client: TestClient, owner: Person, small_pdf: Path) -> str:
    answer = upload(client, owner, small_pdf)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["job_id"])


@pytest.mark.parametrize(("method", "path"), JOB_ROUTES)
def test_a_stranger_gets_the_same_404_as_for_a_job_that_does_not_exist(
    client: TestClient, owner: Person, stranger: Person, my_job: str, method: str, path: str
) -> None:
    missing = str(uuid.uuid4())

    theirs = client.request(method, path.replace("{job_id}", my_job), headers=stranger.headers)
    nowhere = client.request(method, path.replace("{job_id}", missing), headers=owner.headers)

    assert theirs.status_code == nowhere.status_code == 404
    assert theirs.json()["error"]["code"] == nowhere.json()["error"]["code"] == "JOB_NOT_FOUND"
    assert (
        theirs.json()["error"]["message"].replace(my_job, missing)
        == (nowhere.json()["error"]["message"])
    )
    assert client.get(f"/api/v1/jobs/{my_job}", headers=owner.headers).json()["status"] == (
        "completed"
    )


def test_a_stranger_following_my_job_with_a_query_token_gets_404(
    client: TestClient, stranger: Person, my_job: str
) -> None:
    answer = client.get(f"/api/v1/jobs/{my_job}/events", params={"token": stranger.token})
    assert answer.status_code == 404


def test_a_stranger_sees_none_of_my_jobs_or_ledger_lines(
    client: TestClient, stranger: Person, my_job: str
) -> None:
    jobs = client.get("/api/v1/jobs", headers=stranger.headers).json()
    ledger = client.get("/api/v1/credits/ledger", headers=stranger.headers).json()

    assert jobs["total"] == 0
    assert all(entry.get("job_id") != my_job for entry in ledger["entries"])


@pytest.mark.parametrize(
    "job_id",
    ["..", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%00", "x" * 5000, "é" * 40, "1 OR 1=1"],
)
def test_a_job_id_that_is_not_one_gets_404_and_touches_no_file(
    client: TestClient, owner: Person, job_id: str
) -> None:
    for suffix in ("", "/result", "/events", "/cancel"):
        method = "POST" if suffix == "/cancel" else "GET"
        answer = client.request(method, f"/api/v1/jobs/{job_id}{suffix}", headers=owner.headers)
        assert answer.status_code in (404, 405), (suffix, answer.status_code, answer.text[:200])


def test_a_stranger_sending_the_same_file_never_gets_my_result_reused(
    client: TestClient, owner: Person, stranger: Person, small_pdf: Path
) -> None:
    mine = upload(client, owner, small_pdf).json()
    theirs = upload(client, stranger, small_pdf).json()

    assert theirs["job_id"] != mine["job_id"]
    assert theirs.get("reused_from_job_id") is None
    again = upload(client, owner, small_pdf).json()
    assert again["reused_from_job_id"] == mine["job_id"]  # reuse exists, for the owner only
