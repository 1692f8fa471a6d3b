"""Progress notices of jobs on Redis pub/sub, for ``GET /api/v1/jobs/{id}/events``.

A notice only says *that* a job changed (and which event it was); listeners read the job itself
from the database, so what they send is always the job's committed state, in one shape. Publishing
is best effort: when Redis is away the job goes on, and listeners fall back to polling.
"""

from __future__ import annotations

import json
import logging
import threading
from urllib.parse import parse_qs, urlsplit

import redis

from frenchnovel.config import Settings

log = logging.getLogger(__name__)

PROGRESS = "progress"
COMPLETED = "completed"
FAILED = "failed"
CANCELLED = "cancelled"
TERMINAL = frozenset({COMPLETED, FAILED, CANCELLED})

_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()


def channel(job_id: str) -> str:
    """The pub/sub channel of one job (channels ignore Redis database numbers: ids are unique)."""
    return f"frenchnovel:job:{job_id}:events"


def event_for_status(status: str) -> str:
    """The SSE event that describes a job in ``status``."""
    return status if status in TERMINAL else PROGRESS


def redis_py_url(url: str) -> str:
    """A redis-py URL for a Celery/kombu broker URL (``redis+socket://`` becomes ``unix://``)."""
    if url.startswith("redis+socket://"):
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        db = (query.get("virtual_host") or query.get("db") or ["0"])[0]
        return f"unix://{parts.path}?db={db}"
    return url


def client(settings: Settings) -> redis.Redis | None:
    """A shared client for the configured Redis, or None when there is no Redis."""
    if not settings.redis_url:
        return None
    url = redis_py_url(settings.redis_url)
    with _clients_lock:
        if url not in _clients:
            _clients[url] = redis.Redis.from_url(
                url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30
            )
        return _clients[url]


def publish(settings: Settings, job_id: str, event: str) -> None:
    """Tell listeners that ``job_id`` changed; never raises."""
    redis_client = client(settings)
    if redis_client is None:
        return
    try:
        redis_client.publish(channel(job_id), json.dumps({"event": event, "job_id": job_id}))
    except redis.RedisError as exc:
        log.warning("could not publish %s of job %s: %s", event, job_id, exc)


def forget_clients() -> None:
    """Drop pooled connections (after a fork, and in tests)."""
    with _clients_lock:
        for redis_client in _clients.values():
            redis_client.close()
        _clients.clear()
