"""The LLM engines inside the service: real API, real Celery workers, the fake Gemini over HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from frenchnovel.billing.pricing import credits_for
from frenchnovel.pipeline.words import count_words
from frenchnovel.storage.db import dispose_engines
from tests.e2e.conftest import _stack
from tests.e2e.stack import Stack, wait_for
from tests.fakes.llm_server import FakeLLM, FakeLLMServer
from tests.support.render import render_novel

MODEL = "gemini-2.5-flash"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeLLM]:
    with FakeLLMServer() as state:
        yield state


@pytest.fixture(scope="module")
def llm_service(
    tmp_path_factory: pytest.TempPathFactory, broker: str, fake: FakeLLM
) -> Iterator[Stack]:
    """A service whose API and workers know the fake providers (keys are checked at submission)."""
    root = tmp_path_factory.mktemp("e2e-llm")
    stack = _stack(
        "llm",
        f"sqlite:///{root / 'frenchnovel.db'}",
        root,
        broker,
        GEMINI_API_KEY="test-key",
        GEMINI_BASE_URL=fake.gemini_url,
        OPENAI_API_KEY="test-key",
        OPENAI_BASE_URL=fake.openai_url,
        OPENAI_MODEL="qwen2.5-7b-instruct",
        LLM_REQUESTS_PER_MINUTE="600000",
        LLM_TOKENS_PER_MINUTE="1000000000",
        LLM_BACKOFF_SECONDS="0.05",
        CHUNKING_THRESHOLD_PAGES="20",
        CHUNK_SIZE_PAGES="50",
    )
    yield stack
    stack.stop()
    dispose_engines()


@pytest.fixture
def llm_stack(llm_service: Stack, fake: FakeLLM) -> Iterator[Stack]:
    fake.clear()
    fake.latency = 0.0
    yield llm_service
    llm_service.stop_workers()


@pytest.fixture(scope="module")
def novel_200(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_novel("verne", pages=200, out=tmp_path_factory.mktemp("llm") / "200.pdf").path


@pytest.fixture(scope="module")
def novel_30(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_novel("hugo", pages=30, out=tmp_path_factory.mktemp("llm") / "30.pdf").path


def test_a_200_page_gemini_job_completes_in_order_and_is_billed_what_the_provider_reported(
    llm_stack: Stack, fake: FakeLLM, novel_200: Path
) -> None:
    owner = llm_stack.reader()
    llm_stack.start_worker()
    submitted = llm_stack.submit(owner, novel_200, engine="gemini", sentence_length_limit=10)
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["job_id"]
    job = llm_stack.wait_status(owner, job_id, {"completed", "failed"}, timeout=300)
    assert job["status"] == "completed", job

    sentences = llm_stack.sentences(owner, job_id)
    assert [s["index"] for s in sentences] == list(range(len(sentences)))
    pages = [s["page"] for s in sentences]
    assert pages == sorted(pages) and pages[-1] == 200
    assert all(count_words(s["text"]) <= 10 for s in sentences)
    sent = sorted(text for request in fake.requests for text in request.sentences)
    assert sorted({s["original"] for s in sentences if s["rewritten"]}) == sorted(set(sent))

    assert job["model"] == MODEL
    assert job["actual_tokens"] == fake.usage > 0
    assert job["actual_credits"] == credits_for(fake.usage, MODEL)
    assert sum(amount for _, amount in llm_stack.ledger(job_id)) == -credits_for(fake.usage, MODEL)
    assert fake.breaches.total == 0


def test_an_openai_compatible_job_is_billed_what_the_server_reported(
    llm_stack: Stack, fake: FakeLLM, novel_30: Path
) -> None:
    owner = llm_stack.reader()
    llm_stack.start_worker()
    job_id = llm_stack.submit(owner, novel_30, engine="openai").json()["job_id"]
    job = llm_stack.wait_status(owner, job_id, {"completed", "failed"}, timeout=120)
    assert job["status"] == "completed", job
    assert job["model"] == "qwen2.5-7b-instruct"
    assert {(r.provider, r.model) for r in fake.requests} == {("openai", "qwen2.5-7b-instruct")}
    assert job["actual_tokens"] == fake.usage > 0
    assert job["actual_credits"] == credits_for(fake.usage, "qwen2.5-7b-instruct")


def test_a_provider_that_refuses_fails_the_job_with_engine_error_and_refunds_it(
    llm_stack: Stack, fake: FakeLLM, novel_30: Path
) -> None:
    fake.inject(status=403, times=-1)
    owner = llm_stack.reader()
    llm_stack.start_worker()
    job_id = llm_stack.submit(owner, novel_30, engine="gemini").json()["job_id"]
    job = llm_stack.wait_status(owner, job_id, {"completed", "failed"}, timeout=120)
    assert job["status"] == "failed"
    assert job["error"]["code"] == "ENGINE_ERROR"
    assert [kind for kind, _ in llm_stack.ledger(job_id)] == ["reservation", "refund"]
    assert sum(amount for _, amount in llm_stack.ledger(job_id)) == 0
    assert {request.status for request in fake.requests} == {403}
    # No retries: the requests already in flight (at most the concurrency cap) were refused
    # once each, and nothing was sent after the first refusal came back.
    batches = [tuple(request.sentences) for request in fake.requests]
    assert len(batches) == len(set(batches)) <= 8


def test_cancel_stops_the_jobs_requests_to_the_provider(
    llm_stack: Stack, fake: FakeLLM, novel_30: Path
) -> None:
    fake.latency = 0.5  # slow answers: the job is still sending when the reader cancels
    owner = llm_stack.reader()
    llm_stack.start_worker(LLM_BATCH_SIZE="1", LLM_CONCURRENCY="2")
    job_id = llm_stack.submit(owner, novel_30, engine="gemini").json()["job_id"]
    wait_for(lambda: len(fake.requests) >= 4, timeout=120, what="the first requests")

    answer = httpx.post(f"{llm_stack.api_url}/api/v1/jobs/{job_id}/cancel", headers=owner.headers)
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    # The worker notices within its cancel check (about a second); after that nothing leaves.
    time.sleep(2.5)
    sent = len(fake.requests)
    time.sleep(3)
    assert len(fake.requests) == sent
    assert sent < 100  # far fewer than the job's long sentences: it really stopped
    assert llm_stack.job(owner, job_id)["status"] == "cancelled"
    assert sum(amount for _, amount in llm_stack.ledger(job_id)) == 0
