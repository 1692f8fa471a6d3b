"""``GET /health`` (database and broker) and ``GET /metrics`` (Prometheus), without a token."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from frenchnovel.api.deps import SessionsDep, SettingsDep
from frenchnovel.api.schemas import HealthAnswer

router = APIRouter(tags=["service"])
log = logging.getLogger(__name__)


def database_state(sessions: SessionsDep) -> str:
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:
        log.warning("health: database down: %s", exc)
        return "down"


def broker_state(request: Request, redis_url: str | None) -> str:
    """``ok``/``down`` for a configured broker; otherwise what ``serve`` started (if anything)."""
    if not redis_url:
        return str(getattr(request.app.state, "broker", "not configured"))
    import redis

    try:
        from frenchnovel.jobs.events import redis_py_url

        client = redis.Redis.from_url(
            redis_py_url(redis_url), socket_timeout=1, socket_connect_timeout=1
        )
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    except Exception as exc:
        log.warning("health: broker down: %s", exc)
        return "down"


@router.get("/health", response_model=HealthAnswer, responses={503: {"model": HealthAnswer}})
def health(request: Request, sessions: SessionsDep, settings: SettingsDep) -> JSONResponse:
    """Whether the database and the broker answer; 503 when either is down."""
    database = database_state(sessions)
    broker = broker_state(request, settings.redis_url)
    down = "down" in (database, broker)
    answer = HealthAnswer(status="degraded" if down else "ok", database=database, broker=broker)
    return JSONResponse(answer.model_dump(), status_code=503 if down else 200)


@router.get("/metrics", response_class=Response)
def metrics() -> Response:
    """Prometheus exposition: jobs submitted/completed/failed, request latency."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
