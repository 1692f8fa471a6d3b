"""The deck task and its dispatch. Thin: a deck id in, the work done by ``jobs.deck_work``.

A deck is one task (its work is one solve or one ranking, seconds long, not pages to fan out);
its task id is derived from the deck id so that a cancel can revoke it without storing anything.
"""

from __future__ import annotations

import logging

from celery import shared_task

from frenchnovel.config import Settings, get_settings
from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.jobs import deck_work, decks
from frenchnovel.storage.db import get_sessions
from frenchnovel.storage.models import utcnow
from frenchnovel.worker.celery_app import get_celery
from frenchnovel.worker.dispatch import PUBLISH_RETRY

log = logging.getLogger(__name__)

BUILD_DECK = "frenchnovel.build_deck"


def deck_task_id(deck_id: str) -> str:
    return f"deck.{deck_id}"


@shared_task(name=BUILD_DECK, acks_late=True)  # type: ignore[untyped-decorator]
def build_deck(deck_id: str) -> str | None:
    """Build one deck (idempotent: a second delivery finds it claimed and does nothing)."""
    settings = get_settings()
    return deck_work.run_deck(get_sessions(settings), settings, deck_id)


@shared_task(name="frenchnovel.decks_maintenance")  # type: ignore[untyped-decorator]
def decks_maintenance() -> dict[str, list[str]]:
    """Hourly: fail decks stuck without progress, remove stored decks past their retention."""
    settings = get_settings()
    with get_sessions(settings)() as session, session.begin():
        now = utcnow()
        reaped = decks.reap_stuck(session, settings=settings, now=now)
        purged = decks.purge_old(session, settings=settings, now=now)
    return {"reaped": reaped, "purged": purged}


def enqueue_deck(deck_id: str, *, settings: Settings | None = None) -> None:
    """Queue a committed deck; when the broker cannot be reached the deck fails at once."""
    settings = settings or get_settings()
    try:
        get_celery(settings).send_task(
            BUILD_DECK,
            args=[deck_id],
            task_id=deck_task_id(deck_id),
            retry_policy=PUBLISH_RETRY,
            ignore_result=True,
        )
    except Exception as exc:
        log.exception("could not queue deck %s", deck_id)
        with get_sessions(settings)() as session, session.begin():
            decks.fail(
                session,
                deck_id=deck_id,
                code=ErrorCode.PROCESSING_ERROR,
                message="the work queue is unavailable",
            )
        raise FrenchNovelError(
            f"the work queue is unavailable ({exc.__class__.__name__})",
            code=ErrorCode.PROCESSING_ERROR,
        ) from None


def revoke_deck(deck_id: str, *, settings: Settings | None = None) -> None:
    """After a committed cancel: drop the queued task (a running one stops by itself)."""
    settings = settings or get_settings()
    if settings.redis_url:
        get_celery(settings).control.revoke(deck_task_id(deck_id))
