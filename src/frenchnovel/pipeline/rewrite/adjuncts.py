"""A complement set off by commas after its verb takes the subject and the verb again.

« Elle prit en dehors du village, par le sentier au bord de l'eau. » → « Elle prit en dehors du
village. Elle prit par le sentier au bord de l'eau. » The words written again are the source's own
(the subject, a pronoun where it cannot be mistaken, and the verb with its clitics), as in
``complements``. Only a phrase opened by a preposition, between commas, after the verb, with no
clause of its own in it, and only where the verb is not negated: « il ne dormait pas, dans sa
chambre » repeated would move the negation.
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.complements import main_clause, trimmed, verb_core
from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.splitting import COMMAS, clause_subject, detach, may_own
from frenchnovel.pipeline.rewrite.syntax import Sentence

_ADJUNCTS = ("obl:mod",)  # an argument (« se dirigea, d'un pas rapide, vers … ») stays
_NEGATION = {"ne", "n'", "n’"}
# Verbs that say little without what follows them (« Je vais écrire …, en cas d'accident »).
_LIGHT = {"aller", "va", "vais", "vas", "allait", "allaient", "alla", "allèrent", "est", "était",
          "étaient", "fut", "furent", "sont", "a", "avait", "avaient", "eut", "eurent", "ont",
          "fit", "firent", "faisait", "faisaient", "fait", "vint", "venait", "vient"}  # fmt: skip


def adjuncts(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """One complement of a verb of ``piece``, set off by commas, as a sentence of its own."""
    members = set(piece.tokens)
    order = piece.tokens
    for a in order:
        v = s.head[a]
        if s.dep[a] not in _ADJUNCTS or v not in members or s.pos[v] != "VERB":
            continue
        if not s.is_clause(v) or not main_clause(s, v):
            continue
        child = trimmed(s, s.subtree(a) & members)
        if not child or not any(s.dep[k] == "case" and k == min(child) for k in s.children[a]):
            continue
        determined = any(
            s.dep[k] == "det" or s.lower[k] in ("du", "des", "au", "aux") for k in s.children[a]
        )
        if s.pos[a] != "PROPN" and not determined:
            continue  # « à peine visibles »: a locution, not a place or a time
        lo, hi = order.index(min(child)), order.index(max(child))
        if set(order[lo : hi + 1]) != child or lo == 0 or s.text[order[lo - 1]] not in COMMAS:
            continue
        if any(not s.is_punct(k) for k in order[hi + 1 :]) or any(s.finite[k] for k in child):
            continue  # only a complement that ends the piece: one inside may belong elsewhere
        core = verb_core(s, v, members)
        if not core or min(child) < max(core) or any(s.lower[k] in _NEGATION for k in core):
            continue
        between = [k for k in order if max(core) < k < min(child)]
        if any(may_own(s, k, v) for k in between) or s.lower[v] in _LIGHT:
            continue  # « en le priant d'aller porter cela, pour elle »: the infinitive's
        found = clause_subject(s, piece, v)
        if found is None:
            continue
        parent, _ = detach(s, piece, child, piece.head)
        kid = Piece(sorted(core | child), head=v)
        kid.subject, kid.subject_at = found, min(core)
        kid.anchor = min(child)
        yield [parent, kid]
