"""Choosing where to cut one long sentence: the best split into pieces within the word limit.

A dynamic program over the gaps between units: every piece holds at most ``limit`` words (counting
a subject it must borrow, not counting an « et » dropped at its start); a piece scores for holding
a finite verb, loses for needing a borrowed subject or for being shorter than ``min_words``, and
every cut scores the gap it uses (punctuation, conjunction, few dependency arcs crossing it).
Cutting before every word is always possible, so a plan always exists.

A verbless complement set off by commas may repeat the subject and verb it hangs on (« Ils
restèrent le soir, malgré leur fatigue » → « … Ils restèrent malgré leur fatigue. »): every word
still comes from the source sentence, and the piece stands as a sentence. A second object or
attribute coordinated with the verb's first one takes the subject and verb again, even a bare
avoir or être (« Il y avait là une tour et un château » → « … Il y avait un château. »).
(``repeats`` finds them.) A participle or adjective the author set off gets « il était »… in
front (``attributes``). ``REUSE_VERBS`` turns all this off; ``make bench-quality`` measures both.
"""

from __future__ import annotations

from dataclasses import dataclass

from frenchnovel.pipeline.rewrite.analysis import FORBIDDEN, Analysis
from frenchnovel.pipeline.rewrite.attributes import copula_lead
from frenchnovel.pipeline.rewrite.repeats import Repeats
from frenchnovel.pipeline.rewrite.subjects import Clause

VERB_BONUS = 5.0  # a piece that holds a finite verb stands as a sentence
VERBLESS_COST = 4.0
BORROW_COST = 3.0  # an inserted subject is a word the source does not have there
RELATIVE_COST = 1.0  # « qui » → « elle »: no word added, but one replaced
PIECE_COST = 6.0  # fewer, longer pieces read better than many scraps
SHORT_COST = 12.0  # a piece under min_sentence_length words
REUSE_COST = 3.0  # a verbless complement that repeats its clause's subject and verb
COPULA_COST = 4.0  # « Accoudée à la cheminée » → « Elle était accoudée… »: two words added
REUSE_VERBS = True  # « Il attendait la mort. Il attendait en homme qui… »
GAP_WEIGHT = 0.5  # how much the quality of a cut counts against the pieces' own scores

# Coordinating conjunctions dropped at a cut (« …, et il partit » → « Il partit »).
_DROPPED = {"et"}


def _words(text: str) -> int:
    return len(text.split())


@dataclass(slots=True, frozen=True)
class Piece:
    """Units ``start``..``end`` (exclusive) and how to make them a sentence."""

    start: int
    end: int
    drop_first: bool = False  # drop an opening « et »
    subject: Clause | None = None  # a clause whose subject is written in (or replaces « qui »)
    reuse: str = ""  # the subject and verb that open this verbless piece (« Il attendait »)


def plan(analysis: Analysis, limit: int, min_words: int) -> list[Piece]:
    """The best pieces for ``analysis`` under ``limit`` words each."""
    n = len(analysis.spans)
    scorer = _Scorer(analysis, limit, min_words)
    best = [FORBIDDEN] * (n + 1)
    choice: list[Piece | None] = [None] * (n + 1)
    best[0] = 0.0
    words, gap = analysis.words, analysis.gap
    for end in range(1, n + 1):
        for start in range(end - 1, -1, -1):
            if words[end] - words[start] > limit + 1:
                break
            if best[start] == FORBIDDEN or (start and gap[start] == FORBIDDEN):
                continue
            piece, value = scorer.score(start, end)
            if piece is None:
                continue
            total = best[start] + value + (GAP_WEIGHT * gap[start] if start else 0.0)
            if total > best[end]:
                best[end], choice[end] = total, piece
    pieces: list[Piece] = []
    end = n
    while end > 0:
        piece = choice[end]
        if piece is None:  # only when the sentence has no word at all
            return [Piece(0, n)]
        pieces.append(piece)
        end = piece.start
    return pieces[::-1]


class _Scorer:
    """Scores candidate pieces; per-unit facts are computed once per sentence."""

    def __init__(self, analysis: Analysis, limit: int, min_words: int) -> None:
        self.analysis, self.limit, self.min_words = analysis, limit, min_words
        n = len(analysis.spans)
        # « et » goes only where it joins two clauses; between two nouns it carries meaning
        self.droppable = [
            analysis.clausal[u] and analysis.unit_text(u).lower() in _DROPPED for u in range(n)
        ]
        # first_clause[u]: the first finite clause whose verb is in unit u or after it
        self.first_clause: list[Clause | None] = [None] * (n + 1)
        clauses = iter(reversed(analysis.clauses))
        current = next(clauses, None)
        following: Clause | None = None
        for u in range(n - 1, -1, -1):
            while current is not None and current.verb_unit >= u:
                following, current = current, next(clauses, None)
            self.first_clause[u] = following
        self.lead_et = [analysis.unit_text(u).lower() == "et" for u in range(n)]
        self.repeats = Repeats(analysis)

    def score(self, start: int, end: int) -> tuple[Piece | None, float]:
        words = self.analysis.words[end] - self.analysis.words[start]
        if words == 0:
            return None, 0.0
        drop = start > 0 and words > 1 and self.droppable[start]
        words -= drop
        clause = self.first_clause[start]
        if clause is not None and clause.verb_unit >= end:
            clause = None
        value = -PIECE_COST
        subject, reuse = None, ""
        if clause is None:
            reuse, drop, words, bonus = self.lead(start, end, drop, words)
            value += bonus
        else:
            value += VERB_BONUS
            added = 0 if clause.pronoun.endswith(("'", "’")) else len(clause.pronoun.split())
            if clause.subject_unit >= 0 and not start <= clause.subject_unit < end:
                subject, value, words = clause, value - BORROW_COST, words + added
            elif clause.relative and clause.subject_unit == start and start > 0:
                subject, value, words = clause, value - RELATIVE_COST, words + added - 1
        if words > self.limit:
            return None, 0.0
        if words < self.min_words and words < self.analysis.words[-1]:
            value -= SHORT_COST
        return Piece(start, end, drop, subject, reuse), value

    def lead(self, start: int, end: int, drop: bool, words: int) -> tuple[str, bool, int, float]:
        """Words that give a verbless piece a verb, the piece's ``drop`` and ``words`` with
        them, and what they are worth: a repeated subject and verb, else « il était »…"""
        if not REUSE_VERBS or not start:
            return "", drop, words, -VERBLESS_COST
        et = self.lead_et[start] and not drop  # « des chaises et des tables »: « et » goes
        reuse, coordinated = self.repeats.lead(start, end)
        if reuse and coordinated and words - et + _words(reuse) <= self.limit:
            return reuse, drop or et, words - et + _words(reuse), VERB_BONUS - REUSE_COST
        if reuse and not coordinated and words + _words(reuse) <= self.limit:
            return reuse, drop, words + _words(reuse), VERB_BONUS - REUSE_COST
        a = self.analysis
        # Only a description the author set off (« un cabinet, plein de… »): « volets fermés »
        # or « colombe assoupie » are one phrase, not a noun and a sentence about it.
        reuse = (
            copula_lead(a, a.first_token[start], a.first_token[end])
            if self.repeats.set_off[start]
            else ""
        )
        if reuse and words - et + 2 <= self.limit:
            return reuse, drop or et, words - et + 2, VERB_BONUS - COPULA_COST
        return "", drop, words, -VERBLESS_COST
