"""``GET /api/v1/jobs/{id}/events``: a job's progress as Server-Sent Events.

The stream opens with the job's current state, then sends ``progress`` events as chunks finish
and ends with one terminal event (``completed``, ``failed`` or ``cancelled``). Each event's data is
the job, in the shape of ``GET /api/v1/jobs/{id}``, read from the database when a Redis pub/sub
notice arrives. A comment line every ``HEARTBEAT_SECONDS`` keeps proxies from closing the stream
and doubles as a database check, so that a lost notice (or no Redis at all) only delays an event.

Browsers' ``EventSource`` cannot send headers, so the token is also accepted as ``?token=``;
``fetch()`` streaming with ``Authorization: Bearer`` works as everywhere else.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import redis.asyncio as aioredis
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from frenchnovel.api.deps import SessionsDep, SettingsDep
from frenchnovel.api.errors import Unauthorized
from frenchnovel.api.schemas import ErrorBody, JobView
from frenchnovel.jobs import events, queries
from frenchnovel.storage.accounts import authenticate

router = APIRouter(prefix="/jobs", tags=["jobs"])
log = logging.getLogger(__name__)
TOKEN_IN_QUERY = re.compile(r"([?&]token=)[^&\s]+")


class RedactTokens(logging.Filter):
    """Keep ``?token=`` secrets out of the access log (its lines carry the full query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                TOKEN_IN_QUERY.sub(r"\1[redacted]", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        return True


logging.getLogger("uvicorn.access").addFilter(RedactTokens())

HEARTBEAT_SECONDS = 15.0
NO_REDIS_POLL_SECONDS = 1.0


def _user_id(request: Request, sessions: sessionmaker[Session], token: str | None) -> int:
    scheme, _, header_token = request.headers.get("authorization", "").partition(" ")
    secret = header_token.strip() if scheme.lower() == "bearer" else (token or "").strip()
    if not secret:
        raise Unauthorized("send your API token as 'Authorization: Bearer <token>' or ?token=")
    with sessions() as session:
        user = authenticate(session, secret)
        if user is None:
            raise Unauthorized("this API token is not valid")
        return user.id


def _job_view(sessions: sessionmaker[Session], user_id: int, job_id: str) -> JobView:
    with sessions() as session:
        return JobView.of(queries.find_job(session, user_id=user_id, job_id=job_id))


def _frame(view: JobView) -> tuple[str, str]:
    event = events.event_for_status(view.status)
    data = json.dumps(view.model_dump(mode="json"), ensure_ascii=False)
    return event, f"event: {event}\ndata: {data}\n\n"


async def _notices(pubsub: Any, timeout: float) -> bool:
    """Wait up to ``timeout`` for a notice on the subscribed channel; True if one came."""
    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=timeout)
    return message is not None


async def _stream(
    sessions: sessionmaker[Session], redis_url: str | None, user_id: int, job_id: str
) -> AsyncIterator[str]:
    pubsub = subscribed = None
    client = None
    if redis_url:
        try:
            client = aioredis.Redis.from_url(events.redis_py_url(redis_url))
            pubsub = client.pubsub()
            # Subscribe before reading the state, so that no change falls between the two.
            await pubsub.subscribe(events.channel(job_id))
            subscribed = pubsub
        except Exception as exc:
            log.warning("events of job %s: no pub/sub (%s), polling instead", job_id, exc)
            pubsub = None
    try:
        last = ""
        waited = 0.0
        while True:
            view = await run_in_threadpool(_job_view, sessions, user_id, job_id)
            event, frame = _frame(view)
            if frame != last:
                yield frame
                last = frame
                waited = 0.0
            if event in events.TERMINAL:
                return
            timeout = HEARTBEAT_SECONDS if pubsub is not None else NO_REDIS_POLL_SECONDS
            try:
                noticed = await _notices(pubsub, timeout) if pubsub else False
            except Exception as exc:
                log.warning("events of job %s: pub/sub lost (%s), polling instead", job_id, exc)
                pubsub, noticed = None, False
            if pubsub is None and not noticed:
                await asyncio.sleep(NO_REDIS_POLL_SECONDS)
                waited += NO_REDIS_POLL_SECONDS
            if not noticed and (pubsub is not None or waited >= HEARTBEAT_SECONDS):
                yield ": heartbeat\n\n"
                waited = 0.0
    finally:
        if subscribed is not None:
            await subscribed.aclose()  # type: ignore[no-untyped-call]
        if client is not None:
            await client.aclose()


@router.get(
    "/{job_id}/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}},
        401: {"model": ErrorBody},
        404: {"model": ErrorBody},
    },
)
async def job_events(
    job_id: str,
    request: Request,
    sessions: SessionsDep,
    settings: SettingsDep,
    token: str | None = Query(None, description="The API token, for EventSource clients."),
) -> StreamingResponse:
    """Follow a job live: Server-Sent Events ``progress``, then ``completed``, ``failed`` or
    ``cancelled``, each with the job as JSON data (the current state comes first)."""
    user_id = await run_in_threadpool(_user_id, request, sessions, token)
    await run_in_threadpool(_job_view, sessions, user_id, job_id)  # 404 for a stranger
    return StreamingResponse(
        _stream(sessions, settings.redis_url, user_id, job_id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
