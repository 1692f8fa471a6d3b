"""The estimate of an LLM job counts only the requests it will send."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from frenchnovel.jobs.submission import estimate
from frenchnovel.pipeline.document import process_document
from frenchnovel.pipeline.options import JobOptions
from tests.fakes.llm_server import FakeLLM
from tests.fakes.llm_setup import settings_for
from tests.support.render import FONT_DIR, render_novel


@pytest.fixture(scope="module")
def novel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_novel("verne", pages=40, out=tmp_path_factory.mktemp("llm") / "40.pdf").path


@pytest.fixture(scope="module")
def short_sentences(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three pages of sentences that are all within the limit."""
    pdf = FPDF(unit="mm", format=(148, 210))
    pdf.add_font("body", "", str(FONT_DIR / "DejaVuSerif.ttf"))
    pdf.set_font("body", size=11)
    for _ in range(3):
        pdf.add_page()
        pdf.multi_cell(0, 6, "Il pleut sur la ville. Elle rit. Le chat dort. " * 12)
    path = tmp_path_factory.mktemp("llm") / "short.pdf"
    pdf.output(str(path))
    return path


def test_the_estimate_of_a_gemini_job_is_close_to_what_the_provider_then_reports(
    novel: Path, fake: FakeLLM
) -> None:
    options = JobOptions(engine="gemini")
    settings = settings_for(fake, llm_batch_size=20)
    expected = estimate(novel, options, settings).tokens
    result = process_document(novel, options, settings=settings)
    assert result.stats.tokens == fake.usage
    assert 0.8 * fake.usage <= expected <= 1.25 * fake.usage


def test_a_document_without_long_sentences_is_estimated_at_nothing_for_an_llm_engine(
    short_sentences: Path, fake: FakeLLM
) -> None:
    settings = settings_for(fake)
    assert estimate(short_sentences, JobOptions(engine="gemini"), settings).tokens == 0
    assert estimate(short_sentences, JobOptions(engine="local"), settings).tokens > 0
    process_document(short_sentences, JobOptions(engine="gemini"), settings=settings)
    assert fake.requests == []
