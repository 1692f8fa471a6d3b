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

from frenchnovel.pipeline.abbreviations import TITLES, is_initial
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
SUBJECT_ARC = 6.0  # cutting a subject from the verb just after it (« où chaque habitant. »)
LEANING = 20.0  # ending a piece on a word that leans on the next one
_LEANING_WORDS = {
    "ne", "n'", "n’", "se", "s'", "s’", "me", "m'", "m’", "te", "t'", "t’", "le", "la", "les",
    "l'", "l’", "lui", "leur", "y", "en", "ce", "c'", "c’", "que", "qu'", "qu’", "plus", "moins",
    "très", "si", "aussi", "trop", "bien", "tout", "il", "elle", "ils", "elles", "on", "je", "j'",
    "tu", "nous", "vous",
}  # fmt: skip
_VERBAL = ("VERB", "AUX")
_NEGATION_STARTS = {"ne", "n'", "n’"}
_NEGATION_ENDS = {"pas", "point", "guère"}
_PAST_ENDINGS = ("ait", "aient", "ais", "èrent", "irent", "urent", "ât", "ît", "ût")
_RELATIVES = set("qui que qu' qu’ dont où lequel laquelle lesquels lesquelles".split())


@dataclass(slots=True)
class Analysis:
    """One sentence, cut into units, with the facts the cut planner scores."""

    text: str
    spans: list[tuple[int, int]]  # the whitespace-separated units
    words: list[int]  # prefix sums: words[u] = number of words in units[:u]
    gap: list[float]  # gap[u]: how good a cut before unit u is (FORBIDDEN where it must not be)
    clauses: list[Clause] = field(default_factory=list)  # one per finite verb, in order
    first_token: list[int] = field(default_factory=list)  # per unit, then len(doc)
    heads: list[int] = field(default_factory=list)  # per token: its head's index
    attach: list[str] = field(default_factory=list)  # per token: its dependency (or "punct")
    clausal: list[bool] = field(default_factory=list)  # per unit: a conjunction joining clauses
    pos: list[str] = field(default_factory=list)  # per token: its part of speech
    lower: list[str] = field(default_factory=list)  # per token: its text in lower case
    agree: list[str] = field(default_factory=list)  # per token: "fs"… for a participle, adjective
    tense: list[str] = field(default_factory=list)  # per token: "Pres"… for a finite verb

    def unit_text(self, u: int) -> str:
        start, end = self.spans[u]
        return self.text[start:end]


@dataclass(slots=True, frozen=True)
class _Tokens:
    """The attributes of a doc's tokens read once (spaCy attribute access is not free)."""

    pos: list[str]
    dep: list[str]
    head: list[int]
    lower: list[str]
    punct: list[bool]

    @classmethod
    def of(cls, toks: list[Any]) -> _Tokens:
        return cls(
            [t.pos_ for t in toks],
            [t.dep_ for t in toks],
            [t.head.i for t in toks],
            [t.lower_ for t in toks],
            [t.is_punct for t in toks],
        )


def analyse(text: str, doc: Any) -> Analysis:
    """Fold the spaCy ``doc`` of ``text`` into units, gap scores and finite clauses."""
    spans = [(m.start(), m.end()) for m in _UNIT.finditer(text)]
    starts = [s for s, _ in spans]
    toks = list(doc)
    unit_of = [bisect_right(starts, tok.idx) - 1 for tok in toks]
    first = [len(toks)] * (len(spans) + 1)  # the first token of each unit, then len(doc)
    for i in range(len(toks) - 1, -1, -1):
        first[unit_of[i]] = i
    words = [0]
    for start, end in spans:
        words.append(words[-1] + (1 if _WORD.search(text, start, end) else 0))
    t = _Tokens.of(toks)
    return Analysis(
        text,
        spans,
        words,
        gap=_gap_scores(text, spans, t, first),
        clauses=[
            clause_of(tok, unit_of, text)
            for tok, pos in zip(toks, t.pos, strict=True)
            if pos in _VERBAL and "Fin" in tok.morph.get("VerbForm")
        ],
        first_token=first,
        heads=t.head,
        attach=["punct" if punct else dep for dep, punct in zip(t.dep, t.punct, strict=True)],
        clausal=[
            k < len(toks) and t.pos[k] == "CCONJ" and t.pos[t.head[k]] in _VERBAL
            for k in first[:-1]
        ],
        pos=t.pos,
        lower=t.lower,
        agree=[_agreement(tok, pos) for tok, pos in zip(toks, t.pos, strict=True)],
        tense=[
            _tense(tok) if pos in _VERBAL and "Fin" in tok.morph.get("VerbForm") else ""
            for tok, pos in zip(toks, t.pos, strict=True)
        ],
    )


def _tense(tok: Any) -> str:
    """ "Pres" for a verb in the present, else "Past": the ending decides where the small model
    reads « vivaient » or « parlèrent » as a present."""
    if tok.lower_.endswith(_PAST_ENDINGS):
        return "Past"
    return "Pres" if "Pres" in tok.morph.get("Tense") else "Past"


