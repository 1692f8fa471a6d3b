"""Rendered PDFs of corpus novels, made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.identity import IdentityRewriter
from tests.support.render import RenderedNovel, render_novel


@pytest.fixture(scope="session")
def rendered_novel(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> RenderedNovel:
    """120 A5 pages of Bel-Ami: justified, hyphenated, running headers, « – 12 – » numbers."""
    out = tmp_path_factory.mktemp("rendered") / "bel-ami-120.pdf"
    return render_novel(
        "maupassant", pages=120, out=out, page_numbers="dashes", corpus_text=corpus / "text"
    )


@pytest.fixture(scope="session")
def rendered_number_first(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> RenderedNovel:
    """30 pages of Un capitaine de quinze ans, « 12/30 » numbers written before the text."""
    out = tmp_path_factory.mktemp("rendered") / "verne-30.pdf"
    return render_novel(
        "verne",
        pages=30,
        out=out,
        page_numbers="slash",
        number_first=True,
        page_size=(135.0, 200.0),
        corpus_text=corpus / "text",
    )


@pytest.fixture
def identity() -> IdentityRewriter:
    """A rewriter that keeps every sentence as it is."""
    return IdentityRewriter()
