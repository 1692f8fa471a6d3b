"""Small files answered at once, on a real API process: a job cancelled while its upload waits
answers a documented 409, and a job whose API was killed is failed and refunded, once, soon
after the next start."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from frenchnovel.storage.models import Job, User
from tests.e2e.stack import Reader, Stack, wait_for
from tests.reliability.helpers import Losses
from tests.support.service_stack import ServiceStack

RECOVERY_SECONDS = 60


@pytest.fixture(scope="module")
def sync_novel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty pages: answered at once, and a few seconds of work to interrupt."""
    from tests.support.render import render_novel

    out = tmp_path_factory.mktemp("sync-novel") / "capitaine-20.pdf"
    return render_novel("verne", pages=20, out=out).path


class Upload(threading.Thread):
    """``POST /process-pdf`` in the background; ``answer`` once it returns."""

    def __init__(self, stack: Stack, reader: Reader, pdf: Path) -> None:
        super().__init__(daemon=True)
        self.stack, self.reader, self.pdf = stack, reader, pdf
        self.answer: httpx.Response | None = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            self.answer = self.stack.submit(self.reader, self.pdf)
        except httpx.HTTPError as exc:
            self.error = exc


def _jobs(stack: Stack, reader: Reader, status: str) -> list[Job]:
    with stack.sessions() as session:
        user_id = session.scalar(select(User.id).where(User.email == reader.email))
        query = select(Job).where(Job.user_id == user_id, Job.status == status)
        return list(session.scalars(query))


def _kinds(stack: Stack, job_id: str) -> list[str]:
    return [kind for kind, _ in stack.ledger(job_id)]


def test_a_small_job_cancelled_while_its_upload_waits_answers_409_job_cancelled(
    service: ServiceStack, sync_novel: Path, lost: Losses
) -> None:
    owner = service.reader()
    upload = Upload(service, owner, sync_novel)
    upload.start()
    job = wait_for(lambda: _jobs(service, owner, "processing"), timeout=60, what="processing")[0]

    cancelled = httpx.post(
        f"{service.api_url}/api/v1/jobs/{job.id}/cancel", headers=owner.headers, timeout=30
    )
    upload.join(120)

    assert cancelled.status_code == 200, cancelled.text
    assert upload.answer is not None, upload.error
    assert upload.answer.status_code == 409, upload.answer.text
    body: dict[str, Any] = upload.answer.json()
    assert body["error"]["code"] == "JOB_CANCELLED" and body["job_id"] == job.id
    assert service.job(owner, job.id)["status"] == "cancelled"
    assert _kinds(service, job.id) == ["reservation", "refund"]
    assert sum(amount for _, amount in service.ledger(job.id)) == 0


def test_a_small_job_of_an_api_killed_with_sigkill_is_failed_and_refunded_within_a_minute(
    service: ServiceStack, sync_novel: Path, lost: Losses
) -> None:
    # The reaper would take an hour: only the restarted API can end the job in time.
    service.api_env["TASK_TIMEOUT_SECONDS"] = "3600"
    service.stop()
    service.start_api()
    owner = service.reader()
    upload = Upload(service, owner, sync_novel)
    upload.start()
    job = wait_for(lambda: _jobs(service, owner, "processing"), timeout=60, what="processing")[0]
    assert service.api is not None
    service.api.kill()  # SIGKILL to the API's process group: a crash
    upload.join(60)
    assert _kinds(service, job.id) == ["reservation"]  # credits held by a job nobody runs

    started = time.monotonic()
    service.start_api()
    try:
        ended = service.wait_status(owner, job.id, {"failed"}, timeout=RECOVERY_SECONDS)
    except AssertionError:
        lost.stuck = 1
        raise
    seconds = time.monotonic() - started
    lost.notes.append(f"failed and refunded {seconds:.1f} s after the restart began")

    assert ended["error"]["code"] == "PROCESSING_ERROR", ended
    assert _kinds(service, job.id) == ["reservation", "refund"]
    assert sum(amount for _, amount in service.ledger(job.id)) == 0
    # The job slot is free again and a new upload works.
    again = service.submit(owner, sync_novel, sentence_length_limit=12)
    assert again.status_code == 200, again.text
