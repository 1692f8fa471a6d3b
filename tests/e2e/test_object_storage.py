"""The async path with ``STORAGE_URL`` on moto's S3 server: upload → chunks on a real worker →
merged result → download, a duplicate answered from the finished job, and a cleanup that leaves
no object; then the store failing under a running job (refusing, hanging, refusing for good)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update

from frenchnovel.storage.models import Job, utcnow
from frenchnovel.worker.celery_app import create_celery_app
from tests.e2e.stack import Stack, wait_for
from tests.support.s3 import FaultProxy, MotoServer


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_a_novel_goes_through_the_object_store_from_upload_to_cleanup(
    s3_stack: Stack, s3_server: MotoServer, novels: dict[str, Path], reference: Any
) -> None:
    owner = s3_stack.reader()
    s3_stack.start_worker()

    answer = s3_stack.submit(owner, novels["short"])

    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]
    s3_stack.wait_status(owner, job_id, {"completed"}, timeout=180)
    assert s3_stack.sentences(owner, job_id) == reference(novels["short"])
    assert [kind for kind, _ in s3_stack.ledger(job_id)] in (
        ["reservation"],
        ["reservation", "adjustment"],
    )
    keys = s3_server.keys(s3_stack.bucket, f"store/{job_id}/")
    assert sorted(keys) == [f"store/{job_id}/result.json", f"store/{job_id}/source.pdf"]
    assert _files(s3_stack.storage_dir) == []  # scratch copies removed, nothing else kept

    again = s3_stack.submit(owner, novels["short"])
    assert again.status_code == 200, again.text
    assert again.json()["reused_from_job_id"] == job_id
    assert again.json()["sentences"] == reference(novels["short"])

    with s3_stack.sessions() as session, session.begin():
        session.execute(update(Job).values(finished_at=utcnow() - timedelta(hours=25)))
    create_celery_app(s3_stack.settings).send_task("frenchnovel.cleanup_old_jobs")
    wait_for(
        lambda: s3_stack.job_row(job_id).files_purged_at is not None,
        timeout=30,
        what="the cleanup",
    )
    assert s3_server.keys(s3_stack.bucket, f"store/{job_id}/") == []


def test_a_store_that_refuses_or_hangs_under_a_job_is_retried_and_the_job_completes_once(
    s3_stack: Stack, store_proxy: FaultProxy, novels: dict[str, Path], reference: Any
) -> None:
    owner = s3_stack.reader()
    s3_stack.start_worker()
    # A chunk's download: one request hangs past S3_TIMEOUT_SECONDS, two are refused (every
    # attempt of one download); the merge's result: four refusals (more than one write's).
    store_proxy.hang(1, seconds=4, method="GET", path_contains="source.pdf")
    store_proxy.fail(2, status=503, method="GET", path_contains="source.pdf")
    store_proxy.fail(4, status=500, method="PUT", path_contains="result.json")

    answer = s3_stack.submit(owner, novels["short"], sentence_length_limit=9)

    job_id = answer.json()["job_id"]
    s3_stack.wait_status(owner, job_id, {"completed"}, timeout=180)
    faults = sorted(kind for *_, kind in store_proxy.seen() if kind != "forwarded")
    assert faults == ["fail"] * 6 + ["hang"]
    kinds = [kind for kind, _ in s3_stack.ledger(job_id)]
    assert kinds in (["reservation"], ["reservation", "adjustment"])
    assert [s["page"] for s in s3_stack.sentences(owner, job_id)][-1] == 40


def test_a_store_that_keeps_refusing_fails_the_job_with_its_credits_back_and_no_result(
    s3_stack: Stack, s3_server: MotoServer, store_proxy: FaultProxy, novels: dict[str, Path]
) -> None:
    owner = s3_stack.reader()
    s3_stack.start_worker()
    store_proxy.fail(10_000, status=503, method="GET", path_contains="source.pdf")

    answer = s3_stack.submit(owner, novels["short"], sentence_length_limit=7)

    job_id = answer.json()["job_id"]
    job = s3_stack.wait_status(owner, job_id, {"failed", "completed"}, timeout=180)
    assert job["status"] == "failed"
    assert job["error"]["code"] == "CHUNK_PROCESSING_ERROR"
    assert sum(amount for _, amount in s3_stack.ledger(job_id)) == 0
    assert [kind for kind, _ in s3_stack.ledger(job_id)] == ["reservation", "refund"]
    assert f"store/{job_id}/result.json" not in s3_server.keys(s3_stack.bucket)
    assert _files(s3_stack.storage_dir) == []
