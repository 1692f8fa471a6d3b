"""What a piece needs from the words around it: a subject that agrees with its verb, a subject
before its verb, a clause after its conjunction.

The subject of a piece made from a coordinated clause, a relative or a description is written
anew (``Piece.subject``); on a wrong parse it can be someone else's: « Ils repartirent ; et, d'un
mouvement plus rapide, le vicomte … disparut » must not give « Ils disparut ». The verb's
ending tells its number where it can: « -aient », « -èrent », « sont » are plural, « -ait »,
« -a », « -ut » singular; a present such as « vient » or « sent » tells nothing. A piece that
opens on a verb in the third person with no subject (« Fut bientôt en état de parler. ») or ends
on « et, » and a phrase with no verb (« Une valse commençait, et, sur l'orgue. ») lost a part
to another piece.
"""

from __future__ import annotations

from frenchnovel.pipeline.abbreviations import TITLES, is_initial
from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.syntax import Sentence

_PLURAL_ENDINGS = ("aient", "èrent", "irent", "urent", "inrent", "ront", "ssent")
_PLURAL_FORMS = {"ont", "sont", "font", "vont"}
_SINGULAR_ENDINGS = ("ait", "a", "it", "ut", "int", "ât", "ît", "ût")
_SINGULAR_PERSONS = {"je", "j'", "j’", "tu", "il", "elle", "on"}


def disagrees(s: Sentence, piece: Piece) -> bool:
    """The subject written for ``piece`` and its verb's ending disagree in number."""
    subject = piece.subject
    if subject is None or piece.copula or piece.head < 0:
        return False  # « était » is written to agree
    v = s.finite_of(piece.head)
    if v < 0 or v not in piece.tokens or v in piece.drop or v in piece.insert:
        return False
    word = s.lower[v]
    plural = word in _PLURAL_FORMS or word.endswith(_PLURAL_ENDINGS)
    singular = word.endswith(_SINGULAR_ENDINGS) and not word.endswith("ent")
    if subject.personal:
        number = "s" if subject.personal in _SINGULAR_PERSONS else subject.agree[1:]
    else:
        number = subject.agree[1:]
    return (number == "p" and singular) or (number == "s" and plural)


_THIRD_PERSON = ("ait", "aient", "it", "ut", "int", "èrent", "irent", "urent", "ât", "ût", "ît",
                 "ra", "ront", "rait", "raient", "est", "sont", "ont", "a")  # fmt: skip


def opens_on_its_verb(s: Sentence, piece: Piece, words: list[int]) -> bool:
    """« Fut bientôt en état de parler. », « Alors, était pocharde »: a verb in the third person
    opens the piece and no subject is written before it (its subject went to another piece)."""
    k = words[0]
    if not s.finite[k] or piece.subject is not None or k in piece.insert:
        return False
    if k + 1 < len(s) and s.text[k + 1].startswith("-"):
        return False  # « Fut-il », « Viendra-t-on »
    return s.lower[k].endswith(_THIRD_PERSON) and s.pos[k] in ("VERB", "AUX")


_SUBORDINATORS = {"parce", "puisque", "puisqu'", "puisqu’", "lorsque", "lorsqu'", "lorsqu’",
                  "quand", "quoique", "quoiqu'", "quoiqu’", "tandis"}  # fmt: skip


def open_cc(s: Sentence, piece: Piece) -> bool:
    """« Une valse commençait, et, sur l'orgue. »: a conjunction and a comma, or a subordinator
    (« parce que », « quand »), open a clause that never comes (no finite verb after them)."""
    tokens = [k for k in piece.tokens if k not in piece.drop]
    for n in range(len(tokens) - 1, -1, -1):
        k = tokens[n]
        if s.finite[k]:
            return False
        if s.pos[k] == "CCONJ" and n + 1 < len(tokens) and s.text[tokens[n + 1]] == ",":
            return True
        if s.lower[k] in _SUBORDINATORS:
            return True  # « …, parce qu'ayant un commandement en Provence. »
    return False


def splits_a_title(s: Sentence, piece: Piece) -> bool:
    """« … avaient poussé Mrs. » / « Weldon à résister »: a title, its period and the name after
    them go together or not at all."""
    kept = {k for k in piece.tokens if k not in piece.drop}
    for k in kept:
        if s.text[k] == "." and k > 0 and k + 1 < len(s) and title_before_name(s, k - 1):
            if len({k - 1, k, k + 1} & kept) != 3:
                return True
    return False


def title_before_name(s: Sentence, k: int) -> bool:
    """``k`` is a title or an initial whose period is followed by a name (« Mrs. Weldon »,
    « M. Homais »), not a noun (« quitté le Cap. Le 12 juillet »)."""
    word = s.text[k]
    if not (word in TITLES or is_initial(word)) or k + 2 >= len(s):
        return False
    determined = k > 0 and s.lower[k - 1] in ("le", "la", "les", "du", "au", "des", "l'", "l’")
    return not determined and s.text[k + 2][:1].isupper()
