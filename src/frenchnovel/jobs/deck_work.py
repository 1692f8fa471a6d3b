"""Building one deck on a worker: claim it, read its jobs' results, run the mode, store the deck.

Flow: ``start`` claims the pending deck (a second delivery finds it taken and stops); the
results of its jobs are read from the blob store as stored (raw JSON, so fields added by other
issues, such as ``chapter``, come along); ``decks.build.build_deck`` runs with a progress
callback that writes at most one update a second and a cancel check that reads the deck's
status (a cancelled deck stops at the solver's next round or the drill's next batch); the deck
JSON is stored under the key ``decks/<id>/deck.json`` and the deck completed. A failure
is recorded with its code; nothing is charged (decks are free, see ``jobs.decks``).
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import PurePath
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from frenchnovel.config import Settings
from frenchnovel.decks.build import DeckOptions, build_deck
from frenchnovel.decks.candidates import Source
from frenchnovel.errors import Cancelled, ErrorCode, FrenchNovelError
from frenchnovel.jobs import decks, word_lists
from frenchnovel.storage.blobs import BlobMissing, BlobStore, blob_store
from frenchnovel.storage.models import Deck, Job

log = logging.getLogger(__name__)

DECK_DIR = "decks"
DECK_NAME = "deck.json"
PROGRESS_EVERY = 1.0  # seconds between two progress writes


def deck_key(deck_id: str) -> str:
    return f"{DECK_DIR}/{deck_id}/{DECK_NAME}"


def read_deck(store: BlobStore, key: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(store.get(key))
    return data


def run_deck(sessions: sessionmaker[Session], settings: Settings, deck_id: str) -> str | None:
    """Build the deck ``deck_id``; returns its final status (None when another took it)."""
    with sessions() as session, session.begin():
        if not decks.start(session, deck_id=deck_id):
            return None
        deck = session.get(Deck, deck_id)
        assert deck is not None
        options = DeckOptions.of(deck.settings["options"])
        words = word_lists.load(session, user_id=deck.user_id, name=options.word_list)
        jobs = [session.get(Job, job_id) for job_id in deck.settings["job_ids"]]
    store = blob_store(settings)
    tracker = _Tracker(sessions, deck_id)
    try:
        sources = [_source(store, job) for job in jobs]
        built = build_deck(
            sources,
            words,
            options,
            threads=2,
            progress=tracker.progress,
            cancelled=tracker.cancelled,
        )
        key = deck_key(deck_id)
        store.put_bytes(key, json.dumps(built, ensure_ascii=False).encode())
    except Cancelled:
        return "cancelled"
    except FrenchNovelError as exc:
        return _fail(sessions, deck_id, exc.code, exc.message)
    except Exception:
        log.exception("deck %s failed", deck_id)
        return _fail(sessions, deck_id, ErrorCode.PROCESSING_ERROR, "the deck could not be built")
    with sessions() as session, session.begin():
        done = decks.complete(
            session, deck_id=deck_id, result_path=key, size=len(built["sentences"])
        )
    return "completed" if done else "cancelled"


def _source(store: BlobStore, job: Job | None) -> Source:
    lost = FrenchNovelError("a job of this deck lost its result", code=ErrorCode.JOB_NOT_FOUND)
    if job is None or job.result_path is None:
        raise lost
    try:
        data = json.loads(store.get(job.result_path))
    except BlobMissing:
        raise lost from None
    return Source(book=PurePath(job.filename or job.id).stem, result=data)


def _fail(sessions: sessionmaker[Session], deck_id: str, code: ErrorCode, message: str) -> str:
    with sessions() as session, session.begin():
        decks.fail(session, deck_id=deck_id, code=code, message=message)
    return "failed"


class _Tracker:
    """Progress written at most once a second; the cancel check reads the deck's status."""

    def __init__(self, sessions: sessionmaker[Session], deck_id: str) -> None:
        self.sessions = sessions
        self.deck_id = deck_id
        self.last = 0.0
        self.stopped = False

    def progress(self, percent: int, step: str) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        with self.sessions() as session, session.begin():
            if not decks.record_progress(session, deck_id=self.deck_id, percent=percent, step=step):
                self.stopped = True

    def cancelled(self) -> bool:
        if not self.stopped:
            with self.sessions() as session, session.begin():
                self.stopped = not decks.is_active(session, deck_id=self.deck_id)
        return self.stopped
