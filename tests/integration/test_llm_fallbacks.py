"""When the provider will not give a batch a good answer in time, ``local`` rewrites it.

A batch throttled for ever (429 with Retry-After), server errors or a network that outlast the
retry budget, a piece the model keeps over the limit: the job goes on, the other batches are the
model's, and the sentences ``local`` took over are counted in ``fallbacks``. Only a refused request
(400/401/403) fails the job.
"""

from __future__ import annotations

import socket
from itertools import pairwise

import pytest

from frenchnovel.errors import EngineError, ErrorCode
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import RewriteOutcome, get_rewriter
from frenchnovel.pipeline.rewrite.local import LocalRewriter
from frenchnovel.pipeline.words import count_words
from tests.fakes.llm_answers import split_sentence
from tests.fakes.llm_server import FakeLLM, FakeLLMServer
from tests.fakes.llm_setup import settings_for

ENGINES = ["gemini", "openai"]
BUDGET = 1.0  # seconds a request keeps retrying: short, so that the tests stay fast


def _run(engine: str, fake: FakeLLM, sentences: list[str], **settings: object) -> RewriteOutcome:
    options = JobOptions(engine=engine)
    values: dict[str, object] = {"llm_retry_budget_seconds": BUDGET, **settings}
    return get_rewriter(options, settings_for(fake, **values)).rewrite(sentences, options)


def _by_local(sentences: list[str]) -> list[list[str]]:
    return LocalRewriter().rewrite(sentences, JobOptions()).pieces


@pytest.mark.parametrize("engine", ENGINES)
def test_a_batch_throttled_for_ever_is_rewritten_by_local_and_the_others_by_the_model(
    engine: str, fake: FakeLLM, long_sentences: list[str]
) -> None:
    fake.stick(status=429, retry_after=0.2)
    outcome = _run(engine, fake, long_sentences, llm_concurrency=2, llm_max_attempts=2)

    stuck = fake.stuck.sentences if fake.stuck else None
    assert stuck is not None and len(stuck) == 5
    assert outcome.fallbacks == 5
    throttled = [r for r in fake.requests if r.status == 429]
    # Retry-After is honoured for as long as the budget lasts, past the two attempts of errors
    # the provider does not date; then the batch is given up.
    assert len(throttled) >= 3
    gaps = [b.arrived - a.arrived for a, b in pairwise(throttled)]
    assert min(gaps) >= 0.19
    assert throttled[-1].arrived - throttled[0].arrived <= BUDGET + 0.1
    local = _by_local(long_sentences)
    for sentence, pieces, fallback in zip(long_sentences, outcome.pieces, local, strict=True):
        if sentence in stuck:
            assert pieces == fallback
        else:
            assert pieces == split_sentence(sentence, 8)  # the model's answer
    answered = {text for r in fake.requests if r.status == 200 for text in r.sentences}
    assert answered == set(long_sentences) - stuck


@pytest.mark.parametrize("engine", ENGINES)
def test_server_errors_that_outlast_the_budget_leave_their_batch_to_local(
    engine: str, fake: FakeLLM, long_sentences: list[str]
) -> None:
    fake.stick(status=503, retry_after=None)
    outcome = _run(engine, fake, long_sentences[:10], llm_max_attempts=20, llm_backoff_seconds=0.1)
    failed = [r for r in fake.requests if r.status == 503]
    assert 2 <= len(failed) < 20  # the budget ran out before the attempts did
    assert failed[-1].arrived - failed[0].arrived <= BUDGET + 0.1
    assert outcome.fallbacks == 5
    assert sum(r.status == 200 for r in fake.requests) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_a_provider_out_of_reach_leaves_every_sentence_to_local(
    engine: str, long_sentences: list[str]
) -> None:
    with socket.socket() as probe:  # a port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with FakeLLMServer() as fake:
        fake.url = f"http://127.0.0.1:{port}"
        outcome = _run(engine, fake, long_sentences[:6], llm_max_attempts=2)
    assert outcome.fallbacks == 6
    assert outcome.pieces == _by_local(long_sentences[:6])
    assert outcome.tokens == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_a_refused_key_fails_the_call_even_while_a_batch_is_throttled(
    engine: str, fake: FakeLLM, long_sentences: list[str]
) -> None:
    fake.stick(status=429, retry_after=0.2)
    fake.api_key = "the-real-key"
    with pytest.raises(EngineError) as failed:
        _run(engine, fake, long_sentences, llm_concurrency=2)
    assert failed.value.code is ErrorCode.ENGINE_ERROR
    assert 401 in {r.status for r in fake.requests}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_piece_over_the_limit_is_asked_for_again_with_the_piece_named(
    engine: str, fake: FakeLLM, long_sentences: list[str]
) -> None:
    fake.inject(bad="one_over_limit")
    outcome = _run(engine, fake, long_sentences[:4], llm_batch_size=4)

    first, second = fake.requests
    assert second.sentences == first.sentences
    for key, sentence in enumerate(first.sentences):
        joined = split_sentence(sentence, 8)[:2]
        too_long = f"{joined[0].rstrip('.')}, {joined[1][:1].lower()}{joined[1][1:]}"
        assert f"- id {key}: piece over the limit: « {too_long} » has" in second.message
    assert "piece over the limit" not in first.message
    assert outcome.fallbacks == 0
    assert all(count_words(p) <= 8 for pieces in outcome.pieces for p in pieces)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_piece_still_over_the_limit_leaves_its_sentence_to_local(
    engine: str, fake: FakeLLM, long_sentences: list[str]
) -> None:
    fake.inject(bad="one_over_limit", times=-1)
    sentences = long_sentences[:4]
    outcome = _run(engine, fake, sentences, llm_batch_size=4)
    assert len(fake.requests) == 2  # asked once more, then no more
    assert outcome.fallbacks == 4
    # ``local`` may keep a clause whole over the limit rather than break it into fragments.
    assert outcome.pieces == _by_local(sentences)
