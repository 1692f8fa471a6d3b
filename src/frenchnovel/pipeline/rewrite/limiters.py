"""The limiter and retry policy an LLM engine gets from the service's settings.

With ``REDIS_URL`` every worker process shares one schedule per provider and model; without it
(the CLI on a laptop) the process keeps its own.
"""

from __future__ import annotations

import threading

from frenchnovel.config import Settings
from frenchnovel.pipeline.rewrite.ratelimit import Limiter, Limits, MemoryLimiter
from frenchnovel.pipeline.rewrite.retry import RetryPolicy

REDIS_PREFIX = "frenchnovel:llm"

_lock = threading.Lock()
_shared: dict[tuple[str, ...], Limiter] = {}


def limits_from(settings: Settings) -> Limits:
    """The configured quotas (``LLM_REQUESTS_PER_MINUTE``, ``LLM_TOKENS_PER_MINUTE``, ...)."""
    return Limits(
        requests_per_minute=settings.llm_requests_per_minute,
        tokens_per_minute=settings.llm_tokens_per_minute,
        concurrency=settings.llm_concurrency,
    )


def limiter_for(engine: str, model: str, settings: Settings) -> Limiter:
    """The limiter of ``engine``/``model``: one per process, backed by Redis when configured."""
    limits = limits_from(settings)
    key = (engine, model, settings.redis_url or "", repr(limits))
    with _lock:
        if key not in _shared:
            _shared[key] = _build(engine, model, settings, limits)
        return _shared[key]


def _build(engine: str, model: str, settings: Settings, limits: Limits) -> Limiter:
    if not settings.redis_url:
        return MemoryLimiter(limits)
    from frenchnovel.pipeline.rewrite.ratelimit_redis import RedisLimiter

    prefix = f"{REDIS_PREFIX}:{engine}:{model}"
    return RedisLimiter.from_url(settings.redis_url, prefix, limits)


def retry_policy(settings: Settings) -> RetryPolicy:
    """Attempts, backoff and the time budget for 429, 5xx and network failures."""
    return RetryPolicy(
        attempts=settings.llm_max_attempts,
        backoff=settings.llm_backoff_seconds,
        budget=settings.llm_retry_budget_seconds,
    )
