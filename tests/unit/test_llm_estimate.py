"""The LLM engines' estimate is scaled by the characters of every page (when counted), not by the
pages of its sample, so text on pages the sample skips is priced too."""

from __future__ import annotations

from pathlib import Path

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.plan import estimate_characters
from frenchnovel.pipeline.rewrite.estimate import estimate_llm_document_tokens
from frenchnovel.pipeline.validate import validate_document
from tests.support.hostile import hidden_text_pdf

GEMINI = JobOptions(engine="gemini")


def test_the_estimate_follows_the_characters_counted_on_every_page(tmp_path: Path) -> None:
    path = hidden_text_pdf(tmp_path / "hidden.pdf", pages=32)
    pages = validate_document(path, max_bytes=10**8, max_pages=100).page_count
    characters = estimate_characters(path, pages)

    counted = estimate_llm_document_tokens(path, GEMINI, batch_size=20, characters=characters)
    # the same sample, in a document holding twice the text on pages it skips
    doubled = estimate_llm_document_tokens(path, GEMINI, batch_size=20, characters=2 * characters)

    assert counted >= characters // 4  # every character priced at least once as text
    assert 1.9 * counted <= doubled <= 2.1 * counted
