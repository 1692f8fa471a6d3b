"""Past participles coordinated under one auxiliary: each takes the subject and the auxiliary.

« Les soldats avaient passé la rivière pendant la nuit et laissé leurs bagages sur la rive. » →
« Les soldats avaient passé la rivière pendant la nuit. Ils avaient laissé leurs bagages sur la
rive. »; « Elle s'était levée de bonne heure et habillée en silence. » → « … Elle s'était
habillée en silence. » The words written again are the source's: the subject (a pronoun where it
cannot be mistaken) and the auxiliary with its clitics, which the participles share; the « et »
goes. The last participle of the list goes first, the others in turn (the engine cuts again).

Only a past participle with no auxiliary or subject of its own, after the one that has them,
opened by « et » or a comma, ending the piece; never under a negation (« il n'avait pas vu ni
entendu » is one negation), nor in a list of three or more with no « et » (« j'ai été chassé,
traqué, poursuivi, maudit » is said at once).
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.complements import main_clause, trimmed, verb_core
from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.splitting import COMMAS, clause_subject, detach
from frenchnovel.pipeline.rewrite.syntax import AUX_DEPS, NEGATION_STARTS, SUBJECT_DEPS, Sentence

_ITEMS = ("conj", "advcl")  # the small model hangs « , porté son deuil » as an adverbial clause


def participles(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """The last past participle coordinated with the one under the auxiliary, as a sentence."""
    members = set(piece.tokens)
    for y in reversed(piece.tokens):
        x = s.head[y]
        if not _participle(s, y) or s.dep[y] not in _ITEMS or x not in members or x >= y:
            continue
        if not _participle(s, x) or not any(s.dep[k] in AUX_DEPS for k in s.children[x]):
            continue
        if any(s.dep[k] in (*AUX_DEPS, *SUBJECT_DEPS) for k in s.children[y]):
            continue  # « et ses amis étaient partis »: a clause of its own
        if not (main_clause(s, x) or (x == piece.head and piece.subject is not None)):
            continue
        if _bare_list(s, piece, x):
            continue  # « j'ai été chassé, traqué, poursuivi, maudit »: one list, said at once
        child = trimmed(s, s.subtree(y) & members)
        if len([k for k in child if not s.is_punct(k)]) < 3:
            continue  # « chassé, traqué, poursuivi » is one list, better read whole
        opening = [k for k in piece.tokens if k < y and k not in child][-1:]
        cc = {k for k in child if k < y and s.lower[k] in ("et", "puis")}
        if not (cc or (opening and s.text[opening[0]] in COMMAS)):
            continue
        if any(k > max(child) and not s.is_punct(k) for k in piece.tokens):
            continue  # only the last item: a word after it may be its own
        core = verb_core(s, x, members) - {x}
        if not core or any(s.lower[k] in NEGATION_STARTS for k in core):
            continue
        found = clause_subject(s, piece, x)
        if found is None:
            continue
        parent, _ = detach(s, piece, s.subtree(y) & members, piece.head)
        ending = {k for k in parent.tokens if k > max(child)}  # « . » and a closing « »
        parent = parent.without(ending)
        kid = Piece(sorted(core | child | ending), head=x, drop=frozenset(cc))
        kid.subject, kid.subject_at = found, min(core)
        kid.anchor = min(child)
        yield [parent, kid]
        return


def _participle(s: Sentence, k: int) -> bool:
    """A past participle (« gardé », « prise »), not a present one (« gardant »)."""
    if s.pos[k] != "VERB" or s.finite[k]:
        return False
    form = s.morph[k].get("VerbForm")
    return "Part" in form and not s.lower[k].endswith("ant")


def _bare_list(s: Sentence, piece: Piece, x: int) -> bool:
    """Three participles or more after ``x``'s auxiliary, separated by commas only."""
    after = [k for k in piece.tokens if k > x]
    if any(s.lower[k] in ("et", "ou", "ni") for k in after):
        return False
    return sum(1 for k in after if _participle(s, k)) >= 2
