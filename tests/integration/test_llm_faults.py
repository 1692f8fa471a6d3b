"""How the LLM engines behave when the provider misbehaves (each switch of the fake servers).

What ``local`` takes over when the provider fails past the retry budget: test_llm_fallbacks.py.
"""

from __future__ import annotations

import pytest

from frenchnovel.errors import Cancelled, EngineError, ErrorCode
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import RewriteOutcome, get_rewriter
from frenchnovel.pipeline.rewrite.local import LocalRewriter
from tests.fakes.llm_answers import BAD_ANSWERS
from tests.fakes.llm_server import FakeLLM
from tests.fakes.llm_setup import settings_for

ENGINES = ["gemini", "openai"]


def _run(engine: str, fake: FakeLLM, sentences: list[str], **settings: object) -> RewriteOutcome:
    options = JobOptions(engine=engine)
    return get_rewriter(options, settings_for(fake, **settings)).rewrite(sentences, options)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_429_is_waited_out_for_as_long_as_retry_after_says(
    engine: str, fake: FakeLLM, long_sentences: list[str]
) -> None:
    fake.inject(status=429, retry_after=1)
    outcome = _run(engine, fake, long_sentences[:5])
    throttled, retried = fake.requests
    assert (throttled.status, retried.status) == (429, 200)
    assert retried.ids == throttled.ids
    assert retried.arrived - throttled.arrived >= 0.95
    assert outcome.fallbacks == 0
    assert outcome.tokens == fake.usage == retried.tokens


def test_a_429_holds_back_the_other_requests_of_the_job_too(
    fake: FakeLLM, long_sentences: list[str]
) -> None:
    fake.latency = 0.5  # each place holds one request at a time for half a second
    fake.inject(status=429, retry_after=2)
    outcome = _run("gemini", fake, long_sentences[:6], llm_batch_size=1, llm_concurrency=2)
    throttled = next(r for r in fake.requests if r.status == 429)
    during = [r for r in fake.requests if throttled.arrived < r.arrived < throttled.arrived + 1.9]
    # The other place's request already on its way, and at most one it sent before the
    # 429 came back; nothing after that until the provider's two seconds are over.
    assert len(during) <= 2
    assert outcome.fallbacks == 0
    assert len(fake.requests) == 7


@pytest.mark.parametrize("engine", ENGINES)
def test_a_server_error_is_retried_and_cured(
    engine: str, fake: FakeLLM, long_sentences: list[str]
) -> None:
    fake.inject(status=500, times=2)
    outcome = _run(engine, fake, long_sentences[:5])
    assert [r.status for r in fake.requests] == [500, 500, 200]
    assert outcome.fallbacks == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_a_provider_that_keeps_failing_leaves_the_batch_to_local_after_the_attempts(
    engine: str, fake: FakeLLM, long_sentences: list[str]
) -> None:
    fake.inject(status=503, times=-1)
    sentences = long_sentences[:5]
    outcome = _run(engine, fake, sentences, llm_max_attempts=3)
    assert [r.status for r in fake.requests] == [503, 503, 503]
    assert outcome.fallbacks == 5
    assert outcome.pieces == LocalRewriter().rewrite(sentences, JobOptions()).pieces


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("status", [400, 401, 403])
def test_a_refused_request_fails_at_once_with_engine_error(
    engine: str, status: int, fake: FakeLLM, long_sentences: list[str]
) -> None:
    fake.inject(status=status, times=-1)
    with pytest.raises(EngineError) as failed:
        _run(engine, fake, long_sentences, llm_concurrency=2)
    assert failed.value.code is ErrorCode.ENGINE_ERROR
    # No retry, and the other batches stop: at most the requests already in flight went out.
    assert 1 <= len(fake.requests) <= 2


@pytest.mark.parametrize("engine", ENGINES)
def test_a_wrong_key_fails_with_engine_error(
    engine: str, fake: FakeLLM, long_sentences: list[str]
) -> None:
    fake.api_key = "the-real-key"
    with pytest.raises(EngineError):
        _run(engine, fake, long_sentences[:5])
    assert [r.status for r in fake.requests] == [401]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("bad", BAD_ANSWERS)
def test_one_bad_answer_is_sent_again_and_then_accepted(
    engine: str, bad: str, fake: FakeLLM, long_sentences: list[str]
) -> None:
    fake.inject(bad=bad)
    outcome = _run(engine, fake, long_sentences[:4], llm_batch_size=4)
    first, second = fake.requests
    refused = first.ids[0::2] if bad == "missing_ids" else first.ids
    assert second.sentences == [first.sentences[int(key)] for key in refused]
    assert outcome.fallbacks == 0
    assert outcome.tokens == first.tokens + second.tokens  # a bad answer is still billed


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("bad", BAD_ANSWERS)
def test_answers_that_stay_bad_fall_back_to_the_local_engine_and_are_counted(
    engine: str, bad: str, fake: FakeLLM, long_sentences: list[str]
) -> None:
    fake.inject(bad=bad, times=-1)
    sentences = long_sentences[:6]
    outcome = _run(engine, fake, sentences, llm_batch_size=3)
    # The fake drops the ids at even positions: of 3, ids 0 and 2, then of those 2, the first.
    expected_fallbacks = 2 if bad == "missing_ids" else 6
    assert outcome.fallbacks == expected_fallbacks
    assert len(fake.requests) == 4  # two batches, each sent once more
    local = LocalRewriter().rewrite(sentences, JobOptions()).pieces
    fell_back = [i for i in range(6) if outcome.pieces[i] == local[i]]
    assert len(fell_back) >= expected_fallbacks


@pytest.mark.parametrize("engine", ENGINES)
def test_cancel_stops_the_requests_of_the_job_at_once(
    engine: str, fake: FakeLLM, long_sentences: list[str]
) -> None:
    options = JobOptions(engine=engine)
    settings = settings_for(fake, llm_batch_size=2, llm_concurrency=1)
    rewriter = get_rewriter(options, settings)
    with pytest.raises(Cancelled):
        rewriter.rewrite(long_sentences, options, cancelled=lambda: len(fake.requests) >= 3)
    assert len(fake.requests) == 3


def test_a_job_cancelled_before_it_starts_sends_nothing(
    fake: FakeLLM, long_sentences: list[str]
) -> None:
    options = JobOptions(engine="gemini")
    with pytest.raises(Cancelled):
        get_rewriter(options, settings_for(fake)).rewrite(
            long_sentences, options, cancelled=lambda: True
        )
    assert fake.requests == []
