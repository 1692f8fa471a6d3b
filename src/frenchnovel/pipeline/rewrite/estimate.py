"""What an LLM job on a whole document is expected to cost, before it runs.

The LLM engines send only the sentences over the limit, so the estimate reads a spread sample of
pages, segments them as the pipeline does and prices the requests those sentences would make
(instructions, sentences and answers), scaled to the whole document.
"""

from __future__ import annotations

import math
from pathlib import Path

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.llm import estimate_llm_tokens

SAMPLE_PAGES = 16


def estimate_llm_document_tokens(
    path: Path, options: JobOptions, *, batch_size: int, sample_pages: int = SAMPLE_PAGES
) -> int:
    """Tokens an LLM job on the document at ``path`` is expected to use (prompt + answers)."""
    from frenchnovel.pipeline.document import open_source
    from frenchnovel.pipeline.segment import split_sentences

    source = open_source(path, fix_hyphenation=options.fix_hyphenation)
    try:
        pages = source.page_count
        if pages <= 0:
            return 0
        step = max(1, pages // sample_pages)
        sample = list(range(1, pages + 1, step))[:sample_pages]
        sentences = [
            sentence
            for number in sample
            for fragment in source.page(number).fragments
            for sentence in split_sentences(fragment)
        ]
    finally:
        source.close()
    tokens = estimate_llm_tokens(sentences, options, batch_size=batch_size)
    return math.ceil(tokens * pages / len(sample))
