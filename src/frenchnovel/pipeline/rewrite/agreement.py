"""A subject the engine writes agrees in number with its verb.

The subject of a piece made from a coordinated clause, a relative or a description is written
anew (``Piece.subject``); on a wrong parse it can be someone else's: « Ils repartirent ; et, d'un
mouvement plus rapide, le vicomte … disparut » must not give « Ils disparut ». The verb's
ending tells its number where it can: « -aient », « -èrent », « sont » are plural, « -ait »,
« -a », « -ut » singular; a present such as « vient » or « sent » tells nothing.
"""

from __future__ import annotations

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
