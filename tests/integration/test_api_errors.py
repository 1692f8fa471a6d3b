"""Every error code the synchronous service can give, reached through the HTTP API.

``CHUNK_PROCESSING_ERROR`` and ``TASK_TIMEOUT`` belong to the asynchronous path (workers).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings
from tests.integration import engines
from tests.integration.conftest import pending_job
from tests.support.people import Person
from tests.support.uploads import upload


def error_of(answer: object) -> tuple[int, str]:
    status = answer.status_code  # type: ignore[attr-defined]
    body = answer.json()  # type: ignore[attr-defined]
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]
    return status, body["error"]["code"]


def test_a_request_without_a_token_is_unauthorized(client: TestClient) -> None:
    answer = client.get("/api/v1/jobs")

    assert error_of(answer) == (401, "UNAUTHORIZED")
    assert answer.headers["www-authenticate"] == "Bearer"


def test_a_wrong_or_malformed_token_is_unauthorized(client: TestClient, owner: Person) -> None:
    wrong = client.get("/api/v1/jobs", headers={"Authorization": "Bearer fn_not-a-real-token"})
    basic = client.get("/api/v1/jobs", headers={"Authorization": f"Basic {owner.token}"})

    assert error_of(wrong) == (401, "UNAUTHORIZED")
    assert error_of(basic) == (401, "UNAUTHORIZED")


def test_a_file_that_is_not_a_pdf_is_refused(
    client: TestClient, owner: Person, corpus: Path
) -> None:
    answer = upload(client, owner, corpus / "robustness" / "qpdf_bad1.pdf")

    assert error_of(answer) == (400, "INVALID_PDF")


def test_a_password_protected_pdf_is_refused(
    client: TestClient, owner: Person, corpus: Path
) -> None:
    answer = upload(client, owner, corpus / "robustness" / "pypdf_r4-aes-user-password.pdf")

    assert error_of(answer) == (400, "ENCRYPTED_PDF")


def test_an_empty_file_is_refused(client: TestClient, owner: Person, tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")

    answer = upload(client, owner, empty)

    assert error_of(answer) == (400, "EMPTY_PDF")


def test_a_pdf_without_text_is_refused(client: TestClient, owner: Person, corpus: Path) -> None:
    answer = upload(client, owner, corpus / "robustness" / "ocrmypdf_vector.pdf")

    assert error_of(answer) == (422, "NO_TEXT_LAYER")


def test_a_request_that_is_not_a_form_with_a_file_is_refused(
    client: TestClient, owner: Person
) -> None:
    no_form = client.post("/api/v1/process-pdf", headers=owner.headers, json={"a": 1})
    no_file = client.post("/api/v1/process-pdf", headers=owner.headers, data={"engine": "local"})

    assert error_of(no_form) == (400, "INVALID_PDF")
    assert error_of(no_file) == (400, "INVALID_PDF")


def test_a_file_over_the_size_limit_is_refused(
    make_client: Callable[..., TestClient], owner: Person, corpus: Path, settings: Settings
) -> None:
    client = make_client(max_file_size_mb=1)

    answer = upload(client, owner, corpus / "pdf" / "voltaire_candide_ligaran2015.pdf")

    assert error_of(answer) == (413, "FILE_TOO_LARGE")
    assert not settings.storage_dir.exists() or list(settings.storage_dir.iterdir()) == []


def _chunked_form(pdf: Path, boundary: str) -> Iterator[bytes]:
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="pdf_file"; '
        f'filename="{pdf.name}"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    with pdf.open("rb") as handle:
        while block := handle.read(64 * 1024):
            yield block
    yield f"\r\n--{boundary}--\r\n".encode()


def test_a_streamed_upload_is_cut_off_at_the_size_limit(
    make_client: Callable[..., TestClient], owner: Person, corpus: Path, settings: Settings
) -> None:
    client = make_client(max_file_size_mb=1)
    boundary = uuid.uuid4().hex

    answer = client.post(
        "/api/v1/process-pdf",
        headers={**owner.headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        content=_chunked_form(corpus / "pdf" / "voltaire_candide_ligaran2015.pdf", boundary),
    )

    assert error_of(answer) == (413, "FILE_TOO_LARGE")
    assert not settings.storage_dir.exists() or list(settings.storage_dir.iterdir()) == []


def test_a_pdf_with_too_many_pages_is_refused(
    make_client: Callable[..., TestClient], owner: Person, small_pdf: Path
) -> None:
    answer = upload(make_client(max_pages=2), owner, small_pdf)

    assert error_of(answer) == (413, "TOO_MANY_PAGES")


def test_settings_out_of_range_or_unknown_are_refused(
    client: TestClient, owner: Person, small_pdf: Path
) -> None:
    too_long = upload(client, owner, small_pdf, sentence_length_limit=99)
    unknown = upload(client, owner, small_pdf, colour="blue")
    bad_default = client.put(
        "/api/v1/settings", headers=owner.headers, json={"min_sentence_length": 0}
    )

    assert error_of(too_long) == (422, "INVALID_SETTINGS")
    assert error_of(unknown) == (422, "INVALID_SETTINGS")
    assert error_of(bad_default) == (422, "INVALID_SETTINGS")


def test_an_engine_the_server_cannot_run_is_refused_at_submission(
    client: TestClient, owner: Person, small_pdf: Path
) -> None:
    answer = upload(client, owner, small_pdf, engine="gemini")

    assert error_of(answer) == (422, "INVALID_SETTINGS")
    assert client.get("/api/v1/jobs", headers=owner.headers).json()["total"] == 0


def test_a_job_beyond_the_overdraft_floor_is_refused(
    make_client: Callable[..., TestClient],
    make_person: Callable[..., Person],
    small_pdf: Path,
) -> None:
    broke = make_person("broke@example.org", credits_granted=-10_000 - 100)
    client = make_client()

    answer = upload(client, broke, small_pdf)

    assert error_of(answer) == (402, "INSUFFICIENT_CREDITS")
    # The upload was admitted before its file was read: it stays as a failed job, free.
    [job] = client.get("/api/v1/jobs", headers=broke.headers).json()["jobs"]
    assert (job["status"], job["error"]["code"]) == ("failed", "INSUFFICIENT_CREDITS")
    assert client.get("/api/v1/me/credits", headers=broke.headers).json()["balance"] == -100


def test_submissions_beyond_the_hourly_limit_are_rate_limited(
    make_client: Callable[..., TestClient], owner: Person, small_pdf: Path, other_pdf: Path
) -> None:
    client = make_client(rate_limit_submissions=1)
    upload(client, owner, small_pdf)

    answer = upload(client, owner, other_pdf)
    polls = [client.get("/api/v1/jobs", headers=owner.headers).status_code for _ in range(30)]

    assert error_of(answer) == (429, "RATE_LIMITED")
    assert 3500 <= int(answer.headers["retry-after"]) <= 3600
    assert set(polls) == {200}


def test_too_many_running_jobs_are_refused(
    make_client: Callable[..., TestClient],
    owner: Person,
    small_pdf: Path,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> None:
    pending_job(sessions, settings, owner)

    answer = upload(make_client(max_concurrent_jobs_per_user=1), owner, small_pdf)

    assert error_of(answer) == (429, "TOO_MANY_JOBS")


def test_a_missing_job_is_not_found(client: TestClient, owner: Person) -> None:
    answer = client.get(f"/api/v1/jobs/{uuid.uuid4()}", headers=owner.headers)

    assert error_of(answer) == (404, "JOB_NOT_FOUND")


def test_a_finished_job_cannot_be_cancelled(
    client: TestClient, owner: Person, small_pdf: Path
) -> None:
    job_id = upload(client, owner, small_pdf).json()["job_id"]

    answer = client.post(f"/api/v1/jobs/{job_id}/cancel", headers=owner.headers)

    assert error_of(answer) == (409, "INVALID_JOB_STATUS")


def test_a_job_refused_by_its_engine_fails_with_engine_error(
    make_client: Callable[..., TestClient], owner: Person, small_pdf: Path
) -> None:
    client = make_client(rewriter_factory=engines.refusing)

    answer = upload(client, owner, small_pdf)

    assert error_of(answer) == (502, "ENGINE_ERROR")
    job = client.get(f"/api/v1/jobs/{answer.json()['job_id']}", headers=owner.headers).json()
    assert job["status"] == "failed" and job["error"]["code"] == "ENGINE_ERROR"
    result = client.get(f"/api/v1/jobs/{job['job_id']}/result", headers=owner.headers)
    assert error_of(result) == (409, "INVALID_JOB_STATUS")


def test_a_crash_in_processing_fails_the_job_without_leaking_internals(
    make_client: Callable[..., TestClient], owner: Person, small_pdf: Path
) -> None:
    client = make_client(rewriter_factory=engines.crashing)

    answer = upload(client, owner, small_pdf)

    assert error_of(answer) == (500, "PROCESSING_ERROR")
    assert "secret" not in answer.text and "/srv" not in answer.text


def test_an_unexpected_server_error_has_the_one_error_shape(
    client: TestClient, owner: Person, small_pdf: Path, settings: Settings
) -> None:
    job_id = upload(client, owner, small_pdf).json()["job_id"]
    (settings.storage_dir / job_id / "result.json").write_text("{ broken")

    # The JSON is served as stored; a CSV has to be rendered from it.
    answer = client.get(f"/api/v1/jobs/{job_id}/result?format=csv", headers=owner.headers)

    assert error_of(answer) == (500, "INTERNAL_ERROR")
    assert "broken" not in answer.text and "JSONDecodeError" not in answer.text


def test_framework_errors_have_the_one_error_shape(client: TestClient, owner: Person) -> None:
    missing = client.get("/api/v1/no-such-thing", headers=owner.headers)
    wrong_method = client.delete("/api/v1/jobs", headers=owner.headers)
    get_on_a_post = client.get("/api/v1/process-pdf", headers=owner.headers)
    bad_query = client.get("/api/v1/jobs?per_page=0", headers=owner.headers)
    bad_format = client.get(f"/api/v1/jobs/{uuid.uuid4()}/result?format=pdf", headers=owner.headers)

    assert error_of(missing) == (404, "NOT_FOUND")
    assert error_of(wrong_method) == (405, "METHOD_NOT_ALLOWED")
    assert error_of(get_on_a_post) == (405, "METHOD_NOT_ALLOWED")
    assert get_on_a_post.headers["allow"] == "POST"
    assert error_of(bad_query) == (422, "INVALID_REQUEST")
    assert error_of(bad_format) == (422, "INVALID_REQUEST")
