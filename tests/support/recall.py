"""Word recall of a reading against the known text: how many of its words came back.

``original_words`` takes the words of a result's original sentences once each (a sentence cut
in pieces is one original); ``word_recall`` counts each expected word as often as it occurs,
with the typography a converter may have changed set back (’ → ', – → --, — → ---, … → ...).
"""

from __future__ import annotations

import collections

from frenchnovel.pipeline.result import Result


def original_words(result: Result) -> list[str]:
    words: list[str] = []
    last = None
    for sentence in result.sentences:
        if sentence.original is not last:
            words.extend(sentence.original.split())
            last = sentence.original
    return words


def _plain(token: str) -> str:
    # pandoc's smart typography: ' → ’, -- → –, ... → …
    return token.replace("’", "'").replace("–", "--").replace("—", "---").replace("…", "...")


def word_recall(expected: list[str], got: list[str]) -> float:
    want = collections.Counter(map(_plain, expected))
    have = collections.Counter(map(_plain, got))
    return sum(min(count, have[word]) for word, count in want.items()) / sum(want.values())
