"""Access: tokens kept hashed and compared in constant time, 401 for every request without a
valid token, 404 for a stranger on every job route, file names that never become paths and are
escaped where shown, CORS closed unless configured, security headers, a cap on running jobs."""

from __future__ import annotations

import hashlib
import inspect
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from frenchnovel.api.app import API_PREFIX, create_app
from frenchnovel.config import Settings
from frenchnovel.storage import accounts
from frenchnovel.storage.models import ApiToken
from tests.reliability.conftest import Person, files_in, upload
from tests.support.redis_server import RedisServer

STATIC = Path(__file__).parents[2] / "src" / "frenchnovel" / "web" / "static"


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


HOSTILE_NAMES = [
    "../../../../tmp/owned.pdf",
    "..\\..\\..\\windows\\owned.pdf",
    "/etc/passwd",
    "<img src=x onerror=alert(1)>.pdf",
    'roman"; filename="evil.exe',
    "roman\r\nSet-Cookie: a=b.pdf",
    "....//....//owned.pdf",
    "%2e%2e%2fowned.pdf",
    "roman\x00.pdf",
    "",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_file_name_never_becomes_a_path_and_comes_back_inert(
    client: TestClient, owner: Person, small_pdf: Path, storage_dir: Path, name: str
) -> None:
    answer = upload(client, owner, small_pdf, filename=name, sentence_length_limit=12)

    assert answer.status_code == 200, answer.text
    job_id = answer.json()["job_id"]
    for path in files_in(storage_dir):
        assert path.resolve().is_relative_to(storage_dir.resolve())
        assert path.parent.name == job_id and path.name in {"source.pdf", "result.json"}
    shown = client.get(f"/api/v1/jobs/{job_id}", headers=owner.headers).json()["filename"]
    assert "/" not in shown and "\\" not in shown and "\r" not in shown and "\n" not in shown
    download = client.get(f"/api/v1/jobs/{job_id}/result?format=csv", headers=owner.headers)
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''")
    sent_name = disposition.removeprefix("attachment; filename*=UTF-8''")
    assert all(c not in sent_name for c in ' ";\\/\r\n')  # percent-encoded, one parameter
    assert "/" not in unquote(sent_name) and unquote(sent_name).endswith(".csv")


def test_the_page_never_writes_a_job_s_data_as_html() -> None:
    # A file name shown on the page goes through textContent: no HTML sink takes data.
    for script in STATIC.glob("*.js"):
        text = script.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"):
            assert sink not in text, f"{script.name} uses {sink}"


def test_cors_is_closed_by_default(client: TestClient) -> None:
    preflight = client.options(
        "/api/v1/jobs",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    simple = client.get("/health", headers={"Origin": "https://evil.example"})

    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in simple.headers


def test_cors_opens_to_the_configured_origins_only(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(cors_origins=["https://reader.example"])

    def preflight(origin: str) -> dict[str, str]:
        return dict(
            client.options(
                "/api/v1/jobs",
                headers={
                    "Origin": origin,
                    "Access-Control-Request-Method": "GET",
                    "Access-Control-Request-Headers": "authorization",
                },
            ).headers
        )

    assert preflight("https://reader.example")["access-control-allow-origin"] == (
        "https://reader.example"
    )
    assert "access-control-allow-origin" not in preflight("https://evil.example")


@pytest.mark.parametrize("path", ["/", "/index.html", "/api/v1/jobs", "/health"])
def test_security_headers_are_sent(client: TestClient, owner: Person, path: str) -> None:
    answer = client.get(path, headers=owner.headers)

    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.fixture
def capped_client(
    make_client: Callable[..., TestClient], redis_server: RedisServer
) -> Iterator[TestClient]:
    """Async processing on the suite's Redis with no worker (jobs stay queued), two at a time."""
    import redis

    url = redis_server.url(5)
    yield make_client(
        async_processing_enabled=True,
        redis_url=url,
        chunking_threshold_pages=2,
        chunk_size_pages=2,
        max_concurrent_jobs_per_user=2,
    )
    redis.Redis.from_url(url).flushdb()


def test_a_reader_may_run_only_so_many_jobs_at_once(
    capped_client: TestClient, owner: Person, stranger: Person, small_pdf: Path
) -> None:
    def submit(person: Person, limit: int) -> tuple[int, dict[str, object]]:
        answer = upload(capped_client, person, small_pdf, sentence_length_limit=limit)
        return answer.status_code, answer.json()

    first, second = submit(owner, 10), submit(owner, 11)
    balance = capped_client.get("/api/v1/me/credits", headers=owner.headers).json()["balance"]
    third = submit(owner, 12)

    assert [first[0], second[0]] == [202, 202]
    assert third[0] == 429 and third[1]["error"]["code"] == "TOO_MANY_JOBS"  # type: ignore[index]
    after = capped_client.get("/api/v1/me/credits", headers=owner.headers).json()["balance"]
    assert after == balance  # refused: nothing reserved
    assert submit(stranger, 10)[0] == 202  # the cap is per reader
    job_id = first[1]["job_id"]
    capped_client.post(f"/api/v1/jobs/{job_id}/cancel", headers=owner.headers)
    fourth = submit(owner, 13)
    assert fourth[0] == 202
    for _, body in (second, fourth):
        capped_client.post(f"/api/v1/jobs/{body['job_id']}/cancel", headers=owner.headers)


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


def test_polling_a_job_every_moment_is_never_rate_limited(
    make_client: Callable[..., TestClient], owner: Person, small_pdf: Path
) -> None:
    client = make_client(rate_limit_submissions=1)
    job_id = upload(client, owner, small_pdf).json()["job_id"]

    codes = {client.get(f"/api/v1/jobs/{job_id}", headers=owner.headers).status_code}
    codes |= {client.get("/api/v1/jobs", headers=owner.headers).status_code for _ in range(50)}
    for _ in range(150):
        codes.add(client.get(f"/api/v1/jobs/{job_id}", headers=owner.headers).status_code)

    assert codes == {200}
    limited = upload(client, owner, small_pdf, sentence_length_limit=20)
    assert limited.status_code == 429 and "retry-after" in limited.headers


@pytest.mark.parametrize("raw_name", [b"roman\x00.pdf", b"\xff\xfe.pdf", b"a" * 1000 + b".pdf"])
def test_a_raw_file_name_of_any_bytes_is_stored_as_harmless_text(
    client: TestClient, owner: Person, small_pdf: Path, raw_name: bytes
) -> None:
    body = (
        b'--b\r\nContent-Disposition: form-data; name="pdf_file"; filename="'
        + raw_name
        + b'"\r\nContent-Type: application/pdf\r\n\r\n'
        + small_pdf.read_bytes()
        + b"\r\n--b--\r\n"
    )

    answer = client.post(
        "/api/v1/process-pdf",
        content=body,
        headers={**owner.headers, "Content-Type": "multipart/form-data; boundary=b"},
    )

    assert answer.status_code == 200, answer.text[:300]
    shown = client.get(f"/api/v1/jobs/{answer.json()['job_id']}", headers=owner.headers)
    assert "\x00" not in shown.json()["filename"] and len(shown.json()["filename"]) <= 255
