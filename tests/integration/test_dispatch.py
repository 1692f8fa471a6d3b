"""Handing a job to the workers: once only, and a broker that cannot be reached refunds the job."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import redis
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings
from frenchnovel.errors import FrenchNovelError
from frenchnovel.storage.models import CreditEntry, Job
from frenchnovel.worker.dispatch import enqueue_job
from tests.integration.conftest import pending_job
from tests.support.people import Person
from tests.support.redis_databases import claim_redis_database, release_redis_database


def _ledger(sessions: sessionmaker[Session], job_id: str) -> list[str]:
    with sessions() as session:
        query = select(CreditEntry.kind).where(CreditEntry.job_id == job_id)
        return list(session.scalars(query.order_by(CreditEntry.id)))


def test_a_job_is_queued_once_with_one_task_per_chunk_on_its_size_class_queue(
    sessions: sessionmaker[Session], make_settings: Callable[..., Settings], owner: Person
) -> None:
    url = claim_redis_database()
    try:
        settings = make_settings(redis_url=url)
        job_id = pending_job(sessions, settings, owner, chunks=((1, 3), (4, 6)))

        assert enqueue_job(job_id, settings=settings, sessions=sessions) == 2
        assert enqueue_job(job_id, settings=settings, sessions=sessions) == 0

        queues = redis.Redis.from_url(url)
        assert (queues.llen("frenchnovel.small"), queues.llen("frenchnovel")) == (2, 0)
        with sessions() as session:
            job = session.get(Job, job_id)
            assert job is not None and job.status == "processing"
    finally:
        release_redis_database(url)


def test_a_job_whose_broker_cannot_be_reached_fails_and_is_refunded(
    sessions: sessionmaker[Session], make_settings: Callable[..., Settings], owner: Person
) -> None:
    settings = make_settings(redis_url="redis://127.0.0.1:1/0")
    job_id = pending_job(sessions, settings, owner, chunks=((1, 3), (4, 6)))

    with pytest.raises(FrenchNovelError, match="queue"):
        enqueue_job(job_id, settings=settings, sessions=sessions)

    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None and (job.status, job.error_code) == ("failed", "PROCESSING_ERROR")
    assert _ledger(sessions, job_id) == ["reservation", "refund"]
