"""What the local engine needs to know about one parsed sentence, at the level of its words.

Cuts fall only between whitespace-separated units (« l'homme » and « dit-il » are never broken), so
the spaCy tokens are folded into units: which unit holds a finite verb, how good a place each gap
between units is for a cut, and which subject a clause would need if it were cut from its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from frenchnovel.pipeline.rewrite.subjects import Clause, clause_of

_UNIT = re.compile(r"\S+")
_WORD = re.compile(r"\w")
# Punctuation that closes what is on its left: a unit made only of these never opens a piece.
_CLOSING = set(",;:.!?…»”)]_'\"")
# A unit made only of these opens what is on its right: a piece never ends with it.
_OPENING = {"«", "“", "(", "[", "—", "–", "--", "-", "‘"}

FORBIDDEN = float("-inf")
TIGHT_ARC = 3.0  # cutting an article from its noun, a clitic from its verb...
LOOSE_ARC = 0.7  # cutting a long dependency (a verb from a distant complement)
LEANING = 20.0  # ending a piece on a word that leans on the next one
_LEANING_WORDS = {
    "ne", "n'", "n’", "se", "s'", "s’", "me", "m'", "m’", "te", "t'", "t’", "le", "la", "les",
    "l'", "l’", "lui", "leur", "y", "en", "ce", "c'", "c’", "que", "qu'", "qu’", "plus", "moins",
    "très", "si", "aussi", "trop", "bien", "tout", "il", "elle", "ils", "elles", "on", "je", "j'",
    "tu", "nous", "vous",
}  # fmt: skip


@dataclass(slots=True)
class Analysis:
    """One sentence, cut into units, with the facts the cut planner scores."""

    text: str
    spans: list[tuple[int, int]]  # the whitespace-separated units
    words: list[int]  # prefix sums: words[u] = number of words in units[:u]
    gap: list[float]  # gap[u]: how good a cut before unit u is (FORBIDDEN where it must not be)
    clauses: list[Clause] = field(default_factory=list)  # one per finite verb, in order

    def unit_text(self, u: int) -> str:
        start, end = self.spans[u]
        return self.text[start:end]


def analyse(text: str, doc: Any) -> Analysis:
    """Fold the spaCy ``doc`` of ``text`` into units, gap scores and finite clauses."""
    spans = [(m.start(), m.end()) for m in _UNIT.finditer(text)]
    starts = [s for s, _ in spans]
    unit_of = [bisect_right(starts, tok.idx) - 1 for tok in doc]
    words = [0]
    for start, end in spans:
        words.append(words[-1] + (1 if _WORD.search(text, start, end) else 0))
    analysis = Analysis(text, spans, words, _gap_scores(text, spans, doc, unit_of))
    for tok in doc:
        if tok.pos_ in ("VERB", "AUX") and "Fin" in tok.morph.get("VerbForm"):
            analysis.clauses.append(clause_of(tok, unit_of))
    return analysis


def _gap_scores(
    text: str, spans: list[tuple[int, int]], doc: Any, unit_of: list[int]
) -> list[float]:
    n = len(spans)
    tight, loose = _crossings(doc)
    first_token: list[int] = [-1] * n  # first spaCy token of each unit
    for tok in doc:
        if first_token[unit_of[tok.i]] < 0:
            first_token[unit_of[tok.i]] = tok.i
    gap = [FORBIDDEN] * n
    for u in range(1, n):
        left = text[spans[u - 1][0] : spans[u - 1][1]]
        right = text[spans[u][0] : spans[u][1]]
        if set(right) <= _CLOSING or left in _OPENING or set(left) <= {"«", "“", "("}:
            continue
        k = first_token[u]
        # Any gap is crossed by at least one arc; only the extra ones cost.
        arcs = TIGHT_ARC * tight[k] + LOOSE_ARC * loose[k] - LOOSE_ARC
        gap[u] = _punctuation_score(left, right) - arcs + _opener_score(_first_word(doc, k))
        if _leans_right(doc[k - 1]) and k > 0:
            gap[u] -= LEANING
    return gap


def _leans_right(tok: Any) -> bool:
    """A word that cannot end a sentence: article, preposition, conjunction, clitic, « ne »."""
    if tok.pos_ in ("DET", "ADP", "CCONJ", "SCONJ") or tok.lower_ == "ce":
        return True
    if tok.pos_ == "AUX" and tok.dep_.startswith("aux"):
        return True
    return tok.lower_ in _LEANING_WORDS and tok.head.i > tok.i


def _punctuation_score(left: str, right: str) -> float:
    core = left.rstrip("»”\"')_")
    if core.endswith(";"):
        return 8.0
    if core.endswith((".", "!", "?", "…")):
        return 6.0
    if core.endswith(":"):
        return 5.0
    if core.endswith(","):
        return 3.0
    if right in _OPENING or core.endswith(")"):
        return 1.5
    return 0.0


def _opener_score(tok: Any) -> float:
    """Bonus for cutting before ``tok``: a conjunction or a relative opens a clause."""
    if tok is None:
        return 0.0
    if tok.pos_ == "CCONJ":
        return 4.0 if tok.head.pos_ in ("VERB", "AUX") else 1.5
    if tok.pos_ == "SCONJ":
        return 3.0
    if "Rel" in tok.morph.get("PronType"):
        return 2.5
    if tok.dep_.startswith("nsubj") and tok.head.i > tok.i:
        return 1.0
    return 0.0


def _first_word(doc: Any, k: int) -> Any:
    """The first non-punctuation token from ``k`` on, or None."""
    for tok in doc[k:]:
        if not tok.is_punct:
            return tok
    return None


def _crossings(doc: Any) -> tuple[list[int], list[int]]:
    """Arcs spanning the gap just before each token: short ones (≤ 2 tokens) and the others.

    Difference arrays keep this linear in the sentence length.
    """
    size = len(doc) + 1
    diffs = ([0] * size, [0] * size)
    for tok in doc:
        if tok.head.i == tok.i or tok.is_punct:
            continue
        low, high = sorted((tok.i, tok.head.i))
        diff = diffs[0] if high - low <= 2 else diffs[1]
        diff[low + 1] += 1
        diff[high + 1] -= 1
    out: tuple[list[int], list[int]] = ([], [])
    for diff, counts in zip(diffs, out, strict=True):
        running = 0
        for k in range(len(doc)):
            running += diff[k]
            counts.append(running)
    return out
