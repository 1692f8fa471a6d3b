"""How close OCR'd text is to the text that was printed: character error rate and word recall.

CER is the edit distance (insertions, deletions, substitutions of characters) between the two
texts, whitespace collapsed, over the reference's length. The texts are first aligned word by word
(difflib), then each differing stretch is compared character by character, which gives the exact
edit distance on all but pathological inputs at a fraction of the cost of one 100,000² table.
Word recall is the share of the reference's words (with their counts) found in the OCR'd text.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

_WORD = re.compile(r"\w+")


def levenshtein(a: str, b: str) -> int:
    """Edit distance between two short strings."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def character_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edit distance, reference length) of two texts, whitespace collapsed."""
    ref, hyp = reference.split(), hypothesis.split()
    matcher = difflib.SequenceMatcher(None, ref, hyp, autojunk=False)
    errors = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        left, right = " ".join(ref[i1:i2]), " ".join(hyp[j1:j2])
        if len(left) * len(right) > 4_000_000:  # a whole page lost: count it, do not align it
            errors += max(len(left), len(right))
        else:
            errors += levenshtein(left, right)
    return errors, len(" ".join(ref))


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate of ``hypothesis`` against ``reference``."""
    errors, length = character_errors(reference, hypothesis)
    return errors / max(length, 1)


def word_recall(reference: str, hypothesis: str) -> float:
    """Share of the reference's words found in the hypothesis, each as often as it occurs."""
    ref, hyp = Counter(_WORD.findall(reference)), Counter(_WORD.findall(hypothesis))
    found = sum(min(count, hyp[word]) for word, count in ref.items())
    return found / max(sum(ref.values()), 1)
