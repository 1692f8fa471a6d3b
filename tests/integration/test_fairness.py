"""The per-user cap on chunks in flight, on the real databases: who goes next, each chunk sent
once, under concurrent completions too, and held chunks that a dead worker left are sent by
beat's sweep (to the real Redis)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta

import redis
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings
from frenchnovel.jobs import chunk_work, fairness, service
from frenchnovel.jobs.fairness import Turn
from frenchnovel.pipeline.result import ChunkResult
from frenchnovel.storage.models import Job, utcnow
from frenchnovel.worker.celery_app import QUEUE, SMALL_QUEUE
from frenchnovel.worker.dispatch import enqueue_job, send_all_waiting
from tests.support.people import Person
from tests.support.redis_databases import claim_redis_database, release_redis_database
from tests.support.submissions import made_up


def _pages(count: int, size: int = 10) -> list[tuple[int, int]]:
    return [(i * size + 1, (i + 1) * size) for i in range(count)]


def _processing_job(
    sessions: sessionmaker[Session], settings: Settings, person: Person, chunks: int
) -> str:
    submission = made_up(settings, credits=5, chunks=_pages(chunks))
    with sessions() as session, session.begin():
        job = service.submit(session, user_id=person.id, submission=submission, settings=settings)
        service.start(session, job_id=job.job.id)
        return job.job.id


def _turns(sessions: sessionmaker[Session], person: Person, cap: int = 2) -> list[Turn]:
    with sessions() as session, session.begin():
        return fairness.take_turns(session, user_id=person.id, cap=cap, now=utcnow())


def _finish(sessions: sessionmaker[Session], turn: Turn) -> None:
    """What a worker does with a chunk it was sent: claim it and store a result."""
    with sessions() as session, session.begin():
        claim = chunk_work.claim(
            session, job_id=turn.job_id, index=turn.index, task_id=turn.task_id
        )
        assert claim is not None
        result = ChunkResult(claim.first_page, claim.last_page)
        chunk_work.complete(session, claim=claim, result=result)


def _chunks(turns: Sequence[Turn]) -> list[tuple[str, int]]:
    return [(turn.job_id, turn.index) for turn in turns]


def test_my_chunks_in_flight_never_exceed_the_cap_and_each_finished_chunk_sends_one_more(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    book = _processing_job(sessions, settings, owner, chunks=5)

    first = _turns(sessions, owner)
    assert _chunks(first) == [(book, 0), (book, 1)]
    assert _turns(sessions, owner) == []

    sent = list(first)
    for turn in sent:
        _finish(sessions, turn)
        sent += _turns(sessions, owner)
        with sessions() as session:
            assert fairness.in_flight(session, owner.id) <= 2

    assert sorted(_chunks(sent)) == [(book, index) for index in range(5)]
    assert len(set(_chunks(sent))) == 5


def test_my_cap_does_not_hold_a_strangers_job(
    sessions: sessionmaker[Session], settings: Settings, owner: Person, stranger: Person
) -> None:
    _processing_job(sessions, settings, owner, chunks=6)
    _turns(sessions, owner)
    theirs = _processing_job(sessions, settings, stranger, chunks=2)

    assert _chunks(_turns(sessions, stranger)) == [(theirs, 0), (theirs, 1)]


def test_my_small_job_goes_before_the_rest_of_my_big_book(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    book = _processing_job(sessions, settings, owner, chunks=6)
    running = _turns(sessions, owner)
    note = _processing_job(sessions, settings, owner, chunks=2)
    assert _turns(sessions, owner) == []

    _finish(sessions, running[0])

    assert _chunks(_turns(sessions, owner)) == [(note, 0)]
    assert book != note


def test_chunks_finishing_together_send_each_held_chunk_once(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    book = _processing_job(sessions, settings, owner, chunks=12)
    running = _turns(sessions, owner, cap=4)
    sent: list[Turn] = []
    lock = threading.Lock()

    def finish_and_send_next(turn: Turn) -> None:
        _finish(sessions, turn)
        turns = _turns(sessions, owner, cap=4)
        with lock:
            sent.extend(turns)

    threads = [threading.Thread(target=finish_and_send_next, args=(t,)) for t in running]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(_chunks(sent)) == [(book, index) for index in range(4, 8)]
    with sessions() as session:
        assert fairness.in_flight(session, owner.id) == 4


def test_a_job_waiting_for_my_other_book_counts_as_progressing_when_a_chunk_of_mine_ends(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    _processing_job(sessions, settings, owner, chunks=3)
    running = _turns(sessions, owner, cap=2)
    waiting = _processing_job(sessions, settings, owner, chunks=4)
    long_ago = utcnow() - timedelta(hours=5)
    with sessions() as session, session.begin():
        session.execute(update(Job).where(Job.id == waiting).values(last_progress_at=long_ago))

    _finish(sessions, running[0])
    _turns(sessions, owner, cap=2)

    with sessions() as session:
        touched = session.scalar(select(Job.last_progress_at).where(Job.id == waiting))
    assert touched is not None and touched > long_ago + timedelta(hours=4)


@contextmanager
def _queued(
    sessions: sessionmaker[Session],
    make_settings: Callable[..., Settings],
    owner: Person,
    *,
    chunks: int,
) -> Iterator[tuple[Settings, str, redis.Redis]]:
    """A job of ``chunks`` chunks whose first was sent (one in flight a user), on a broker of
    its own: the settings, the job id and the broker's client."""
    url = claim_redis_database()
    try:
        settings = make_settings(redis_url=url, max_chunks_in_flight_per_user=1)
        submission = made_up(settings, credits=5, chunks=_pages(chunks))
        with sessions() as session, session.begin():
            service.submit(session, user_id=owner.id, submission=submission, settings=settings)
        assert enqueue_job(submission.job_id, settings=settings, sessions=sessions) == 1
        yield settings, submission.job_id, redis.Redis.from_url(url)
    finally:
        release_redis_database(url)


