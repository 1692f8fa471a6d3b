"""Synchronous jobs whose API process is gone: failed and refunded, once, soon.

A small file is processed inside the API process that received it; if that process dies (a
crash, SIGKILL, a lost machine), nothing else would ever run or end its job, which would hold its
credits and one of the user's job slots until the reaper's ``TASK_TIMEOUT_SECONDS``. So every API
process registers itself (``ApiInstance``), beats every ``HEARTBEAT_SECONDS``, and stamps the
synchronous jobs it accepts with its id. Any API process (at start, then at each beat) and beat's
reaper fail the active synchronous jobs of an owner that is gone: its heartbeat older than
``STALE_SECONDS``, or, on the same machine, its process no longer running (never an app of the
process that asks).

Every function takes ``*, session`` and only flushes: the caller owns the transaction.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from frenchnovel.errors import ErrorCode
from frenchnovel.jobs import service
from frenchnovel.storage.models import ACTIVE_STATUSES, ApiInstance, Job

HEARTBEAT_SECONDS = 10.0
STALE_SECONDS = 30.0
FORGOTTEN = timedelta(days=1)  # rows of processes long gone, with nothing left to fail
ORPHAN_MESSAGE = (
    "the server stopped while it was processing this file; the credits were refunded, "
    "upload it again"
)


def this_host() -> str:
    """This machine and its process namespace: process ids mean something only within it."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return f"{socket.gethostname()}/{namespace}"[:255]


@dataclass(frozen=True, slots=True)
class Identity:
    """Who this API process is."""

    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    host: str = field(default_factory=this_host)
    pid: int = field(default_factory=os.getpid)


_APPS_OF_THIS_PROCESS: set[str] = set()


def new_identity() -> Identity:
    """The identity of a new app of this process. Its jobs are never orphans to this process,
    even before its first heartbeat (an app can be served without its lifespan, as in tests)."""
    identity = Identity()
    _APPS_OF_THIS_PROCESS.add(identity.id)
    return identity


def beat(session: Session, *, me: Identity, now: datetime) -> None:
    """Register ``me``, or say that it is still alive."""
    changed = session.execute(
        update(ApiInstance).where(ApiInstance.id == me.id).values(seen_at=now)
    )
    if getattr(changed, "rowcount", 0) != 1:
        session.add(ApiInstance(id=me.id, host=me.host, pid=me.pid, started_at=now, seen_at=now))
    session.flush()


def forget(session: Session, *, me: Identity) -> None:
    """``me`` stops: its row goes (a job it still held is then an orphan)."""
    session.execute(delete(ApiInstance).where(ApiInstance.id == me.id))
    session.flush()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _gone(owner: ApiInstance | None, *, me: Identity | None, now: datetime) -> bool:
    if owner is None:
        return True
    if owner.seen_at < now - timedelta(seconds=STALE_SECONDS):
        return True
    if me is None or owner.host != me.host:
        return False
    # Same machine: a process that no longer runs, or whose id this very process now has.
    return owner.pid == me.pid or not _running(owner.pid)


def fail_orphaned_jobs(session: Session, *, me: Identity | None, now: datetime) -> list[str]:
    """Fail, with a full refund (once), the active synchronous jobs whose API process is gone.

    ``me`` is the API process asking (its own jobs are never orphans), or None for beat. A job
    whose owner has no row yet is left alone for ``STALE_SECONDS`` (the row may be on its way).
    Returns the ids of the jobs failed here.
    """
    query = select(Job.id, Job.api_instance_id, Job.updated_at).where(
        Job.status.in_(ACTIVE_STATUSES),
        Job.is_async.is_(False),
        Job.api_instance_id.is_not(None),
    )
    if me is not None:
        query = query.where(Job.api_instance_id != me.id)
    candidates = session.execute(query).all()
    owners = {
        row.id: row
        for row in session.scalars(
            select(ApiInstance).where(ApiInstance.id.in_({c[1] for c in candidates}))
        )
    }
    young = now - timedelta(seconds=STALE_SECONDS)
    failed: list[str] = []
    dead: set[str] = set()
    for job_id, owner_id, updated_at in candidates:
        if owner_id in _APPS_OF_THIS_PROCESS:
            continue
        owner = owners.get(owner_id or "")
        if owner is None and updated_at >= young:
            continue
        if not _gone(owner, me=me, now=now):
            continue
        dead.add(owner_id or "")
        code = ErrorCode.PROCESSING_ERROR
        if service.fail(session, job_id=job_id, code=code, message=ORPHAN_MESSAGE):
            failed.append(job_id)
    session.execute(
        delete(ApiInstance).where(
            ApiInstance.id.in_(dead) | (ApiInstance.seen_at < now - FORGOTTEN)
        )
    )
    session.flush()
    return failed
