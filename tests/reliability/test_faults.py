"""Faults in the middle of a job, on real processes: the broker restarted or wiped, database
connections killed, a chunk that kills its worker every time, the API killed mid-upload (killed
mid-job: ``test_sync_jobs``). After each, the job completes or fails cleanly with a refund;
nothing stays stuck."""

from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg
import pytest
from sqlalchemy import select

from frenchnovel.jobs.chunk_work import MAX_ATTEMPTS
from frenchnovel.jobs.maintenance import remove_orphan_uploads
from frenchnovel.storage.blobs import blob_store
from frenchnovel.storage.models import CreditEntry, Job, utcnow
from tests.e2e.stack import Reader, Stack, wait_for
from tests.reliability.helpers import PG_ADMIN, Losses, files_in
from tests.support.redis_server import RedisServer
from tests.support.service_stack import ServiceStack

pytestmark = pytest.mark.slow
FINAL = {"completed", "failed", "cancelled"}
# Thirty chunks at a few seconds each, on two shared cores, plus a lost message's visibility
# timeout and the reaper's interval.
PATIENCE = 300


def _progressed(stack: Stack, reader: Reader, job_id: str, chunks: int) -> bool:
    return int(stack.job(reader, job_id)["completed_chunks"]) >= chunks


def _kinds(stack: Stack, job_id: str) -> list[str]:
    return [kind for kind, _ in stack.ledger(job_id)]


def _assert_whole_book(stack: Stack, reader: Reader, job_id: str, pages: int) -> None:
    sentences = stack.sentences(reader, job_id)
    assert [s["index"] for s in sentences] == list(range(len(sentences)))
    assert {s["page"] for s in sentences} == set(range(1, pages + 1))
    assert _kinds(stack, job_id) in (["reservation"], ["reservation", "adjustment"])


def _final(stack: Stack, reader: Reader, job_id: str, lost: Losses) -> dict[str, Any]:
    try:
        return stack.wait_status(reader, job_id, FINAL, timeout=PATIENCE)
    except AssertionError:
        lost.stuck = 1
        raise


@pytest.mark.parametrize("how", ["restarted", "wiped"])
def test_a_broker_restarted_in_the_middle_of_a_job_leaves_no_job_stuck(
    service: ServiceStack,
    redis_server: RedisServer,
    novels: dict[str, Path],
    lost: Losses,
    how: str,
) -> None:
    owner = service.reader()
    service.start_worker()
    service.start_beat()
    # A Celery worker holding unacknowledged messages may die when its broker goes away
    # (kombu's restore on close): in production systemd starts it again, and so does this.
    service.supervise()
    job_id = service.submit(owner, novels["long"]).json()["job_id"]
    wait_for(lambda: _progressed(service, owner, job_id, 3), timeout=PATIENCE, what="3 chunks")

    if how == "restarted":
        redis_server.restart()  # its append-only file keeps the queue
    else:
        redis_server.wipe()  # every queued message is gone

    job = _final(service, owner, job_id, lost)
    lost.notes.append(f"worker restarts: {service.restarts}")
    if how == "restarted" or job["status"] == "completed":
        assert job["status"] == "completed", job.get("error")
        _assert_whole_book(service, owner, job_id, 300)
    else:
        assert job["status"] == "failed" and job["error"]["code"] == "TASK_TIMEOUT", job
        assert _kinds(service, job_id) == ["reservation", "refund"]
    # The API's own connection to the broker was broken too: it queues the next job.
    again = service.submit(owner, novels["short"])
    assert again.status_code == 202, again.text
    cancelled = httpx.post(
        f"{service.api_url}/api/v1/jobs/{again.json()['job_id']}/cancel", headers=owner.headers
    )
    assert cancelled.status_code == 200, cancelled.text


def _terminate_connections(database: str) -> int:
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return len(rows)


def test_database_connections_killed_in_the_middle_of_a_job_are_made_again(
    service: Stack, database_name: str, novels: dict[str, Path], lost: Losses
) -> None:
    owner = service.reader()
    service.start_worker()
    job_id = service.submit(owner, novels["long"]).json()["job_id"]
    wait_for(lambda: _progressed(service, owner, job_id, 3), timeout=PATIENCE, what="3 chunks")

    killed = 0
    answers = []
    for _ in range(3):
        killed += _terminate_connections(database_name)
        time.sleep(1)
        answers.append(httpx.get(f"{service.api_url}/api/v1/jobs/{job_id}", headers=owner.headers))

    assert killed > 0
    assert [a.status_code for a in answers] == [200, 200, 200]
    job = _final(service, owner, job_id, lost)
    assert job["status"] == "completed", job
    _assert_whole_book(service, owner, job_id, 300)


