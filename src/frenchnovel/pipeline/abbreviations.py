"""Word lists the French segmenter relies on: abbreviations, initials and sentence openers.

Kept apart from the rules so that a reader can extend a list without touching the logic.
All entries are written without their final period.
"""

from __future__ import annotations

import re

# Titles always precede a name: their period never ends a sentence.
TITLES = frozenset(
    """
    M MM Mme Mmes Mlle Mlles Mr Mrs Ms Dr Drs Me Mgr Mgrs Pr St Ste Sts Stes Vve Cie Cne
    Gal Gén Col Cap Lt Sgt Adj Cdt Mal Fr Sr Sœur Rév Révd R.P P.S S.A S.M S.E S.S LL.MM
    """.split()
)

# Abbreviations that sit inside a sentence (before a number, a name, a date...); none of them is
# also a French word, so their period never ends a sentence.
INNER = frozenset(
    """
    chap cf pp janv févr fév avr juil oct nov déc boul bd fg faub sq sqq suiv
    op cit ibid éd J.-C env av
    """.split()
)

# Abbreviations that are also words (« un nouveau vol. », « Ils sont sept. »): inside a sentence
# only when a number follows (« vol. 2 », « art. 12 », « 3 sept. 1850 »).
BEFORE_NUMBER = frozenset("vol art sept fig ex t p n no nos ch liv tit sect".split())

# Abbreviations that often close a sentence: their period is then also the full stop.
FINAL = frozenset({"etc", "cie", "Cie", "inc", "Inc", "ltd", "Ltd"})

# Capitalised words that open sentences and almost never continue one (unlike names).
# Used where a period is ambiguous: after an initial (« conventionnel G. Vous m'avez... »)
# and after a semicolon or a bare list item in non-literary text.
OPENERS = frozenset(
    """
    il elle ils elles on je j' tu nous vous c' ce ces cet cette ça cela ceci celui celle
    le la les l' un une des du de d' mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs
    au aux mais et or donc car puis ensuite alors enfin cependant pourtant toutefois ainsi aussi
    si quand lorsque lorsqu' comme pendant depuis après avant dans en pour par sur sous avec
    sans chez vers contre entre malgré selon
    quel quelle quels quelles qui que qu' quoi où pourquoi comment combien
    oui non voilà voici ah oh eh hélas tout tous toute toutes rien personne chaque
    """.split()
)

# Subject pronouns: capitalised after a plain word, they show a missing full stop (lists, titles).
SUBJECTS = frozenset({"Il", "Elle", "Ils", "Elles", "On", "Je", "J'", "J’"})

_INITIALS = re.compile(r"^(?:[A-ZÀ-Þ]\.)*[A-ZÀ-Þ]$")
_ROMAN = re.compile(r"^[IVXLCDM]{2,}$")


def is_initial(word: str) -> bool:
    """True for ``W`` or ``S.G.D.G`` (the period that follows is taken off): a name's initial.

    Roman numerals of two letters or more (``XII``) are numbers, not initials.
    """
    return bool(_INITIALS.match(word)) and not _ROMAN.match(word)


def opener_key(word: str) -> str:
    """The form of ``word`` to look up in ``OPENERS``: lower case, elided article kept."""
    lowered = word.lower().replace("’", "'")
    if "'" in lowered:
        return lowered[: lowered.index("'") + 1]
    return lowered.rstrip(',;:.!?…»"”)')
