"""SARI (Xu et al. 2016, "Optimizing Statistical Machine Translation for Text Simplification").

The corpus score of ``easse.sari.corpus_sari``, written out: for each n = 1..4, n-gram counts are
summed over the corpus for the three operations (add, keep, delete), compared with the source and
one reference; precision and recall are averaged over n, and SARI is the mean of F1 of add, F1 of
keep and the precision of delete (the paper's definition: a deletion the reference did not make
is punished, one it made and the system did not is not). Text is lower-cased and cut into words
and punctuation marks; a system's or a reference's pieces are joined with spaces into one text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

ORDER = 4
_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Sari:
    """The score and its three parts, each from 0 to 100."""

    add: float
    keep: float
    delete: float

    @property
    def score(self) -> float:
        return (self.add + self.keep + self.delete) / 3


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))


def ngrams(words: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def corpus_sari(sources: Sequence[str], outputs: Sequence[str], references: Sequence[str]) -> Sari:
    """SARI of ``outputs`` (one text per source) against one reference text per source."""
    # per n: [correct, system total, reference total] for add, keep, delete
    counts = {op: [[0, 0, 0] for _ in range(ORDER)] for op in ("add", "keep", "delete")}
    for source, output, reference in zip(sources, outputs, references, strict=True):
        s, o, r = tokens(source), tokens(output), tokens(reference)
        for n in range(1, ORDER + 1):
            sg, og, rg = ngrams(s, n), ngrams(o, n), ngrams(r, n)
            added, ref_added = set(og) - set(sg), set(rg) - set(sg)
            _tally(counts["add"][n - 1], len(added & set(rg)), len(added), len(ref_added))
            kept, ref_kept = sg & og, sg & rg
            _tally(counts["keep"][n - 1], _size(kept & ref_kept), _size(kept), _size(ref_kept))
            deleted, ref_deleted = sg - og, sg - rg
            _tally(
                counts["delete"][n - 1],
                _size(deleted & ref_deleted),
                _size(deleted),
                _size(ref_deleted),
            )
    add_p, add_r = _averages(counts["add"])
    keep_p, keep_r = _averages(counts["keep"])
    delete_p, _ = _averages(counts["delete"])
    return Sari(100 * _f1(add_p, add_r), 100 * _f1(keep_p, keep_r), 100 * delete_p)


def _tally(row: list[int], correct: int, system: int, reference: int) -> None:
    row[0] += correct
    row[1] += system
    row[2] += reference


def _size(counter: Counter[tuple[str, ...]]) -> int:
    return sum(counter.values())


def _averages(rows: list[list[int]]) -> tuple[float, float]:
    """Precision and recall averaged over the n-gram orders (0 where nothing was counted)."""
    precision = sum(c / s if s else 0.0 for c, s, _ in rows) / ORDER
    recall = sum(c / r if r else 0.0 for c, _, r in rows) / ORDER
    return precision, recall


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
