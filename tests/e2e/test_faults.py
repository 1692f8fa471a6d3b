"""Faults inside real workers: failing chunks, killed processes, vanished workers.

Failures are injected by the worker itself through its ``FRENCHNOVEL_FAULTS`` test hook
(``frenchnovel.worker.faults``); crashes are real SIGKILLs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.stack import Stack, clear_broker, wait_for

SLOW_CHUNKS = "slow:3"


def _one_charge(ledger: list[tuple[str, int]]) -> bool:
    kinds = [kind for kind, _ in ledger]
    return kinds in (["reservation"], ["reservation", "adjustment"])


def _one_refund(ledger: list[tuple[str, int]]) -> bool:
    kinds = [kind for kind, _ in ledger]
    return kinds == ["reservation", "refund"] and sum(amount for _, amount in ledger) == 0


def _a_chunk_is_running(stack: Stack, job_id: str) -> bool:
    return any(chunk.status == "processing" for chunk in stack.chunks(job_id))


def test_a_chunk_that_fails_twice_then_succeeds_completes_the_job(
    sqlite_stack: Stack, novels: dict[str, Path], reference: Any
) -> None:
    owner = sqlite_stack.reader()
    sqlite_stack.start_worker(FRENCHNOVEL_FAULTS="fail:1:2")

    job_id = sqlite_stack.submit(owner, novels["short"]).json()["job_id"]

    job = sqlite_stack.wait_status(owner, job_id, {"completed", "failed"}, timeout=120)
    assert job["status"] == "completed", job
    assert [chunk.attempts for chunk in sqlite_stack.chunks(job_id)] == [1, 3, 1, 1]
    assert sqlite_stack.sentences(owner, job_id) == reference(novels["short"])
    assert _one_charge(sqlite_stack.ledger(job_id))


def test_a_chunk_that_always_fails_fails_the_job_and_refunds_it_once(
    sqlite_stack: Stack, novels: dict[str, Path]
) -> None:
    owner = sqlite_stack.reader()
    sqlite_stack.start_worker(FRENCHNOVEL_FAULTS="fail:1:*")

    job_id = sqlite_stack.submit(owner, novels["short"]).json()["job_id"]

    job = sqlite_stack.wait_status(owner, job_id, {"completed", "failed"}, timeout=120)
    assert job["status"] == "failed"
    assert job["error"]["code"] == "CHUNK_PROCESSING_ERROR"
    assert sqlite_stack.chunks(job_id)[1].attempts == 4
    assert _one_refund(sqlite_stack.ledger(job_id))


def test_a_pool_process_killed_in_the_middle_of_a_chunk_is_replaced_and_the_job_completes(
    sqlite_stack: Stack, novels: dict[str, Path], reference: Any
) -> None:
    owner = sqlite_stack.reader()
    worker = sqlite_stack.start_worker(FRENCHNOVEL_FAULTS=SLOW_CHUNKS)
    job_id = sqlite_stack.submit(owner, novels["short"]).json()["job_id"]
    wait_for(lambda: _a_chunk_is_running(sqlite_stack, job_id), timeout=60, what="a chunk")

    for child in worker.pool_children():
        child.kill()

    job = sqlite_stack.wait_status(owner, job_id, {"completed", "failed"}, timeout=180)
    assert job["status"] == "completed", job
    assert max(chunk.attempts for chunk in sqlite_stack.chunks(job_id)) >= 2
    assert sqlite_stack.sentences(owner, job_id) == reference(novels["short"])
    assert _one_charge(sqlite_stack.ledger(job_id))


def test_a_worker_killed_in_the_middle_of_a_chunk_then_replaced_completes_the_job_once(
    sqlite_stack: Stack, novels: dict[str, Path], reference: Any
) -> None:
    owner = sqlite_stack.reader()
    # A short task timeout makes the broker hand a dead worker's message out again sooner.
    first = sqlite_stack.start_worker(FRENCHNOVEL_FAULTS=SLOW_CHUNKS, TASK_TIMEOUT_SECONDS="10")
    job_id = sqlite_stack.submit(owner, novels["short"]).json()["job_id"]
    wait_for(lambda: _a_chunk_is_running(sqlite_stack, job_id), timeout=60, what="a chunk")

    first.kill()
    sqlite_stack.start_worker(TASK_TIMEOUT_SECONDS="10")

    job = sqlite_stack.wait_status(owner, job_id, {"completed", "failed"}, timeout=180)
    assert job["status"] == "completed", job
    assert sqlite_stack.sentences(owner, job_id) == reference(novels["short"])
    assert _one_charge(sqlite_stack.ledger(job_id))


def test_the_reaper_fails_and_refunds_a_job_whose_worker_vanished(
    sqlite_stack: Stack, novels: dict[str, Path]
) -> None:
    owner = sqlite_stack.reader()
    gone = sqlite_stack.start_worker(FRENCHNOVEL_FAULTS="slow:120", TASK_TIMEOUT_SECONDS="300")
    job_id = sqlite_stack.submit(owner, novels["short"]).json()["job_id"]
    wait_for(lambda: _a_chunk_is_running(sqlite_stack, job_id), timeout=60, what="a chunk")
    gone.kill()
    # Its messages vanish too (a broker that keeps nothing on disk, restarted): only the
    # reaper can end this job now.
    clear_broker(sqlite_stack.redis_url)

    sqlite_stack.start_worker(TASK_TIMEOUT_SECONDS="5")
    sqlite_stack.start_beat(TASK_TIMEOUT_SECONDS="5")

    job = sqlite_stack.wait_status(owner, job_id, {"completed", "failed"}, timeout=90)
    assert job["status"] == "failed"
    assert job["error"]["code"] == "TASK_TIMEOUT"
    assert _one_refund(sqlite_stack.ledger(job_id))


def test_a_chunk_past_the_time_limit_fails_the_job_with_task_timeout_and_refunds_it_once(
    sqlite_stack: Stack, novels: dict[str, Path]
) -> None:
    owner = sqlite_stack.reader()
    sqlite_stack.start_worker(FRENCHNOVEL_FAULTS="slow:60", TASK_TIMEOUT_SECONDS="5")

    job_id = sqlite_stack.submit(owner, novels["short"]).json()["job_id"]

    job = sqlite_stack.wait_status(owner, job_id, {"completed", "failed"}, timeout=60)
    assert job["status"] == "failed"
    assert job["error"]["code"] == "TASK_TIMEOUT"
    assert _one_refund(sqlite_stack.ledger(job_id))