def _queued_task_ids(client: redis.Redis, queue: str) -> list[str]:
    return [json.loads(raw)["headers"]["id"] for raw in client.lrange(queue, 0, -1)]


def test_held_chunks_that_a_dead_worker_did_not_send_are_sent_once_by_beats_sweep(
    sessions: sessionmaker[Session], make_settings: Callable[..., Settings], owner: Person
) -> None:
    with _queued(sessions, make_settings, owner, chunks=3) as (settings, job_id, client):
        first = client.rpop(SMALL_QUEUE)
        assert first is not None and json.loads(first)["headers"]["id"] == f"{job_id}.0"
        # The worker stores chunk 0 and dies before sending chunk 1.
        _finish(sessions, Turn(job_id, 0, f"{job_id}.0", 30))

        assert send_all_waiting(settings) == 1
        assert send_all_waiting(settings) == 0

        assert _queued_task_ids(client, SMALL_QUEUE) == [f"{job_id}.1"]
        assert client.llen(QUEUE) == 0


def test_a_chunk_whose_message_the_broker_lost_is_sent_once_more_and_held_by_one_message(
    sessions: sessionmaker[Session], make_settings: Callable[..., Settings], owner: Person
) -> None:
    with _queued(sessions, make_settings, owner, chunks=2) as (settings, job_id, client):
        assert client.rpop(SMALL_QUEUE) is not None  # the broker restarts: the message is gone

        assert send_all_waiting(settings) == 0  # the job is not quiet yet: nothing is sent again
        quiet = utcnow() - timedelta(seconds=settings.task_timeout_seconds / 2 + 1)
        with sessions() as session, session.begin():
            session.execute(update(Job).where(Job.id == job_id).values(last_progress_at=quiet))
        assert send_all_waiting(settings) == 1
        assert send_all_waiting(settings) == 0  # once only
        assert _queued_task_ids(client, SMALL_QUEUE) == [f"{job_id}.0.again"]

        _finish(sessions, Turn(job_id, 0, f"{job_id}.0.again", 20))
        with sessions() as session, session.begin():  # the first message, come back after all
            late = chunk_work.claim(session, job_id=job_id, index=0, task_id=f"{job_id}.0")
        assert late is None


def test_a_book_over_the_small_job_size_goes_to_the_big_queue(
    sessions: sessionmaker[Session], make_settings: Callable[..., Settings], owner: Person
) -> None:
    url = claim_redis_database()
    try:
        settings = make_settings(redis_url=url, small_job_max_pages=20)
        submission = made_up(settings, credits=5, chunks=_pages(3))
        with sessions() as session, session.begin():
            service.submit(session, user_id=owner.id, submission=submission, settings=settings)

        assert enqueue_job(submission.job_id, settings=settings, sessions=sessions) == 2

        client = redis.Redis.from_url(url)
        assert (client.llen(SMALL_QUEUE), client.llen(QUEUE)) == (0, 2)
    finally:
        release_redis_database(url)