SETTLED = timedelta(seconds=0.3)


class Killer(threading.Thread):
    """SIGKILLs the worker's pool process each time chunk ``index`` starts a new attempt."""

    def __init__(self, stack: Stack, job_id: str, index: int, worker: Any) -> None:
        super().__init__(daemon=True)
        self.stack, self.job_id, self.index, self.worker = stack, job_id, index, worker
        self.kills = 0
        self.done = threading.Event()

    def run(self) -> None:
        killed_attempt = 0
        while not self.done.is_set():
            chunk = self.stack.chunks(self.job_id)[self.index]
            if chunk.status != "processing" and chunk.attempts > MAX_ATTEMPTS:
                return
            # Past its claim for a moment, the attempt is working (the fault makes it wait a
            # second): a delivery that the attempt limit refuses is never mistaken for one.
            working = chunk.started_at is not None and utcnow() - chunk.started_at > SETTLED
            if chunk.status == "processing" and chunk.attempts > killed_attempt and working:
                for child in self.worker.pool_children():
                    try:
                        child.kill()
                    except psutil.NoSuchProcess:
                        pass
                killed_attempt = chunk.attempts
                self.kills += 1
            time.sleep(0.05)


def test_a_chunk_that_kills_its_worker_every_time_fails_the_job_after_the_attempt_limit(
    service: Stack, novels: dict[str, Path], lost: Losses
) -> None:
    owner = service.reader()
    # One pool process, and every chunk waits a second: the killer cannot miss the poison one.
    worker = service.start_worker(MAX_WORKERS="1", FRENCHNOVEL_FAULTS="slow:1")
    job_id = service.submit(owner, novels["short"]).json()["job_id"]
    killer = Killer(service, job_id, 2, worker)
    killer.start()

    job = _final(service, owner, job_id, lost)
    killer.done.set()
    killer.join(10)

    assert job["status"] == "failed", job
    assert job["error"]["code"] == "CHUNK_PROCESSING_ERROR"
    poison = service.chunks(job_id)[2]
    assert poison.attempts == MAX_ATTEMPTS + 1  # the last delivery was counted and refused
    assert killer.kills == MAX_ATTEMPTS
    assert _kinds(service, job_id) == ["reservation", "refund"]
    assert sum(amount for _, amount in service.ledger(job_id)) == 0


def _user_jobs_and_money(stack: Stack, email: str) -> tuple[list[Job], int]:
    from frenchnovel.storage.models import User

    with stack.sessions() as session:
        user_id = session.scalar(select(User.id).where(User.email == email))
        jobs = list(session.scalars(select(Job).where(Job.user_id == user_id)))
        moved = session.scalars(
            select(CreditEntry.amount).where(
                CreditEntry.user_id == user_id, CreditEntry.job_id.is_not(None)
            )
        ).all()
        return jobs, sum(moved)


def test_the_api_killed_during_an_upload_leaves_no_job_and_no_reservation(
    service: Stack, novels: dict[str, Path], lost: Losses
) -> None:
    owner = service.reader()
    body = novels["long"].read_bytes()
    head = (
        b'--b\r\nContent-Disposition: form-data; name="pdf_file"; filename="cut.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n"
    )
    host, port = service.api_url.removeprefix("http://").split(":")
    request = (
        f"POST /api/v1/process-pdf HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {owner.token}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {len(head) + len(body) + 8}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(request + head + body[: len(body) // 2])
        wait_for(lambda: files_in(service.storage_dir), timeout=30, what="the partial upload")
        assert service.api is not None
        service.api.kill()

    jobs, moved = _user_jobs_and_money(service, owner.email)
    assert jobs == [] and moved == 0
    # The half-written upload belongs to no job: the hourly cleanup removes it.
    with service.sessions() as session, session.begin():
        later = utcnow() + timedelta(hours=2)
        removed = remove_orphan_uploads(session, store=blob_store(service.settings), now=later)
    assert len(removed) == 1
    lost.files_left = len(files_in(service.storage_dir))
    assert lost.files_left == 0
