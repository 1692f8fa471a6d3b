"""Both LLM engines, through their real SDKs, against the fake providers over real HTTP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from frenchnovel.billing.pricing import credits_for
from frenchnovel.errors import ErrorCode, SettingsError
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import ensure_engine_available, get_rewriter
from frenchnovel.pipeline.rewrite.llm import needs_model
from frenchnovel.pipeline.words import count_words
from tests.fakes.llm_server import FakeLLM
from tests.fakes.llm_setup import novel_sentences, settings_for

ENGINES = ["gemini", "openai"]


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.fixture(scope="module")
def sentences(corpus: Path) -> list[str]:
    return novel_sentences(corpus, 60)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_sentence_comes_back_in_order_and_only_long_ones_were_sent(
    engine: str, fake: FakeLLM, sentences: list[str]
) -> None:
    options = JobOptions(engine=engine, sentence_length_limit=8)
    outcome = get_rewriter(options, settings_for(fake)).rewrite(sentences, options)

    assert len(outcome.pieces) == len(sentences)
    for source, pieces in zip(sentences, outcome.pieces, strict=True):
        if count_words(source) <= 8:
            assert pieces == [source]
        else:
            assert all(count_words(piece) <= 8 for piece in pieces)
            assert _tokens(" ".join(pieces)) == _tokens(source)  # nothing lost, nothing moved
    long_ones = [s for s in sentences if needs_model(s, options)]
    sent = [text for request in fake.requests for text in request.sentences]
    assert sorted(sent) == sorted(long_ones)
    assert all(len(request.sentences) <= 5 for request in fake.requests)
    assert outcome.fallbacks == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_the_tokens_billed_are_the_usage_the_provider_reported(
    engine: str, fake: FakeLLM, sentences: list[str]
) -> None:
    options = JobOptions(engine=engine)
    rewriter = get_rewriter(options, settings_for(fake))
    outcome = rewriter.rewrite(sentences, options)
    assert outcome.tokens == fake.usage > 0
    assert credits_for(outcome.tokens, rewriter.model) == credits_for(fake.usage, rewriter.model)


@pytest.mark.parametrize(
    ("preference", "model"),
    [
        ("balanced", "gemini-2.5-flash"),
        ("speed", "gemini-2.5-flash-lite"),
        ("quality", "gemini-2.5-pro"),
    ],
)
def test_the_model_preference_picks_the_gemini_model(
    preference: str, model: str, fake: FakeLLM, sentences: list[str]
) -> None:
    options = JobOptions.parse({"engine": "gemini", "model_preference": preference})
    rewriter = get_rewriter(options, settings_for(fake))
    rewriter.rewrite(sentences[:10], options)
    assert rewriter.model == model
    assert {request.model for request in fake.requests} == {model}


def test_the_openai_engine_asks_for_the_configured_model_with_the_key(
    fake: FakeLLM, sentences: list[str]
) -> None:
    options = JobOptions(engine="openai")
    settings = settings_for(fake, openai_model="qwen2.5-7b-instruct", openai_api_key="sk-mine")
    fake.api_key = "sk-mine"
    get_rewriter(options, settings).rewrite(sentences[:10], options)
    assert {(r.model, r.api_key) for r in fake.requests} == {("qwen2.5-7b-instruct", "sk-mine")}


def test_a_job_without_long_sentences_sends_nothing(fake: FakeLLM) -> None:
    options = JobOptions(engine="gemini")
    outcome = get_rewriter(options, settings_for(fake)).rewrite(["Il pleut.", "Elle rit."], options)
    assert outcome.pieces == [["Il pleut."], ["Elle rit."]]
    assert outcome.tokens == 0
    assert fake.requests == []


def test_an_engine_without_its_key_is_refused_at_submission(fake: FakeLLM) -> None:
    settings = settings_for(fake, gemini_api_key="", openai_api_key="", openai_base_url="")
    for engine in ENGINES:
        with pytest.raises(SettingsError) as refused:
            ensure_engine_available(JobOptions(engine=engine), settings)
        assert refused.value.code is ErrorCode.INVALID_SETTINGS
    with pytest.raises(SettingsError):
        get_rewriter(JobOptions(engine="gemini"), settings)


def test_plain_typography_is_written_like_the_local_engine_writes_it(fake: FakeLLM) -> None:
    quoted = "« Je ne reviendrai jamais dans cette maison où tu m’as fait souffrir », dit-elle…"
    options = JobOptions(engine="gemini", preserve_formatting=False)
    outcome = get_rewriter(options, settings_for(fake)).rewrite([quoted, "Il rit…"], options)
    assert outcome.pieces[1] == ["Il rit..."]
    assert all("«" not in p and "»" not in p and "’" not in p for p in outcome.pieces[0])
    kept = JobOptions(engine="gemini", preserve_formatting=False, ignore_dialogue=True)
    assert get_rewriter(kept, settings_for(fake)).rewrite([quoted], kept).pieces == [[quoted]]
