"""Cancelling a running job, and the hourly cleanup of old jobs, on real workers."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import update

from frenchnovel.storage.models import Job, utcnow
from frenchnovel.worker.celery_app import create_celery_app
from tests.e2e.stack import Stack, wait_for


def _running_chunk_tasks(stack: Stack, job_id: str) -> list[str]:
    app = create_celery_app(stack.settings)
    active = app.control.inspect(timeout=1.0).active() or {}
    return [task["id"] for tasks in active.values() for task in tasks if job_id in task["id"]]


def test_cancel_in_the_middle_stops_every_chunk_within_seconds_and_refunds_once(
    sqlite_stack: Stack, novels: dict[str, Path]
) -> None:
    owner = sqlite_stack.reader()
    sqlite_stack.start_worker(FRENCHNOVEL_FAULTS="slow:2")
    job_id = sqlite_stack.submit(owner, novels["short"]).json()["job_id"]
    wait_for(
        lambda: sqlite_stack.job(owner, job_id)["completed_chunks"] >= 1,
        timeout=90,
        what="the first chunk",
    )
    assert _running_chunk_tasks(sqlite_stack, job_id)

    answer = httpx.post(
        f"{sqlite_stack.api_url}/api/v1/jobs/{job_id}/cancel", headers=owner.headers
    )
    cancelled_at = utcnow()

    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    wait_for(
        lambda: not _running_chunk_tasks(sqlite_stack, job_id),
        timeout=5,
        what="the running chunks to stop",
    )
    settled = [(c.index, c.status, c.attempts) for c in sqlite_stack.chunks(job_id)]
    time.sleep(3)  # time enough for a queued chunk to start, had it not been revoked
    chunks = sqlite_stack.chunks(job_id)
    assert [(c.index, c.status, c.attempts) for c in chunks] == settled
    assert all(c.started_at is None or c.started_at <= cancelled_at for c in chunks)
    assert {c.status for c in chunks} <= {"completed", "cancelled"}
    assert sqlite_stack.job(owner, job_id)["status"] == "cancelled"
    kinds = [kind for kind, _ in sqlite_stack.ledger(job_id)]
    assert kinds == ["reservation", "refund"]
    assert sum(amount for _, amount in sqlite_stack.ledger(job_id)) == 0
    again = httpx.post(f"{sqlite_stack.api_url}/api/v1/jobs/{job_id}/cancel", headers=owner.headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "INVALID_JOB_STATUS"


def test_cleanup_removes_the_files_and_result_of_an_old_job_and_keeps_its_row_and_ledger(
    sqlite_stack: Stack, novels: dict[str, Path]
) -> None:
    owner = sqlite_stack.reader()
    sqlite_stack.start_worker()
    job_id = sqlite_stack.submit(owner, novels["short"], sentence_length_limit=9).json()["job_id"]
    sqlite_stack.wait_status(owner, job_id, {"completed"}, timeout=120)
    ledger = sqlite_stack.ledger(job_id)
    with sqlite_stack.sessions() as session, session.begin():
        session.execute(
            update(Job).where(Job.id == job_id).values(finished_at=utcnow() - timedelta(hours=25))
        )

    create_celery_app(sqlite_stack.settings).send_task("frenchnovel.cleanup_old_jobs")

    wait_for(
        lambda: sqlite_stack.job_row(job_id).files_purged_at is not None,
        timeout=30,
        what="the cleanup",
    )
    assert not (sqlite_stack.storage_dir / job_id).exists()
    assert all(chunk.result is None for chunk in sqlite_stack.chunks(job_id))
    job = sqlite_stack.job(owner, job_id)
    assert job["status"] == "completed" and job["result_available"] is False
    result = httpx.get(f"{sqlite_stack.api_url}/api/v1/jobs/{job_id}/result", headers=owner.headers)
    assert result.status_code == 409
    assert sqlite_stack.ledger(job_id) == ledger
