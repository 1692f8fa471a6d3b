"""Chunk claims, completion counting, the merge claimed once, the reaper and the cleanup,
on the real databases (SQLite and PostgreSQL) without Celery: the guarantees live in SQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings
from frenchnovel.jobs import chunk_work, maintenance, service
from frenchnovel.jobs.merging import merge_job
from frenchnovel.pipeline.result import ChunkResult, OutputSentence
from frenchnovel.storage import files
from frenchnovel.storage.blobs import blob_store
from frenchnovel.storage.models import CreditEntry, Job, utcnow
from tests.support.people import Person
from tests.support.submissions import made_up

PAGES = [(1, 10), (11, 20), (21, 30)]


def _async_job(sessions: sessionmaker[Session], settings: Settings, person: Person) -> str:
    submission = made_up(settings, credits=30, chunks=PAGES)
    with sessions() as session, session.begin():
        job = service.submit(session, user_id=person.id, submission=submission, settings=settings)
        service.start(session, job_id=job.job.id)
        return job.job.id


def _result(first: int, last: int) -> ChunkResult:
    sentence = OutputSentence(f"Page {first}.", f"Page {first}.", first, False)
    return ChunkResult(first, last, [sentence], source_sentences=1, tokens=1000)


def _claim(
    sessions: sessionmaker[Session], job_id: str, index: int, task: str
) -> chunk_work.Claim | None:
    with sessions() as session, session.begin():
        return chunk_work.claim(session, job_id=job_id, index=index, task_id=task)


def _complete(sessions: sessionmaker[Session], claim: chunk_work.Claim) -> chunk_work.Completion:
    first, last = PAGES[claim.index]
    with sessions() as session, session.begin():
        return chunk_work.complete(session, claim=claim, result=_result(first, last))


def _ledger(sessions: sessionmaker[Session], job_id: str) -> list[str]:
    with sessions() as session:
        return list(
            session.scalars(
                select(CreditEntry.kind)
                .where(CreditEntry.job_id == job_id)
                .order_by(CreditEntry.id)
            )
        )


def test_a_chunk_is_claimed_once_and_only_its_own_task_may_take_it_over(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    job_id = _async_job(sessions, settings, owner)

    first = _claim(sessions, job_id, 0, "task-a")
    assert first is not None and first.attempt == 1
    assert _claim(sessions, job_id, 0, "task-b") is None
    redelivered = _claim(sessions, job_id, 0, "task-a")  # its worker died: same task id
    assert redelivered is not None and redelivered.attempt == 2

    assert _complete(sessions, first).stored is False  # the lost claim cannot store
    assert _complete(sessions, redelivered).stored is True
    assert _claim(sessions, job_id, 0, "task-a") is None  # done is done


def test_a_released_chunk_is_claimed_again_by_the_retry(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    job_id = _async_job(sessions, settings, owner)
    claim = _claim(sessions, job_id, 1, "task")
    assert claim is not None
    with sessions() as session, session.begin():
        assert chunk_work.release(session, claim=claim, error="boom")

    again = _claim(sessions, job_id, 1, "task")

    assert again is not None and again.attempt == 2


def test_the_last_chunk_claims_the_merge_and_only_once(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    job_id = _async_job(sessions, settings, owner)
    claims = [_claim(sessions, job_id, i, f"t{i}") for i in range(3)]
    done = [_complete(sessions, c) for c in claims if c is not None]

    assert [d.merge_claimed for d in done] == [False, False, True]
    assert [d.completed_chunks for d in done] == [1, 2, 3]
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.progress_percent == 99 and job.current_step == "merging"


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # real row locks
def test_chunks_finishing_together_count_each_once_and_claim_one_merge(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    job_id = _async_job(sessions, settings, owner)
    claims = [_claim(sessions, job_id, i, f"t{i}") for i in range(3)]
    barrier = threading.Barrier(3)
    outcomes: list[chunk_work.Completion] = []

    def finish(claim: chunk_work.Claim) -> None:
        barrier.wait()
        outcomes.append(_complete(sessions, claim))

    threads = [threading.Thread(target=finish, args=(c,)) for c in claims if c is not None]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(o.merge_claimed for o in outcomes) == 1
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.completed_chunks == 3


def test_merging_twice_completes_once_with_one_adjustment(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    job_id = _async_job(sessions, settings, owner)
    for i in range(3):
        claim = _claim(sessions, job_id, i, f"t{i}")
        assert claim is not None
        _complete(sessions, claim)

    with sessions() as session, session.begin():
        assert merge_job(session, job_id=job_id, settings=settings) is True
    with sessions() as session, session.begin():
        assert merge_job(session, job_id=job_id, settings=settings) is False

    assert _ledger(sessions, job_id) == ["reservation", "adjustment"]
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == "completed" and job.sentence_count == 3
        assert job.result_path is not None
    result = files.read_result(blob_store(settings), job.result_path)
    assert [s.page for s in result.sentences] == [1, 11, 21]


def test_a_cancelled_job_refuses_claims_and_completions_and_never_completes(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    job_id = _async_job(sessions, settings, owner)
    running = _claim(sessions, job_id, 0, "t0")
    assert running is not None
    with sessions() as session, session.begin():
        service.cancel(session, user_id=owner.id, job_id=job_id)

    assert _claim(sessions, job_id, 1, "t1") is None
    assert _complete(sessions, running).stored is False
    with sessions() as session, session.begin():
        assert merge_job(session, job_id=job_id, settings=settings) is False
    assert _ledger(sessions, job_id) == ["reservation", "refund"]


def test_the_reaper_fails_a_job_without_progress_once_and_leaves_live_ones(
    sessions: sessionmaker[Session], make_settings: Callable[..., Settings], owner: Person
) -> None:
    settings = make_settings(task_timeout_seconds=60)
    stuck = _async_job(sessions, settings, owner)
    alive = _async_job(sessions, settings, owner)
    with sessions() as session, session.begin():
        session.execute(
            update(Job)
            .where(Job.id == stuck)
            .values(last_progress_at=utcnow() - timedelta(seconds=61))
        )

    for _ in range(2):
        with sessions() as session, session.begin():
            reaped = maintenance.reap_stuck_jobs(session, settings=settings, now=utcnow())
        assert reaped in ([stuck], [])

    with sessions() as session:
        job = session.get(Job, stuck)
        assert job is not None and (job.status, job.error_code) == ("failed", "TASK_TIMEOUT")
        other = session.get(Job, alive)
        assert other is not None and other.status == "processing"
    assert _ledger(sessions, stuck) == ["reservation", "refund"]


def test_cleanup_keeps_a_result_that_a_younger_reused_job_still_points_to(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    old = _async_job(sessions, settings, owner)
    for i in range(3):
        claim = _claim(sessions, old, i, f"t{i}")
        assert claim is not None
        _complete(sessions, claim)
    with sessions() as session, session.begin():
        merge_job(session, job_id=old, settings=settings)
        job = session.get(Job, old)
        assert job is not None
        young = Job(
            user_id=owner.id,
            status="completed",
            file_sha256=job.file_sha256,
            result_path=job.result_path,
            reused_from_job_id=old,
            finished_at=utcnow(),
        )
        session.add(young)
        job.finished_at = utcnow() - timedelta(hours=settings.job_retention_hours + 1)
    now = utcnow()

    with sessions() as session, session.begin():
        kept = maintenance.purge_old_jobs(session, settings=settings, now=now)
    assert kept == [] and (settings.storage_dir / old).is_dir()

    later = now + timedelta(hours=settings.job_retention_hours + 1)
    with sessions() as session, session.begin():
        purged = maintenance.purge_old_jobs(session, settings=settings, now=later)
    assert sorted(purged) == sorted([old, young.id])
    assert not (settings.storage_dir / old).exists()
    assert _ledger(sessions, old) == ["reservation", "adjustment"]
