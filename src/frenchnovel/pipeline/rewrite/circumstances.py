"""A circumstance of place, time or manner becomes « C'était … »: the last transformation tried
before a clause stays whole.

« Pendant huit jours, ils avaient suivi la rive. » → « Ils avaient suivi la rive. C'était pendant
huit jours. »; « Chacun déposa un baiser sur le front de sa maîtresse. » → « Chacun déposa un
baiser. Ce fut sur le front de sa maîtresse. » (an editor's own way). After a verb of seeing, a
place after the object says where the object was (« Il aperçut un chapeau dans la vitrine. » →
« Il aperçut un chapeau. Ce chapeau était dans la vitrine. »).

Only a phrase the parse hangs on the piece's verb (or on its object or infinitive, where the
small model often hangs it), opened by a preposition of place, time or manner (never « à » or
« de », so often the verb's argument), a determined noun phrase of three words or more with no
verb in it; only after a verb that says enough without it (not « être », « aller », « mettre »,
a pronominal or a passive verb, an incise). It is taken from the end of the clause, with no other
verb or relative between them that could own it, or from its start when a comma sets it off.
« Ce fut » follows a simple past, « C'est » a present, « Ce sera » a future, « C'était »
anything else; the new sentence comes after its clause.
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.pieces import LINKS, Piece
from frenchnovel.pipeline.rewrite.referents import copula, mention
from frenchnovel.pipeline.rewrite.splitting import COMMAS, STOPS, detach, may_own
from frenchnovel.pipeline.rewrite.syntax import Sentence
from frenchnovel.pipeline.verbforms import lemmas_of

PREPOSITIONS = {
    "dans", "sur", "sous", "devant", "derrière", "après", "avant", "pendant", "vers", "avec",
    "parmi", "chez", "depuis", "malgré", "durant", "contre", "dès", "entre", "en", "par",
    "près", "auprès", "loin", "autour", "le", "lors", "selon", "travers", "au-dessus",
    "au-dessous",
}  # fmt: skip
# Verbs that say little without where or when (« il était dans sa chambre », « il alla à … »).
_NEEDY = {
    "être", "aller", "venir", "revenir", "entrer", "rentrer", "sortir", "arriver", "partir",
    "mettre", "poser", "placer", "habiter", "demeurer", "rester", "loger", "vivre", "passer",
    "tomber", "monter", "descendre", "courir", "marcher", "trouver", "retrouver",
    "diriger", "approcher", "avancer", "jeter", "porter", "conduire", "mener", "envoyer",
    "tenir", "asseoir", "coucher", "lever", "pencher", "appuyer", "adosser", "cacher",
    "enfermer", "tirer", "plonger", "glisser", "pénétrer", "traverser", "situer", "naître",
    "mourir", "sembler", "paraître", "devenir", "avoir", "faire", "consister", "dépendre",
}  # fmt: skip
_PLACE = {"travers", "milieu", "bord", "côté", "fond", "pied", "sommet", "bout", "coin", "long"}
_PLACES = {"dans", "sur", "sous", "devant", "derrière", "contre", "près", "auprès", "parmi",
           "chez", "autour"}  # fmt: skip
_SEEING = {"voir", "apercevoir", "regarder", "découvrir", "remarquer", "contempler", "observer",
           "distinguer", "reconnaître", "examiner", "admirer"}  # fmt: skip
_DETERMINED = {"le", "la", "les", "un", "une", "des", "ce", "cet", "cette", "ces", "son", "sa",
               "ses", "mon", "ma", "mes", "ton", "ta", "tes", "leur", "leurs"}  # fmt: skip
_CLAUSE_OF_ITS_OWN = {"nsubj", "mark", "aux:tense", "aux", "nsubj:pass"}
_BY_AGENT = {"par"}  # « par » after a passive names the agent, no circumstance


def circumstances(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """The last or the fronted circumstance of ``piece``'s verb as « C'était … »."""
    h = piece.head
    if h < 0 or s.pos[h] != "VERB" or not s.is_clause(h) or h not in piece.tokens:
        return  # « Il avait les pieds au feu … »: a clause written anew has no verb of the source
    verbs = lemmas_of(s.lower[h])
    if verbs & _NEEDY and not verbs & _SEEING:  # « vit »: « voir » as much as « vivre »
        return
    members = set(piece.tokens)
    if _reflexive(s, h, members) or _passive(s, h) or any(s.inverted(k) for k in members):
        return  # « ajouta Harris, avec … »: an incise's complement is the speech's
    if any(s.lower[k] in ("ne", "n'", "n’") for k in members):
        return  # « il n'osa pas entrer par la porte »: the negation's scope
    order = piece.tokens
    for a in sorted((a for a in order if _circumstance(s, h, a, members)), reverse=True):
        child = s.subtree(a) & members
        lo, hi = order.index(min(child)), order.index(max(child))
        if set(order[lo : hi + 1]) != child:
            continue
        after = [k for k in order[hi + 1 :] if not s.is_punct(k)]
        fronted = lo == 0 and hi + 1 < len(order) and s.text[order[hi + 1]] in COMMAS
        if after and not fronted:
            continue  # one inside the clause may belong to the word after it
        if any(s.text[k] in STOPS for k in order[hi + 1 : -1]):
            continue
        owner = max(h, s.head[a])
        if any(may_own(s, k, owner) for k in order[order.index(owner) + 1 : lo] if not fronted):
            continue  # « un mot de la Patronne qui le suppliait …, avec sa femme »
        parent, kid = detach(s, piece, child, -1)
        if len(parent.words(s)) < 4 and not _has_object(s, h, parent):
            continue  # « Elle prit. » says too little
        if not _say_where(s, h, a, parent, kid, fronted=fronted):
            continue
        kid.anchor = max(parent.position(), max(parent.words(s))) + 0.5  # after its clause
        yield [parent, kid]


def _say_where(s: Sentence, h: int, a: int, parent: Piece, kid: Piece, *, fronted: bool) -> bool:
    """Open ``kid``, the circumstance ``a`` of ``h``: « C'était … », or after a verb of seeing
    the thing seen as its subject (« Ces marrons étaient dans une coupe. »); False where
    neither can be said without guessing."""
    verbs = lemmas_of(s.lower[h])
    up = s.head[a] if s.head[a] != h else max(_objects(s, h, parent), default=-1)
    right = max(s.subtree(up) & set(parent.tokens), default=-1) if up >= 0 else -1
    child = min(kid.tokens)
    seen = right == child - 1 and bool(verbs & _SEEING)
    if verbs & _SEEING and not fronted and not seen:
        return False  # « il aperçut des marrons glacés dans une coupe »: the marrons were there
    if seen and not any(s.lower[k] in _DETERMINED for k in s.children[up] if k < up):
        return False  # where the thing seen was, or where the seeing was? Not told: it stays
    if seen and s.lower[min(s.subtree(a))] in _PLACES:
        found = mention(s, up)  # « des marrons glacés dans une coupe » : where they were
        if not found.agree or not (found.phrase or found.pronoun()):
            return False
        kid.subject, kid.subject_at = found, min(s.subtree(a))
        kid.copula = copula(s.tense(h), found.agree)
    else:
        kid.link = link_for(s, h)
    return True


def _circumstance(s: Sentence, h: int, a: int, members: set[int]) -> bool:
    """``a`` heads a phrase of place, time or manner of the verb ``h`` (or of its object or its
    infinitive, where the small model often hangs it: « déposa un baiser sur le front »)."""
    if s.pos[a] not in ("NOUN", "PROPN") or s.dep[a] not in ("obl:mod", "obl", "nmod", "obl:arg"):
        return False
    if s.dep[a] == "obl:arg" and not _has_object(s, h, Piece(sorted(members))):
        return False  # « il comptait beaucoup sur l'aide de son frère »: the verb's own
    up = s.head[a]
    if up != h and not (s.head[up] == h and s.dep[up] in ("obj", "xcomp") and up in members):
        return False
    if up != h and any(s.dep[k] in _CLAUSE_OF_ITS_OWN for k in s.children[up]):
        return False  # « changé depuis que le naufrage l'avait jeté sur ce littoral »
    cases = [k for k in s.children[a] if s.dep[k] == "case" and k < a]
    if not cases or min(cases) != min(s.subtree(a)):
        return False
    first = min(cases)
    opening = s.lower[first]
    place = opening in ("à", "au", "aux") and first + 1 < len(s) and s.lower[first + 1] in _PLACE
    if not (opening in PREPOSITIONS or place) or (opening in _BY_AGENT and _passive(s, up)):
        return False  # « à travers la plaine », « au milieu de la nuit » are places
    inner = s.subtree(a) & members
    words = [k for k in inner if not s.is_punct(k)]
    if len(words) < 3 or any(s.finite[k] or s.pos[k] in ("VERB", "AUX") for k in inner):
        return False  # « dans un salon » at least; a clause inside may be the verb's
    if any(_bare_noun_phrase(s, k) for k in inner if k != a):
        return False  # « avec sa cruche les grandes fleurs »: the verb's object, misread
    determined = any(s.dep[k] in ("det", "nummod") for k in s.children[a])
    return determined or s.pos[a] == "PROPN"


def _bare_noun_phrase(s: Sentence, k: int) -> bool:
    """``k`` heads a determined noun phrase with no preposition of its own: inside a phrase
    opened by a preposition, the parse has taken the verb's object in."""
    if s.pos[k] not in ("NOUN", "PROPN") or s.dep[k] in ("conj", "appos", "flat:name"):
        return False
    kids = s.children[k]
    return any(s.dep[c] == "det" for c in kids) and not any(s.dep[c] == "case" for c in kids)


