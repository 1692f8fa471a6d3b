"""What the service shows and lets through: file names that never become paths and come back
inert, a page that writes no data as HTML, CORS closed unless configured, security headers, and
per-reader limits (jobs at once; polling never limited)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from tests.reliability.helpers import files_in
from tests.support.people import Person
from tests.support.redis_server import RedisServer
from tests.support.uploads import upload

STATIC = Path(__file__).parents[2] / "src" / "frenchnovel" / "web" / "static"


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
