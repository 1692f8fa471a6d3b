"""What an LLM job on a whole document is expected to cost, before it runs.

The LLM engines send only the sentences over the limit, so the estimate reads a spread sample of
pages, segments them as the pipeline does and prices the requests those sentences would make
(instructions, sentences and answers), scaled to the whole document: by the characters of every
page when the caller counted them (a file cannot hide its text from the sample then), else by
pages. A sample with no text at all prices every character as a long sentence's.
"""

from __future__ import annotations

import math
from pathlib import Path

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.llm import estimate_llm_tokens
from frenchnovel.pipeline.words import estimate_tokens

SAMPLE_PAGES = 16
UNSEEN = 3  # tokens of prompt, sentence and answer per token of text never sampled


def estimate_llm_document_tokens(
    path: Path,
    options: JobOptions,
    *,
    batch_size: int,
    sample_pages: int = SAMPLE_PAGES,
    characters: int | None = None,
) -> int:
    """Tokens an LLM job on the document at ``path`` is expected to use (prompt + answers);
    ``characters``: the document's, counted on every page, to scale the sample by."""
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
    if characters is None:
        return math.ceil(tokens * pages / len(sample))
    seen = sum(len(sentence) for sentence in sentences)
    if seen == 0:
        return UNSEEN * estimate_tokens(characters)
    return math.ceil(tokens * max(characters / seen, 1.0))
