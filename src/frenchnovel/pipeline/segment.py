"""French sentence segmentation of one paragraph.

Placeholder rules until the real segmenter lands; the interface is final.
"""

from __future__ import annotations

import re

_END = re.compile(r"[.!?…]+[»\"”)]*\s+(?=[«\"“(—–-]*\s*[A-ZÀ-ÖØ-Þ0-9])")


def segment(paragraph: str) -> list[tuple[int, int]]:
    """The sentences of ``paragraph`` as ``(start, end)`` character spans, in order.

    Spans cover the paragraph's text without leading or trailing whitespace; each paragraph is
    segmented on its own (a sentence never crosses a paragraph break).
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(paragraph):
        end = match.end() - (len(match.group()) - len(match.group().rstrip()))
        spans.append((start, end))
        start = match.end()
    if paragraph[start:].strip():
        spans.append((start, len(paragraph.rstrip())))
    return [(s + len(paragraph[s:e]) - len(paragraph[s:e].lstrip()), e) for s, e in spans if s < e]


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of ``paragraph`` as strings."""
    return [paragraph[start:end] for start, end in segment(paragraph)]
