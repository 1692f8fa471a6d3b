"""What counts as a word: one definition for the limit, the rewriters and the benchmarks."""

from __future__ import annotations

import math
import re

_WORD = re.compile(r"\w", re.UNICODE)


def words(text: str) -> list[str]:
    """The whitespace-separated tokens of ``text`` that hold a letter or a digit.

    Punctuation standing alone (« » — … ; :) is not a word; ``l'homme`` and ``dit-il`` count as one.
    """
    return [token for token in text.split() if _WORD.search(token)]


def count_words(text: str) -> int:
    """The number of words in ``text`` (see ``words``)."""
    return len(words(text))


def estimate_tokens(chars: int) -> int:
    """Tokens for ``chars`` characters when no real usage is reported: ceil(chars / 4 × 1.10)."""
    return math.ceil(chars / 4 * 1.10)
