"""A verbless piece that describes someone gets « il était », « elle est »… to stand alone.

« Sa femme, enveloppée du même peignoir blanc, et accoudée à la cheminée, dictait » cut into
pieces leaves « Accoudée à la cheminée. », which is no sentence. The participle (or adjective)
says whom it describes by its agreement, so the pronoun follows from it, and the tense of être
from the nearest finite verb before the piece: « Elle était accoudée à la cheminée. » These are
the two words DESIGN.md allows to be added: a pronoun and an auxiliary.
"""

from __future__ import annotations

from frenchnovel.pipeline.rewrite.analysis import Analysis

# How a describing word hangs on what it describes, before the piece.
_DESCRIBING = {"acl", "advcl", "appos", "conj", "amod", "xcomp"}
_FINITE_ENDINGS = ("a", "ait", "aient", "èrent", "irent", "urent", "ât", "ît", "ût")
_PRONOUNS = {"ms": "il", "fs": "elle", "mp": "ils", "fp": "elles"}
_BE = {("Pres", "s"): "est", ("Pres", "p"): "sont", ("", "s"): "était", ("", "p"): "étaient"}


def copula_lead(a: Analysis, low: int, high: int) -> str:
    """« elle était » for tokens ``low``..``high`` that open on a past participle or an
    adjective describing something before them, or "" when the piece is not of that kind."""
    k = low
    while k < high and a.attach[k] == "punct":
        k += 1
    if k < high and a.attach[k] == "cc":
        if a.lower[k] != "et":
            return ""  # « mais pâle »: « il était » cannot go before « mais »
        k += 1
    if k == high or not a.agree[k] or a.attach[k] not in _DESCRIBING or a.heads[k] >= low:
        return ""
    if a.lower[k].endswith(_FINITE_ENDINGS):
        return ""  # « contracta une petite toux »: a verb in the past the parse took for one
    verb = a.heads[k] if a.attach[k] == "conj" else k  # « eut collationné … et appliqué »
    if a.tense[verb] or any(
        a.heads[i] == verb and a.attach[i].startswith(("aux", "cop")) for i in range(verb)
    ):
        return ""  # « fussent mues »: a compound tense, not a description
    if any(a.heads[i] == k and a.attach[i] == "obj" for i in range(k + 1, high)):
        return ""  # « acheté une provision »: a participle with an object is a verb in a tense
    for i in range(k + 1, high):
        if a.heads[i] < low or a.heads[i] >= high:
            return ""  # a second phrase hanging elsewhere: not one description
        if a.pos[i] in ("VERB", "AUX", "SCONJ") and a.agree[i] == "":
            return ""  # « accoudée quand elle parle »: a clause of its own
    tense = next((a.tense[i] for i in range(low - 1, -1, -1) if a.tense[i]), "")
    if not tense:
        return ""
    agree = a.agree[k]
    return f"{_PRONOUNS[agree]} {_BE['Pres' if tense == 'Pres' else '', agree[1]]}"
