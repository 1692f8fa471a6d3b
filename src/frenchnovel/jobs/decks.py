"""Deck use cases: submit, find, list, cancel, and the worker's state changes.

Each takes ``*, session`` and only flushes: the route or the task commits. State changes are
conditional UPDATEs checked for exactly one changed row, as for jobs, so a cancelled deck never
becomes completed and a redelivered message does no harm.

Money: decks are free. A deck reads results whose processing was already charged, calls no
paid engine, and its work is bounded (the solver's time cap, a drill's few seconds); what keeps
a user from flooding the workers is the limit on concurrent work (``MAX_CONCURRENT_JOBS_PER_USER``
active decks, counted apart from jobs), not a price.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from frenchnovel.config import Settings
from frenchnovel.decks.build import DeckOptions
from frenchnovel.decks.wordlists import DEFAULT_LISTS
from frenchnovel.errors import ErrorCode, SettingsError
from frenchnovel.jobs.limits import TooManyJobs
from frenchnovel.jobs.queries import JobNotFound, find_job
from frenchnovel.jobs.service import InvalidJobStatus
from frenchnovel.storage.blobs import blob_store
from frenchnovel.storage.models import (
    ACTIVE_STATUSES,
    FINAL_STATUSES,
    Deck,
    JobStatus,
    WordListRow,
    utcnow,
)

MAX_JOBS_PER_DECK = 20
MAX_DECK_ID = 36


def submit(
    session: Session,
    *,
    user_id: int,
    job_ids: list[str],
    options: DeckOptions,
    settings: Settings,
) -> Deck:
    """A pending deck over ``job_ids`` (completed jobs of this user whose result is kept)."""
    if not job_ids or len(job_ids) > MAX_JOBS_PER_DECK:
        raise SettingsError(f"a deck is made from 1 to {MAX_JOBS_PER_DECK} finished jobs")
    for job_id in dict.fromkeys(job_ids):
        job = find_job(session, user_id=user_id, job_id=job_id)
        if job.status != JobStatus.COMPLETED.value or job.result_path is None:
            raise InvalidJobStatus(
                f"job {job_id} is {job.status} without a result; "
                "a deck needs finished jobs whose results are kept"
            )
    check_word_list(session, user_id=user_id, name=options.word_list)
    active = session.scalar(
        select(func.count())
        .select_from(Deck)
        .where(Deck.user_id == user_id, Deck.status.in_(ACTIVE_STATUSES))
    )
    if int(active or 0) >= settings.max_concurrent_jobs_per_user:
        raise TooManyJobs(
            f"at most {settings.max_concurrent_jobs_per_user} decks may be built at once"
        )
    deck = Deck(
        user_id=user_id,
        mode=options.mode,
        settings={"options": options.to_dict(), "job_ids": list(dict.fromkeys(job_ids))},
    )
    session.add(deck)
    session.flush()
    return deck


def check_word_list(session: Session, *, user_id: int, name: str) -> None:
    """A default list's name, or « user:<id> » of a list this user owns."""
    if name in DEFAULT_LISTS:
        return
    prefix, _, number = name.partition(":")
    usable = prefix == "user" and number.isdigit() and 0 < int(number) < 2**31
    row = session.get(WordListRow, int(number)) if usable else None
    if row is None or row.user_id != user_id:
        raise SettingsError(
            f"word_list is one of {', '.join(DEFAULT_LISTS)} or user:<id> of one of your lists"
        )


def find_deck(session: Session, *, user_id: int, deck_id: str) -> Deck:
    """The user's deck; another user's deck is as missing as one that does not exist."""
    deck = session.get(Deck, deck_id) if len(deck_id) <= MAX_DECK_ID else None
    if deck is None or deck.user_id != user_id:
        raise JobNotFound(f"no deck {deck_id[:MAX_DECK_ID]}")
    return deck


