"""``frenchnovel process --engine gemini|openai``: the whole pipeline against the fake providers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from frenchnovel.pipeline.words import count_words
from tests.fakes.llm_server import FakeLLM
from tests.support.render import RenderedNovel, render_novel

FRENCHNOVEL = Path(sys.executable).with_name("frenchnovel")


@pytest.fixture(scope="module")
def novel_200(tmp_path_factory: pytest.TempPathFactory) -> RenderedNovel:
    return render_novel("maupassant", pages=200, out=tmp_path_factory.mktemp("llm") / "200.pdf")


@pytest.fixture(scope="module")
def novel_5(tmp_path_factory: pytest.TempPathFactory) -> RenderedNovel:
    return render_novel("flaubert", pages=5, out=tmp_path_factory.mktemp("llm") / "5.pdf")


def _process(
    novel: Path, out: Path, engine: str, fake: FakeLLM, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "GEMINI_API_KEY": "test-key",
        "GEMINI_BASE_URL": fake.gemini_url,
        "OPENAI_API_KEY": "test-key",
        "OPENAI_BASE_URL": fake.openai_url,
        "LLM_REQUESTS_PER_MINUTE": "600000",
        "LLM_TOKENS_PER_MINUTE": "1000000000",
        "LLM_BACKOFF_SECONDS": "0.01",
        **env,
    }
    command = [str(FRENCHNOVEL), "process", str(novel), "-o", str(out), "--engine", engine]
    return subprocess.run(
        [*command, "--no-progress"], env=environment, capture_output=True, text=True, timeout=300
    )


def _result(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def test_a_200_page_novel_comes_back_in_order_with_the_providers_usage(
    novel_200: RenderedNovel, fake: FakeLLM, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    done = _process(novel_200.path, out, "gemini", fake, LLM_BATCH_SIZE="40")
    assert done.returncode == 0, done.stderr

    result = _result(out)
    stats, sentences = result["stats"], result["sentences"]
    assert result["page_count"] == 200
    assert [s["index"] for s in sentences] == list(range(len(sentences)))
    pages = [s["page"] for s in sentences]
    assert pages == sorted(pages) and pages[-1] == 200
    assert (stats["engine"], stats["model"]) == ("gemini", "gemini-2.5-flash")
    assert stats["tokens"] == fake.usage > 0
    assert stats["fallbacks"] == 0
    assert all(count_words(s["text"]) <= 8 for s in sentences)

    originals = [s["original"] for s in sentences if s["rewritten"]]
    distinct = [o for i, o in enumerate(originals) if i == 0 or o != originals[i - 1]]
    sent = [text for request in fake.requests for text in request.sentences]
    assert sorted(distinct) == sorted(sent)  # each long sentence went once, and only those
    assert stats["rewritten"] == len(sent)
    assert all(len(request.sentences) <= 40 for request in fake.requests)


def test_the_openai_engine_runs_the_pipeline_through_any_compatible_server(
    novel_5: RenderedNovel, fake: FakeLLM, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    done = _process(novel_5.path, out, "openai", fake, OPENAI_MODEL="llama-3.1-8b-instruct")
    assert done.returncode == 0, done.stderr
    stats = _result(out)["stats"]
    assert (stats["engine"], stats["model"]) == ("openai", "llama-3.1-8b-instruct")
    assert stats["tokens"] == fake.usage > 0
    assert {request.provider for request in fake.requests} == {"openai"}


def test_answers_that_stay_bad_still_give_a_result_with_the_fallbacks_counted(
    novel_5: RenderedNovel, fake: FakeLLM, tmp_path: Path
) -> None:
    fake.inject(bad="malformed", times=-1)
    out = tmp_path / "out.json"
    done = _process(novel_5.path, out, "gemini", fake)
    assert done.returncode == 0, done.stderr
    stats = _result(out)["stats"]
    assert stats["fallbacks"] == len({t for r in fake.requests for t in r.sentences}) > 0
    # ``local`` keeps a sentence whole rather than break it into fragments: not all are rewritten.
    assert 0 < stats["rewritten"] <= stats["fallbacks"]


def test_a_batch_the_provider_throttles_for_ever_is_left_to_local_and_the_job_completes(
    novel_5: RenderedNovel, fake: FakeLLM, tmp_path: Path
) -> None:
    fake.stick(status=429, retry_after=0.2)
    out = tmp_path / "out.json"
    done = _process(
        novel_5.path, out, "gemini", fake, LLM_BATCH_SIZE="5", LLM_RETRY_BUDGET_SECONDS="1"
    )
    assert done.returncode == 0, done.stderr
    stuck = fake.stuck.sentences if fake.stuck else frozenset()
    stats = _result(out)["stats"]
    assert stats["fallbacks"] == len(stuck) == 5
    answered = {text for r in fake.requests if r.status == 200 for text in r.sentences}
    assert answered and answered.isdisjoint(stuck)  # the other batches are the model's
    assert stats["rewritten"] > stats["fallbacks"]


@pytest.mark.parametrize("status", [401, 403])
def test_a_provider_that_refuses_the_key_fails_the_job_with_engine_error(
    status: int, novel_5: RenderedNovel, fake: FakeLLM, tmp_path: Path
) -> None:
    fake.inject(status=status, times=-1)
    done = _process(novel_5.path, tmp_path / "out.json", "gemini", fake)
    assert done.returncode != 0
    assert "ENGINE_ERROR" in done.stderr
    assert not (tmp_path / "out.json").exists()


def test_an_engine_without_its_key_is_refused_before_any_work(
    novel_5: RenderedNovel, fake: FakeLLM, tmp_path: Path
) -> None:
    done = _process(novel_5.path, tmp_path / "out.json", "gemini", fake, GEMINI_API_KEY="")
    assert done.returncode != 0
    assert "INVALID_SETTINGS" in done.stderr
    assert fake.requests == []
