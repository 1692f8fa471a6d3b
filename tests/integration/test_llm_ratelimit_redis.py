"""The LLM rate schedule shared through a real Redis by several worker processes.

The Redis is a server of this module's own. On the machine's shared one, a fixed database number
may be claimed by another test session (the end-to-end ones take the first empty database from 8 up)
whose broker cleanup deletes every key in it: places booked there vanish mid-request, and the
workers then really do pass the provider's concurrency.
"""

from __future__ import annotations

import itertools
import multiprocessing
import time
import uuid
from collections.abc import Iterator

import pytest
import redis

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.gemini import GeminiProvider, GeminiRewriter
from frenchnovel.pipeline.rewrite.ratelimit import Limits
from frenchnovel.pipeline.rewrite.ratelimit_redis import RedisLimiter
from tests.fakes import llm_server
from tests.fakes.llm_server import FakeLLMServer
from tests.support.redis_server import RedisServer

# A short "minute" keeps the test quick; the limiter adds the same 1 % guard as in production.
MINUTE = 3.0
LIMITS = Limits(requests_per_minute=20, tokens_per_minute=10**9, concurrency=3, window=3.03)
LONG = (
    "Le vieux marin, qui avait traversé toutes les mers du monde, s’assit lentement sur le banc "
    "et regarda la mer sans rien dire."
)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A ``redis-server`` that no other test session can flush while workers hold places in it."""
    server = RedisServer(tmp_path_factory.mktemp("llm-redis"))
    server.start()
    try:
        yield server.url()
    finally:
        server.stop()


@pytest.fixture
def prefix() -> str:
    return f"test:llm:{uuid.uuid4().hex}"


def test_two_workers_book_their_slots_in_one_schedule(redis_url: str, prefix: str) -> None:
    limits = Limits(requests_per_minute=600, tokens_per_minute=10**9, concurrency=8, window=60.0)
    first = RedisLimiter.from_url(redis_url, prefix, limits)
    second = RedisLimiter.from_url(redis_url, prefix, limits)
    for _ in range(5):
        first.reserve(100)
        second.reserve(100)
    booked = redis.Redis.from_url(redis_url).zrange(f"{prefix}:log", 0, -1, withscores=True)
    slots = [score for _, score in booked]
    assert len(slots) == 10
    gaps = [b - a for a, b in itertools.pairwise(slots)]
    assert all(gap >= 0.1 - 1e-6 for gap in gaps)  # 600 a minute: one every 0.1 s, whoever asks


def test_a_dearer_answer_than_expected_moves_the_shared_schedule(
    redis_url: str, prefix: str
) -> None:
    limits = Limits(requests_per_minute=10**6, tokens_per_minute=60_000, concurrency=8, window=60.0)
    worker = RedisLimiter.from_url(redis_url, prefix, limits)
    other = RedisLimiter.from_url(redis_url, prefix, limits)
    booking = worker.reserve(600)
    worker.settle(booking, 6_000)
    assert other.reserve(10).delay == pytest.approx(6.0, abs=0.1)


def test_a_place_held_by_a_crashed_worker_comes_back_after_its_lease(
    redis_url: str, prefix: str
) -> None:
    limits = Limits(requests_per_minute=600, tokens_per_minute=10**9, concurrency=1)
    client = redis.Redis.from_url(redis_url)
    seconds, micros = client.time()
    # What a worker killed mid-request leaves behind: its place, never renewed again.
    client.zadd(f"{prefix}:places", {"dead-worker": seconds + micros / 1e6 + 0.5})
    survivor = RedisLimiter.from_url(redis_url, prefix, limits)
    started = time.monotonic()
    with pytest.raises(InterruptedError):
        with survivor.permit(lambda: time.monotonic() > started + 0.2):
            pass
    with survivor.permit(lambda: time.monotonic() > started + 30):
        pass


def _worker(fake_url: str, redis_url: str, prefix: str, count: int) -> int:
    """One worker process: rewrites ``count`` long sentences, one request each."""
    from google import genai
    from google.genai import types

    client = genai.Client(
        api_key="test-key",
        http_options=types.HttpOptions(
            base_url=fake_url, retry_options=types.HttpRetryOptions(attempts=1)
        ),
    )
    limiter = RedisLimiter.from_url(redis_url, prefix, LIMITS)
    rewriter = GeminiRewriter(
        GeminiProvider(client, "gemini-2.5-flash"), limiter, batch_size=1, concurrency=8
    )
    outcome = rewriter.rewrite([LONG] * count, JobOptions(engine="gemini"))
    return sum(len(pieces) > 1 for pieces in outcome.pieces)


def test_worker_processes_together_never_break_the_providers_limits(
    redis_url: str, prefix: str
) -> None:
    with FakeLLMServer(latency=0.5, window=MINUTE) as fake:
        fake.limits = llm_server.Limits(
            LIMITS.requests_per_minute, LIMITS.tokens_per_minute, LIMITS.concurrency
        )
        context = multiprocessing.get_context("spawn")
        with context.Pool(2) as pool:
            results = pool.starmap(_worker, [(fake.gemini_url, redis_url, prefix, 12)] * 2)
        assert results == [12, 12]
        assert len(fake.requests) == 24
        assert fake.breaches.total == 0
        assert fake.max_in_flight == LIMITS.concurrency  # the cap was reached, never passed


def test_a_hold_from_one_worker_delays_the_others(redis_url: str, prefix: str) -> None:
    limits = Limits(requests_per_minute=600, tokens_per_minute=10**9, concurrency=8)
    throttled = RedisLimiter.from_url(redis_url, prefix, limits)
    other = RedisLimiter.from_url(redis_url, prefix, limits)
    throttled.hold(2.0)
    assert other.reserve(10).delay == pytest.approx(2.0, abs=0.1)


def test_a_place_held_longer_than_its_lease_stays_held_while_its_worker_lives(
    redis_url: str, prefix: str
) -> None:
    limits = Limits(requests_per_minute=600, tokens_per_minute=10**9, concurrency=1)
    busy = RedisLimiter.from_url(redis_url, prefix, limits, lease_seconds=0.3)
    waiting = RedisLimiter.from_url(redis_url, prefix, limits, lease_seconds=0.3)
    deadline = time.monotonic() + 1.0
    with busy.permit(lambda: False):
        with pytest.raises(InterruptedError):
            with waiting.permit(lambda: time.monotonic() > deadline):
                pass
    with waiting.permit(lambda: False):
        pass


def test_a_limiter_whose_redis_is_down_fails_the_work_as_transient_before_sending() -> None:
    from google import genai
    from google.genai import types

    from frenchnovel.errors import TransientEngineError

    with FakeLLMServer() as fake:
        client = genai.Client(
            api_key="test-key", http_options=types.HttpOptions(base_url=fake.gemini_url)
        )
        nowhere = RedisLimiter.from_url("redis://127.0.0.1:1/0", "test:llm:down", LIMITS)
        rewriter = GeminiRewriter(
            GeminiProvider(client, "gemini-2.5-flash"), nowhere, batch_size=1, concurrency=2
        )
        with pytest.raises(TransientEngineError):
            rewriter.rewrite([LONG] * 3, JobOptions(engine="gemini"))
        assert fake.requests == []