def _has_object(s: Sentence, h: int, piece: Piece) -> bool:
    return any(s.dep[k] in ("obj", "xcomp", "ccomp") and s.head[k] == h for k in piece.tokens)


def _objects(s: Sentence, h: int, piece: Piece) -> list[int]:
    """The nouns that are objects of ``h`` in ``piece``."""
    return [
        k
        for k in piece.tokens
        if s.head[k] == h
        and s.pos[k] == "NOUN"
        and (s.dep[k] == "obj" or (s.dep[k] == "obl:arg" and not _has_case(s, k)))
    ]


def _has_case(s: Sentence, k: int) -> bool:
    """« des marrons » read as « obl:arg » has no preposition: the object all the same."""
    return any(s.dep[c] == "case" for c in s.children[k])


def _reflexive(s: Sentence, h: int, members: set[int]) -> bool:
    """« se diriger », « s'asseoir »: a pronominal verb often needs its place."""
    return any(
        s.lower[k] in ("se", "s'", "s’") and k in members and s.head[k] == h for k in range(h)
    )


def _passive(s: Sentence, h: int) -> bool:
    return any(s.dep[k] in ("aux:pass", "nsubj:pass") for k in s.children[h])


_PRESENT = ("e", "es", "ent", "ons", "ez", "ont", "st")
_SIMPLE_PAST = ("a", "èrent", "irent", "urent", "it", "ut", "int", "ât", "ît", "ût")


def link_for(s: Sentence, h: int) -> str:
    """« C'était », « Ce fut » after a simple past, « C'est » after a present, « Ce sera »
    after a future."""
    v = s.finite_of(h)
    word = s.lower[v] if v >= 0 else ""
    if s.feature(v, "Tense") == "Fut" and word.endswith(("ra", "ront", "rai", "ras", "rez")):
        return LINKS[3]
    if v != h or word.endswith(("ait", "aient")):
        return LINKS[0]  # an imperfect, or a compound tense
    if s.tense(h) == "Pres" and word.endswith(_PRESENT):
        return LINKS[2]
    if word.endswith("oit"):
        return LINKS[2]  # « reçoit », « voit », « doit »: no simple past ends so
    return LINKS[1] if word.endswith(_SIMPLE_PAST) else LINKS[0]
