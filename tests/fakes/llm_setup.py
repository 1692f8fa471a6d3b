"""Helpers for tests and benchmarks of the LLM engines: settings aimed at a fake, real sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from frenchnovel.config import Settings
from frenchnovel.pipeline.segment import split_sentences
from tests.fakes.llm_server import FakeLLM

NOVEL = "text/maupassant_bel-ami_eltec-FRA02701.txt"


def settings_for(fake: FakeLLM, **overrides: Any) -> Settings:
    """Settings whose engines talk to ``fake``; limits high enough not to slow tests down."""
    values: dict[str, Any] = {
        "gemini_api_key": "test-key",
        "gemini_base_url": fake.gemini_url,
        "openai_api_key": "test-key",
        "openai_base_url": fake.openai_url,
        "llm_requests_per_minute": 600_000,
        "llm_tokens_per_minute": 10**9,
        "llm_backoff_seconds": 0.01,
        "llm_batch_size": 5,
    }
    values.update(overrides)
    return Settings(**values)


def novel_sentences(corpus: Path, count: int, *, skip: int = 40) -> list[str]:
    """``count`` consecutive sentences of a real novel, from its ``skip``-th paragraph on."""
    lines = [line for line in (corpus / NOVEL).read_text().splitlines() if line.strip()]
    sentences: list[str] = []
    for line in lines[skip:]:
        sentences.extend(split_sentences(" ".join(line.split())))
        if len(sentences) >= count:
            break
    return sentences[:count]
