"""Job and chunk states move by conditional updates: no step happens twice or backwards."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings
from frenchnovel.jobs import chunk_work, service
from frenchnovel.pipeline.result import ChunkResult, Result, Stats
from frenchnovel.storage.models import Job, JobChunk
from tests.integration.conftest import pending_job
from tests.support.people import Person


def test_a_job_cancelled_while_processing_never_becomes_completed(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    job_id = pending_job(sessions, settings, owner)
    with sessions() as session, session.begin():
        assert service.start(session, job_id=job_id)
    with sessions() as session, session.begin():
        service.cancel(session, user_id=owner.id, job_id=job_id)

    with sessions() as session, session.begin():
        completed = service.complete(
            session,
            job_id=job_id,
            result=Result([], 3, Stats(tokens=10)),
            result_path=f"{job_id}/result.json",
            settings=settings,
        )

    with sessions() as session:
        job = session.get(Job, job_id)
        assert completed is False
        assert job is not None and job.status == "cancelled" and job.result_path is None


def test_a_chunk_is_claimed_once_and_stored_once(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    job_id = pending_job(sessions, settings, owner)
    result = ChunkResult(first_page=1, last_page=3, tokens=5)

    with sessions() as session, session.begin():
        assert service.start(session, job_id=job_id)
        first_claim = chunk_work.claim(session, job_id=job_id, index=0, task_id="first")
        second_claim = chunk_work.claim(session, job_id=job_id, index=0, task_id="second")
        assert first_claim is not None
        first_store = chunk_work.complete(session, claim=first_claim, result=result)
        second_store = chunk_work.complete(session, claim=first_claim, result=result)

    assert (second_claim, first_store.stored, second_store.stored) == (None, True, False)
    with sessions() as session:
        chunk = session.query(JobChunk).filter_by(job_id=job_id).one()
        assert chunk.attempts == 1 and chunk.status == "completed"
        assert ChunkResult.from_dict(chunk.result or {}) == result


def test_a_failed_job_marks_its_unfinished_chunks_failed(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    job_id = pending_job(sessions, settings, owner)

    with sessions() as session, session.begin():
        assert service.fail(session, job_id=job_id, code="PROCESSING_ERROR", message="broken")

    with sessions() as session:
        chunk = session.query(JobChunk).filter_by(job_id=job_id).one()
        assert chunk.status == "failed"
