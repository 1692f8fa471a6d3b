"""How someone holds themselves, set off by commas, becomes « il avait … ».

« Il avait passé froidement, le front haut, la lèvre dédaigneuse. » → « Il avait passé
froidement. Il avait le front haut. Il avait la lèvre dédaigneuse. »; « Il se mit à marcher, le
journal à la main, … » → « Il avait le journal à la main. » French writes a part of the body (or
what a hand holds) with « le / la / les » and what it is doing, no verb: the absolute phrase of
the grammars. With « avoir » and the clause's subject it says the same thing as a sentence, the
way an editor writes it (« Elle était dans sa longue chemise de nuit. »).

Only a phrase between commas (or a comma and the end), opened by the article, a noun of the
list below right after it, then what describes it (an adjective, a participle, a place: « à la
main », « sur le côté »), with no verb of its own and no « et » or relative in it; and only for a
clause whose subject can be written again.
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.splitting import CLITICS, COMMAS, STOPS, clause_subject
from frenchnovel.pipeline.rewrite.syntax import Sentence

_ARTICLES = {"le", "la", "les", "l'", "l’"}
_BODY = {
    "front", "tête", "bras", "main", "mains", "yeux", "œil", "oeil", "lèvre", "lèvres", "dents",
    "cheveux", "jambe", "jambes", "pied", "pieds", "dos", "cou", "visage", "figure", "bouche",
    "regard", "poing", "poings", "coude", "coudes", "genou", "genoux", "nez", "menton", "épaule",
    "épaules", "doigt", "doigts", "narines", "paupières", "joues", "gorge", "âme", "cœur",
    "coeur", "poitrine", "taille", "chapeau", "casquette", "bonnet", "canne", "pipe", "cigare",
    "journal", "fusil",
}  # fmt: skip
_NOT_DESCRIBING = ("DET", "PRON", "CCONJ", "SCONJ", "PUNCT", "AUX")  # a noun may be a participle
_OF = {"de", "d'", "d’", "du", "des"}  # « le bras de son père » names, it does not describe
_HAVE = {("Pres", "s"): "a", ("Pres", "p"): "ont", ("Past", "s"): "avait", ("Past", "p"): "avaient"}
_NOT_INSIDE = {"et", "ou", "qui", "que", "qu'", "qu’", "dont", "où", "ni", "mais"}


def bearings(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """The absolute phrases of ``piece`` that follow one another, about its subject, each as
    « il avait … »."""
    h = piece.head
    tense = s.tense(h) if h >= 0 else ""
    if not tense or not s.is_clause(h):
        return
    found = clause_subject(s, piece, h)
    if found is None or not found.agree or found.personal in ("on", "je", "tu", "nous", "vous"):
        return
    have = _HAVE.get((tense, found.agree[1:]))
    if have is None:
        return
    for run in _runs(s, piece):
        if _coordinated(s, piece, run):
            continue  # « le nez tourné vers la ficelle, et alignant … »: one list, « et » its own
        parent = piece.without(_with_commas(s, piece, run))
        if not any(s.finite[k] for k in parent.tokens) and parent.subject is None:
            continue
        kids = []
        for span in run:
            kid = Piece(span, head=h)
            kid.subject, kid.subject_at, kid.copula = found, span[0], have
            kids.append(kid)
        yield [parent, *kids]


def _runs(s: Sentence, piece: Piece) -> Iterator[list[list[int]]]:
    """Absolute phrases that follow one another, each after a comma: « , le front haut, la lèvre
    dédaigneuse »."""
    run: list[list[int]] = []
    for span in _spans(s, piece):
        if _absolute(s, span) and (not run or _next(piece, run[-1], span)):
            run.append(span)
            continue
        if run:
            yield run
        run = [span] if _absolute(s, span) else []
    if run:
        yield run


def _next(piece: Piece, before: list[int], span: list[int]) -> bool:
    order = piece.tokens
    return order.index(span[0]) == order.index(before[-1]) + 2  # one comma between


def _coordinated(s: Sentence, piece: Piece, run: list[list[int]]) -> bool:
    """« et » or « ou » right after the run, across a comma: what follows is the run's like."""
    order = piece.tokens
    after = [k for k in order[order.index(run[-1][-1]) + 1 :] if not s.is_punct(k)][:1]
    return bool(after) and s.lower[after[0]] in ("et", "ou", "ni")


def _with_commas(s: Sentence, piece: Piece, run: list[list[int]]) -> set[int]:
    """The tokens ``run`` takes from ``piece``: its phrases, the comma before each, and the one
    after the last where the verb follows (« Mme Walter, les bras nus, balbutia »)."""
    order = piece.tokens
    gone = {k for span in run for k in span}
    gone |= {order[order.index(span[0]) - 1] for span in run}
    after = order.index(run[-1][-1]) + 1
    if after + 1 < len(order) and s.text[order[after]] in COMMAS:
        following = order[after + 1]
        if s.finite[following] or s.lower[following] in CLITICS:
            gone.add(order[after])
    return gone


def _spans(s: Sentence, piece: Piece) -> Iterator[list[int]]:
    """The runs of ``piece`` after a comma, up to the next comma or its end."""
    run: list[int] = []
    opened = False
    for k in piece.tokens:
        if s.text[k] in COMMAS or s.text[k] in STOPS:
            if run and opened:
                yield run
            run, opened = [], s.text[k] in COMMAS
            continue
        run.append(k)
    if run and opened:
        yield run


def _absolute(s: Sentence, span: list[int]) -> bool:
    """``span`` reads « le front haut », « le journal à la main », « les dents serrées »."""
    if len(span) < 3 or s.lower[span[0]] not in _ARTICLES or s.lower[span[1]] not in _BODY:
        return False
    if any(s.finite[k] or s.lower[k] in _NOT_INSIDE for k in span):
        return False
    return s.pos[span[2]] not in _NOT_DESCRIBING and s.lower[span[2]] not in _OF
