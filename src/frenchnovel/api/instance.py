"""This API process's heartbeat, and the sweep of synchronous jobs whose API process is gone
(``jobs.orphans``): once at start, then every ``HEARTBEAT_SECONDS``, on a thread of its own so
that a request pool busy with uploads never delays the heartbeat."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from frenchnovel.config import Settings
from frenchnovel.jobs import events, orphans
from frenchnovel.storage.models import utcnow

log = logging.getLogger(__name__)


class Keeper:
    """Beats for ``identity`` and fails the jobs of API processes that are gone."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: Settings,
        identity: orphans.Identity,
        every: float = orphans.HEARTBEAT_SECONDS,
    ) -> None:
        self.sessions, self.settings, self.identity, self.every = (
            sessions,
            settings,
            identity,
            every,
        )
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="heartbeat", daemon=True)

    def start(self) -> None:
        self.tick()
        self._thread.start()

    def tick(self) -> None:
        """One heartbeat and one sweep; a database that does not answer is tried next time."""
        try:
            with self.sessions() as session, session.begin():
                orphans.beat(session, me=self.identity, now=utcnow())
            with self.sessions() as session, session.begin():
                failed = orphans.fail_orphaned_jobs(session, me=self.identity, now=utcnow())
        except Exception:
            log.exception("heartbeat of API process %s failed", self.identity.id)
            return
        for job_id in failed:
            log.warning("job %s failed: the API process that ran it is gone", job_id)
            events.publish(self.settings, job_id, events.FAILED)

    def _loop(self) -> None:
        while not self._stopping.wait(self.every):
            self.tick()

    def stop(self) -> None:
        """Stop beating and remove this process's row (its requests have all ended)."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        try:
            with self.sessions() as session, session.begin():
                orphans.forget(session, me=self.identity)
        except Exception:
            log.exception("could not remove API process %s", self.identity.id)


@asynccontextmanager
async def heartbeat(app: FastAPI) -> AsyncIterator[None]:
    """The app's lifespan: its ``Keeper`` runs while it serves."""
    keeper = Keeper(app.state.sessions, app.state.settings, app.state.identity)
    await run_in_threadpool(keeper.start)
    try:
        yield
    finally:
        await run_in_threadpool(keeper.stop)
