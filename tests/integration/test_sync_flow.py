"""The whole synchronous flow with real PDFs: upload, sentences, job, result formats, credits."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from frenchnovel.config import Settings
from frenchnovel.jobs import sync
from frenchnovel.pipeline.words import count_words
from tests.integration import engines
from tests.support.people import Person
from tests.support.uploads import upload


def test_a_small_pdf_is_answered_at_once_with_its_sentences(
    client: TestClient, owner: Person, small_pdf: Path
) -> None:
    answer = upload(client, owner, small_pdf, sentence_length_limit=8)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "completed"
    assert body["page_count"] == 3
    sentences = body["sentences"]
    assert len(sentences) > 10
    assert [s["index"] for s in sentences] == list(range(len(sentences)))
    assert {s["page"] for s in sentences} <= {1, 2, 3}
    assert any(s["rewritten"] for s in sentences)
    assert all(s["text"] == s["original"] for s in sentences if not s["rewritten"])
    assert all(s["over_limit"] == (count_words(s["text"]) > 8) for s in sentences)
    assert body["stats"]["over_limit"] == sum(s["over_limit"] for s in sentences)


def test_the_finished_job_shows_its_progress_and_costs(
    client: TestClient, owner: Person, small_pdf: Path
) -> None:
    job_id = upload(client, owner, small_pdf).json()["job_id"]

    job = client.get(f"/api/v1/jobs/{job_id}", headers=owner.headers).json()

    assert job["status"] == "completed"
    assert job["progress_percent"] == 100
    assert job["total_chunks"] == job["completed_chunks"] == 1
    assert job["is_async"] is False
    assert job["filename"] == small_pdf.name
    assert job["estimated_credits"] >= 1
    assert job["actual_tokens"] > 0
    assert job["actual_credits"] >= 1
    assert job["error"] is None
    assert job["started_at"] and job["finished_at"]


def test_the_result_downloads_in_every_format(
    client: TestClient, owner: Person, small_pdf: Path
) -> None:
    body = upload(client, owner, small_pdf).json()
    url = f"/api/v1/jobs/{body['job_id']}/result"

    as_json = client.get(url, headers=owner.headers)
    as_csv = client.get(url, params={"format": "csv"}, headers=owner.headers)
    as_xlsx = client.get(url, params={"format": "xlsx"}, headers=owner.headers)
    as_txt = client.get(url, params={"format": "txt"}, headers=owner.headers)

    assert json.loads(as_json.content)["sentences"] == body["sentences"]
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert [r["text"] for r in rows] == [s["text"] for s in body["sentences"]]
    assert list(rows[0]) == [
        "index",
        "text",
        "original",
        "page",
        "rewritten",
        "over_limit",
        "chapter",
    ]
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet.max_row >= len(body["sentences"])
    assert body["sentences"][0]["text"] in as_txt.content.decode("utf-8")
    assert "attachment" in as_csv.headers["content-disposition"]


def test_my_jobs_are_listed_newest_first_and_paged(
    client: TestClient, owner: Person, small_pdf: Path, other_pdf: Path
) -> None:
    first = upload(client, owner, small_pdf).json()["job_id"]
    second = upload(client, owner, other_pdf).json()["job_id"]

    page_one = client.get("/api/v1/jobs?per_page=1", headers=owner.headers).json()
    page_two = client.get("/api/v1/jobs?per_page=1&page=2", headers=owner.headers).json()

    assert page_one["total"] == 2
    assert [j["job_id"] for j in page_one["jobs"]] == [second]
    assert [j["job_id"] for j in page_two["jobs"]] == [first]


def test_the_ledger_adds_up_to_the_balance_after_a_job(
    client: TestClient, owner: Person, small_pdf: Path
) -> None:
    job_id = upload(client, owner, small_pdf).json()["job_id"]

    ledger = client.get("/api/v1/credits/ledger", headers=owner.headers).json()
    mine = client.get("/api/v1/me/credits", headers=owner.headers).json()
    job = client.get(f"/api/v1/jobs/{job_id}", headers=owner.headers).json()

    kinds = [e["kind"] for e in ledger["entries"] if e["job_id"] == job_id]
    assert "reservation" in kinds and "refund" not in kinds
    assert sum(e["amount"] for e in ledger["entries"]) == ledger["balance"] == mine["balance"]
    assert mine["balance"] == 10_000 - job["actual_credits"]
    assert mine["used"] == job["actual_credits"]
    assert mine["granted"] == 10_000


def test_the_same_file_with_the_same_settings_reuses_the_finished_result(
    client: TestClient, owner: Person, small_pdf: Path
) -> None:
    first = upload(client, owner, small_pdf).json()
    balance = client.get("/api/v1/me/credits", headers=owner.headers).json()["balance"]

    again = upload(client, owner, small_pdf)
    other_settings = upload(client, owner, small_pdf, sentence_length_limit=12)

    assert again.status_code == 200
    assert again.json()["reused_from_job_id"] == first["job_id"]
    assert again.json()["sentences"] == first["sentences"]
    assert other_settings.json()["reused_from_job_id"] is None
    job = client.get(f"/api/v1/jobs/{again.json()['job_id']}", headers=owner.headers).json()
    assert job["actual_credits"] == 0
    after = client.get("/api/v1/me/credits", headers=owner.headers).json()["balance"]
    assert after < balance  # only the job with other settings was charged


def test_another_users_identical_file_is_processed_for_them(
    client: TestClient, owner: Person, stranger: Person, small_pdf: Path
) -> None:
    upload(client, owner, small_pdf)

    theirs = upload(client, stranger, small_pdf).json()

    assert theirs["reused_from_job_id"] is None


def test_an_estimate_stores_and_charges_nothing(
    client: TestClient, owner: Person, small_pdf: Path, settings: Settings
) -> None:
    answer = upload(client, owner, small_pdf, path="/api/v1/estimate")

    body = answer.json()
    assert answer.status_code == 200, answer.text
    assert body["pages"] == 3
    assert body["estimated_credits"] >= 1 and body["estimated_tokens"] > 0
    assert body["balance"] == 10_000
    assert body["allowed"] is True and body["async"] is False
    assert client.get("/api/v1/jobs", headers=owner.headers).json()["total"] == 0
    assert not settings.storage_dir.exists() or list(settings.storage_dir.iterdir()) == []


def test_my_default_settings_apply_to_my_next_job(
    client: TestClient, owner: Person, small_pdf: Path
) -> None:
    saved = client.put(
        "/api/v1/settings", headers=owner.headers, json={"sentence_length_limit": 20}
    )

    job_id = upload(client, owner, small_pdf).json()["job_id"]

    assert saved.status_code == 200 and saved.json()["sentence_length_limit"] == 20
    stored = client.get("/api/v1/settings", headers=owner.headers).json()
    assert stored["sentence_length_limit"] == 20
    job = client.get(f"/api/v1/jobs/{job_id}", headers=owner.headers).json()
    assert job["settings"]["sentence_length_limit"] == 20


def test_uploads_processed_at_the_same_time_get_what_one_at_a_time_gets(
    client: TestClient, owner: Person, stranger: Person, small_pdf: Path, other_pdf: Path
) -> None:
    # The API validates, extracts and rewrites in its thread pool: PDFium and the engine must
    # not mix up documents that are in flight together. Each (file, limit) is a distinct job.
    cases = [(pdf, limit) for pdf in (small_pdf, other_pdf) for limit in (6, 8, 10, 12)]

    def sentences(person: Person, case: tuple[Path, int]) -> Any:
        answer = upload(client, person, case[0], sentence_length_limit=case[1])
        assert answer.status_code == 200, answer.text
        return answer.json()["sentences"]

    alone = [sentences(owner, case) for case in cases]
    with ThreadPoolExecutor(max_workers=len(cases)) as pool:
        together = list(pool.map(lambda case: sentences(stranger, case), cases))

    assert together == alone


def test_synchronous_jobs_beyond_one_per_cpu_wait_for_a_slot(
    make_client: Callable[..., TestClient], owner: Person, small_pdf: Path
) -> None:
    slow = engines.SlowEngine()
    client = make_client(rewriter_factory=lambda options, settings: slow)
    count = sync.SLOT_COUNT + 2  # distinct limits: distinct jobs, none reused

    def submit(n: int) -> int:
        return int(upload(client, owner, small_pdf, sentence_length_limit=5 + n).status_code)

    with ThreadPoolExecutor(max_workers=count) as pool:
        codes = list(pool.map(submit, range(count)))

    assert codes == [200] * count
    assert 1 <= slow.most <= sync.SLOT_COUNT