def _agreement(tok: Any, pos: str) -> str:
    """« fs », « mp »… for a past participle or an adjective that shows both, else ""."""
    morph = tok.morph
    if pos == "VERB" and ("Part" not in morph.get("VerbForm") or "Past" not in morph.get("Tense")):
        return ""
    if pos not in ("VERB", "ADJ"):
        return ""
    gender, number = morph.get("Gender"), morph.get("Number")
    if len(gender) != 1 or len(number) != 1:
        return ""
    return ("f" if gender[0] == "Fem" else "m") + ("p" if number[0] == "Plur" else "s")


def _gap_scores(
    text: str, spans: list[tuple[int, int]], toks: _Tokens, first_token: list[int]
) -> list[float]:
    n = len(spans)
    tight, loose, subject = _crossings(toks)
    gap = [FORBIDDEN] * n
    for u in range(1, n):
        left = text[spans[u - 1][0] : spans[u - 1][1]]
        right = text[spans[u][0] : spans[u][1]]
        if set(right) <= _CLOSING or left in _OPENING or set(left) <= {"«", "“", "("}:
            continue
        k = first_token[u]
        # Any gap is crossed by at least one arc; only the extra ones cost.
        arcs = TIGHT_ARC * tight[k] + LOOSE_ARC * loose[k] + SUBJECT_ARC * subject[k]
        gap[u] = _punctuation_score(left, right) - arcs + LOOSE_ARC + _opener_score(toks, k)
        last = k - 1
        while last > 0 and toks.punct[last]:
            last -= 1  # « et, | toujours »: the comma does not make « et » a sentence end
        if k > 0 and (_leans_right(toks, last) or _leans_left(toks, k)):
            gap[u] -= LEANING
        if left.endswith(".") and (left[:-1] in TITLES or is_initial(left[:-1])):
            gap[u] -= LEANING  # « M. | Homais »
        if left.lower().endswith("est-ce"):
            gap[u] -= LEANING  # « est-ce | que »
    return gap


def _leans_right(toks: _Tokens, i: int) -> bool:
    """A word that cannot end a sentence: article, preposition, conjunction, clitic, « ne »."""
    pos, lower = toks.pos[i], toks.lower[i]
    if pos in ("DET", "ADP", "CCONJ", "SCONJ") or lower == "ce":
        return True
    if pos == "AUX" and (toks.dep[i].startswith("aux") or toks.dep[i] == "cop"):
        return True
    if pos == "ADJ" and toks.dep[i] == "amod" and i < toks.head[i] <= i + 3:
        return True  # « un jeune | garçon », « d'un bon | et honnête gentilhomme »
    if pos == "NUM" and toks.dep[i] == "nummod" and i < toks.head[i] <= i + 2:
        return True  # « cent | sous », « trois | fauteuils »
    if pos == "PROPN" and i + 1 < len(toks.pos) and toks.pos[i + 1] == "PROPN":
        return toks.head[i + 1] == i or toks.head[i] == i + 1  # « Jean | Valjean »
    return lower in _LEANING_WORDS and toks.head[i] > i


def _leans_left(toks: _Tokens, k: int) -> bool:
    """« pas », « point », « guère » closing a negation opened by « ne » just before."""
    return toks.lower[k] in _NEGATION_ENDS and any(
        w in _NEGATION_STARTS for w in toks.lower[max(0, k - 4) : k]
    )


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


def _opener_score(toks: _Tokens, k: int) -> float:
    """Bonus for cutting before the first word from token ``k``: a conjunction, a relative..."""
    while k < len(toks.pos) and toks.punct[k]:
        k += 1
    if k == len(toks.pos):
        return 0.0
    pos, head = toks.pos[k], toks.head[k]
    if pos == "CCONJ":
        # « Livingstone | et son compagnon étaient » would split the subject of « étaient »
        return 4.0 if toks.pos[head] in ("VERB", "AUX") else -3.0
    if pos == "SCONJ":
        # « quand…, parce que… » open a clause of their own; « il se disait | que… » does not
        return 0.5 if toks.dep[head] in ("ccomp", "csubj") else 3.0
    if toks.lower[k] in _RELATIVES and toks.pos[k] == "PRON":
        return 2.5
    if toks.dep[k].startswith("nsubj") and head > k:
        return 1.0
    return 0.0


def _crossings(toks: _Tokens) -> tuple[list[int], list[int], list[int]]:
    """Arcs spanning the gap just before each token, in three kinds: short ones (≤ 2 tokens),
    a subject with the verb just after it (≤ 4 tokens), and the others.

    Difference arrays keep this linear in the sentence length.
    """
    size = len(toks.pos) + 1
    diffs: tuple[list[int], ...] = ([0] * size, [0] * size, [0] * size)
    for i, head in enumerate(toks.head):
        if head == i or toks.punct[i]:
            continue
        low, high = (i, head) if i < head else (head, i)
        if toks.dep[i].startswith("nsubj") and i < head <= i + 4:
            kind = 2
        else:
            kind = 0 if high - low <= 2 else 1
        diffs[kind][low + 1] += 1
        diffs[kind][high + 1] -= 1
    counts: tuple[list[int], list[int], list[int]] = ([], [], [])
    for diff, out in zip(diffs, counts, strict=True):
        running = 0
        for k in range(size - 1):
            running += diff[k]
            out.append(running)
    return counts
