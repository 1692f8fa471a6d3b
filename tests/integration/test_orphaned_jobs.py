"""Synchronous jobs whose API process is gone (``jobs.orphans``), on SQLite and PostgreSQL: a
live owner's job is never touched, a gone owner's job is failed and refunded exactly once."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings
from frenchnovel.jobs import orphans, service
from frenchnovel.storage.models import ApiInstance, CreditEntry, Job, utcnow
from tests.support.people import Person
from tests.support.submissions import made_up

ME = orphans.Identity()


def _sync_job(
    sessions: sessionmaker[Session], settings: Settings, person: Person, owner: orphans.Identity
) -> str:
    prepared = made_up(settings, credits=7)
    with sessions() as session, session.begin():
        service.submit(
            session,
            user_id=person.id,
            submission=prepared,
            settings=settings,
            api_instance_id=owner.id,
        )
        service.start(session, job_id=prepared.job_id)
    return prepared.job_id


def _register(sessions: sessionmaker[Session], who: orphans.Identity, seconds_ago: float) -> None:
    with sessions() as session, session.begin():
        orphans.beat(session, me=who, now=utcnow() - timedelta(seconds=seconds_ago))


def _sweep(sessions: sessionmaker[Session], me: orphans.Identity | None = ME) -> list[str]:
    with sessions() as session, session.begin():
        return orphans.fail_orphaned_jobs(session, me=me, now=utcnow())


def _state(sessions: sessionmaker[Session], job_id: str) -> tuple[str, list[str]]:
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None
        kinds = session.scalars(
            select(CreditEntry.kind).where(CreditEntry.job_id == job_id).order_by(CreditEntry.id)
        )
        return job.status, list(kinds)


def _dead_pid() -> int:
    """The process id of a process that has ended."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_a_job_of_an_api_process_that_still_beats_elsewhere_is_left_alone(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    elsewhere = orphans.Identity(host="another-machine/pid:[1]", pid=1)
    _register(sessions, elsewhere, seconds_ago=5)
    job_id = _sync_job(sessions, settings, owner, elsewhere)

    assert _sweep(sessions) == []
    assert _state(sessions, job_id) == ("processing", ["reservation"])


def test_a_job_of_an_api_process_silent_for_long_is_failed_and_refunded_once(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    elsewhere = orphans.Identity(host="another-machine/pid:[1]", pid=1)
    _register(sessions, elsewhere, seconds_ago=orphans.STALE_SECONDS + 5)
    job_id = _sync_job(sessions, settings, owner, elsewhere)

    assert _sweep(sessions) == [job_id]
    assert _sweep(sessions, me=None) == []  # beat's sweep after the API's: nothing more

    assert _state(sessions, job_id) == ("failed", ["reservation", "refund"])
    with sessions() as session:
        assert session.get(ApiInstance, elsewhere.id) is None


def test_a_job_of_a_dead_process_on_this_machine_is_failed_at_once(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    crashed = orphans.Identity(pid=_dead_pid())
    _register(sessions, crashed, seconds_ago=1)
    job_id = _sync_job(sessions, settings, owner, crashed)
    mine = _sync_job(sessions, settings, owner, ME)

    assert _sweep(sessions) == [job_id]
    assert _state(sessions, job_id) == ("failed", ["reservation", "refund"])
    assert _state(sessions, mine) == ("processing", ["reservation"])


def test_a_job_of_another_app_of_this_very_process_is_never_an_orphan_here(
    sessions: sessionmaker[Session], settings: Settings, owner: Person
) -> None:
    sibling = orphans.new_identity()  # served without its lifespan: it never beats
    _register(sessions, sibling, seconds_ago=orphans.STALE_SECONDS + 5)
    job_id = _sync_job(sessions, settings, owner, sibling)

    assert _sweep(sessions) == []
    assert _state(sessions, job_id) == ("processing", ["reservation"])
