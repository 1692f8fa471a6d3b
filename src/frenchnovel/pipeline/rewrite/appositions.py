"""A name's apposition, set off by commas, becomes « C'était … » after its clause.

« Il demanda des nouvelles du père Tellier, le maître du Café Français, que M. Bovary soignait. »
→ « Il demanda des nouvelles du père Tellier que M. Bovary soignait. C'était le maître du Café
Français. »; « Lestiboudois, le bedeau, taillait le buis. » → « Lestiboudois taillait le buis.
C'était le bedeau. » Read from the words, where the parse takes the apposition for a second
object: a name, a comma, a singular noun phrase opened by its determiner with no verb and no
relative in it, then a comma or the end; the name is the clause's subject, or the apposition
ends the piece (« C'était le bedeau » far from its name could be anyone's). « C'est » after a
present, « C'était » otherwise (a state, never « Ce fut »); a plural (« C'étaient »), a list of
names and « et Suzanne, le marquis » (a verb left out) stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.circumstances import link_for
from frenchnovel.pipeline.rewrite.pieces import LINKS, Piece
from frenchnovel.pipeline.rewrite.splitting import COMMAS, STOPS, detach
from frenchnovel.pipeline.rewrite.syntax import RELATIVE_PRONOUNS, Sentence

_SINGULAR = {"le", "la", "l'", "l’", "un", "une", "son", "sa", "ce", "cet", "cette", "leur",
             "mon", "ma", "notre", "votre"}  # fmt: skip
MAX_WORDS = 8
_QUOTES = {"«", "»", '"', "“", "”", "—", "–", "--"}


def appositions(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """The apposition after a name in ``piece`` as « C'était … » after the clause."""
    h = piece.head
    if h < 0 or not s.is_clause(h) or any(s.text[k] in _QUOTES for k in piece.tokens):
        return
    order = piece.tokens
    for n in range(1, len(order) - 3):
        if s.text[order[n]] != "," or not _name(s, order[n - 1]):
            continue
        span = _span(s, order, n + 1)
        if not span or (n > 1 and s.lower[order[n - 2]] in ("et", "ou", "ni")):
            continue  # « et Suzanne, le marquis de Cazolles »: a verb left out, no apposition
        last = order.index(span[-1])
        ends = all(s.is_punct(k) for k in order[last + 1 :])
        if not (order[n - 1] < h or ends):
            continue  # « C'était le bedeau » far after its name could be anyone's
        parent, kid = detach(s, piece, set(span), -1)
        if h not in parent.tokens:
            continue
        kid.link = LINKS[2] if link_for(s, h) == LINKS[2] else LINKS[0]  # a state: never « Ce fut »
        kid.anchor = max(parent.position(), max(parent.words(s))) + 0.5  # after its clause
        yield [parent, kid]


def _name(s: Sentence, k: int) -> bool:
    """A capitalised word: a name (« Tellier », « Lestiboudois »); opening the sentence, only
    one the parse reads as a name."""
    if k == 0:
        return s.pos[k] == "PROPN"
    return s.text[k][:1].isupper() and s.pos[k] in ("PROPN", "NOUN", "ADJ")


def _span(s: Sentence, order: list[int], m: int) -> list[int]:
    """The words from ``order[m]`` to the next comma or the end: a singular determined noun
    phrase with no verb, no relative and no other name list after it; or []."""
    if s.lower[order[m]] not in _SINGULAR:
        return []
    end = m
    while end < len(order) and s.text[order[end]] not in COMMAS | STOPS:
        end += 1
    span = order[m:end]
    if not 2 <= len(span) <= MAX_WORDS or not any(s.pos[k] == "NOUN" for k in span):
        return []
    if any(
        s.finite[k] or s.pos[k] in ("VERB", "AUX") or s.lower[k] in RELATIVE_PRONOUNS for k in span
    ):
        return []
    after = order[end + 1 : end + 3]
    if len(after) == 2 and _name(s, after[0]) and s.text[after[1]] in COMMAS:
        return []  # « Pierre, le boulanger, Paul, le meunier, … »: a list
    return span