def list_decks(session: Session, *, user_id: int, limit: int, offset: int) -> list[Deck]:
    """The user's decks, newest first."""
    return list(
        session.scalars(
            select(Deck)
            .where(Deck.user_id == user_id)
            .order_by(Deck.created_at.desc(), Deck.id)
            .limit(limit)
            .offset(offset)
        )
    )


def cancel(session: Session, *, user_id: int, deck_id: str) -> Deck:
    """Cancel a pending or processing deck; the worker stops at its next check."""
    deck = find_deck(session, user_id=user_id, deck_id=deck_id)
    if not _move(session, deck_id, ACTIVE_STATUSES, status=JobStatus.CANCELLED.value):
        raise InvalidJobStatus(f"deck {deck_id} is {deck.status}; only a running deck cancels")
    session.refresh(deck)
    return deck


def start(session: Session, *, deck_id: str) -> bool:
    """pending → processing; False when another delivery took it or it was cancelled."""
    return _move(session, deck_id, (JobStatus.PENDING.value,), status="processing", started=True)


def record_progress(session: Session, *, deck_id: str, percent: int, step: str) -> bool:
    """Progress of a processing deck; False once it is no longer processing (cancelled)."""
    values: dict[str, Any] = {"progress_percent": percent, "current_step": step[:64]}
    return _move(session, deck_id, ("processing",), **values)


def complete(session: Session, *, deck_id: str, result_path: str, size: int) -> bool:
    """processing → completed with its stored deck JSON."""
    values: dict[str, Any] = {"result_path": result_path, "size": size, "progress_percent": 100}
    return _move(session, deck_id, ("processing",), status="completed", finished=True, **values)


def fail(session: Session, *, deck_id: str, code: ErrorCode, message: str) -> bool:
    """pending or processing → failed with a code a person can act on."""
    values: dict[str, Any] = {"error_code": code.value, "error_message": message[:2000]}
    return _move(session, deck_id, ACTIVE_STATUSES, status="failed", finished=True, **values)


def is_active(session: Session, *, deck_id: str) -> bool:
    status = session.scalar(select(Deck.status).where(Deck.id == deck_id))
    return status in ACTIVE_STATUSES


def _move(
    session: Session,
    deck_id: str,
    allowed: tuple[str, ...],
    *,
    started: bool = False,
    finished: bool = False,
    **values: Any,
) -> bool:
    now = utcnow()
    values["last_progress_at"] = now
    if started:
        values["started_at"] = now
    if finished:
        values["finished_at"] = now
    changed = session.execute(
        update(Deck).where(Deck.id == deck_id, Deck.status.in_(allowed)).values(**values)
    )
    return getattr(changed, "rowcount", 0) == 1


def purge_old(session: Session, *, settings: Settings, now: datetime) -> list[str]:
    """Remove the stored decks of decks finished more than ``JOB_RETENTION_HOURS`` ago (the
    rows stay, without a result), as for jobs."""
    cutoff = now - timedelta(hours=settings.job_retention_hours)
    due = session.scalars(
        select(Deck).where(
            Deck.status.in_(FINAL_STATUSES),
            Deck.finished_at < cutoff,
            Deck.result_path.is_not(None),
        )
    ).all()
    store = blob_store(settings)
    for deck in due:
        store.delete_prefix(f"decks/{deck.id}/")
        deck.result_path = None
    session.flush()
    return [deck.id for deck in due]


def reap_stuck(session: Session, *, settings: Settings, now: datetime) -> list[str]:
    """Fail with TASK_TIMEOUT the decks without progress for ``TASK_TIMEOUT_SECONDS`` (a worker
    that died mid-deck)."""
    cutoff = now - timedelta(seconds=settings.task_timeout_seconds)
    stuck = session.scalars(
        select(Deck.id).where(Deck.status.in_(ACTIVE_STATUSES), Deck.last_progress_at < cutoff)
    ).all()
    message = f"no progress for {settings.task_timeout_seconds} s"
    return [
        d for d in stuck if fail(session, deck_id=d, code=ErrorCode.TASK_TIMEOUT, message=message)
    ]
