"""Metrics recorded where things happen: a provider's requests, a queue's depth, a commit.

The LLM engines talk to the fake provider over HTTP and the pipeline's probes count what it
answered; the exporter reads a real Redis; a job's movements count only once committed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from prometheus_client import REGISTRY
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from frenchnovel.observe import metrics
from frenchnovel.observe.exporter import PRIORITY_SEPARATOR, LiveCollector
from frenchnovel.pipeline import probes
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import get_rewriter
from tests.fakes.llm_server import FakeLLM
from tests.fakes.llm_setup import settings_for
from tests.support.redis_databases import claim_redis_database, release_redis_database


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def counted() -> Iterator[None]:
    metrics.listen_to_pipeline()
    yield
    probes.install(None)


@pytest.mark.parametrize("engine", ["gemini", "openai"])
def test_every_request_to_the_provider_is_counted_with_the_tokens_it_reported(
    engine: str, fake: FakeLLM, long_sentences: list[str], counted: None
) -> None:
    options = JobOptions(engine=engine)
    rewriter = get_rewriter(options, settings_for(fake))
    labels = {"engine": engine, "model": rewriter.model}
    before = value("frenchnovel_llm_requests_total", **labels)
    tokens = value("frenchnovel_llm_tokens_total", **labels)

    outcome = rewriter.rewrite(long_sentences, options)

    assert value("frenchnovel_llm_requests_total", **labels) - before == len(fake.requests) == 4
    assert value("frenchnovel_llm_tokens_total", **labels) - tokens == fake.usage == outcome.tokens


def test_a_failing_provider_counts_its_errors_by_kind(
    fake: FakeLLM, long_sentences: list[str], counted: None
) -> None:
    options = JobOptions(engine="openai")
    rewriter = get_rewriter(options, settings_for(fake, llm_retry_budget_seconds=0.5))
    labels = {"engine": "openai", "model": rewriter.model}
    before = value("frenchnovel_llm_errors_total", kind="retryable", **labels)
    fake.stick(status=503, retry_after=None)

    rewriter.rewrite(long_sentences[:5], options)

    failed = sum(r.status == 503 for r in fake.requests)
    assert failed >= 2
    assert value("frenchnovel_llm_errors_total", kind="retryable", **labels) - before == failed


def test_the_queue_depth_counts_every_priority_of_a_queue_and_nothing_when_redis_is_away() -> None:
    url = claim_redis_database()
    try:
        client = redis.Redis.from_url(url)
        client.rpush("frenchnovel", "a", "b")
        client.rpush(f"frenchnovel{PRIORITY_SEPARATOR}6", "c")
        families = {f.name: f for f in LiveCollector(url, ["frenchnovel", "other"]).collect()}
        depths = {s.labels["queue"]: s.value for s in families["frenchnovel_queue_depth"].samples}
        assert depths == {"frenchnovel": 3, "other": 0}
        assert families["frenchnovel_worker_busy_processes"].samples[0].value == 0
    finally:
        release_redis_database(url)
    away = {f.name: f for f in LiveCollector("redis://127.0.0.1:1/0", ["frenchnovel"]).collect()}
    assert away["frenchnovel_queue_depth"].samples == []


def test_a_movement_counts_once_its_transaction_commits_and_never_after_a_rollback() -> None:
    engine = create_engine("sqlite://")
    before = value("frenchnovel_credits_total", movement="refunded")
    with Session(engine) as session:
        with session.begin():
            metrics.credits_moved(session, "refunded", 5)
            session.rollback()
        assert value("frenchnovel_credits_total", movement="refunded") == before
        with session.begin():
            metrics.credits_moved(session, "refunded", 5)
            assert value("frenchnovel_credits_total", movement="refunded") == before
        assert value("frenchnovel_credits_total", movement="refunded") == before + 5
