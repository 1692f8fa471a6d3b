"""The words of a French sentence, as the word lists count them.

Typographic apostrophes become plain; an elision is its own word (« l'homme » → « l' »,
« homme »), except in the few words that hold one (« aujourd'hui »); hyphens split (« dit-il »
→ « dit », « il »; the euphonic « -t- » goes) but for the compounds whose parts mean something
else (« rendez-vous », « belle-mère »). Each word comes with whether it may open a sentence,
which tells a name from a capitalised first word.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[^\W\d_]+(?:'|(?:-[^\W\d_]+)*)|\d+", re.UNICODE)
_EUPHONIC_T = re.compile(r"-t-", re.IGNORECASE)
WHOLE_WITH_APOSTROPHE = frozenset(
    {"aujourd'hui", "quelqu'un", "quelqu'une", "presqu'île", "prud'homme", "entr'ouvert"}
)
# Hyphenated words whose parts mean something else (« rendez-vous » is not « rendre »): whole.
COMPOUNDS = frozenset(
    "rendez-vous belle-mère belles-mères beau-père beaux-pères belle-sœur beau-frère "
    "beaux-frères grand-père grand-mère grands-pères grands-mères grands-parents petit-fils "
    "petite-fille petits-enfants arc-en-ciel vis-à-vis pot-au-feu tête-à-tête sang-froid "
    "porte-monnaie après-midi".split()
)


def tokens(text: str) -> list[str]:
    """The words of ``text``, elisions and hyphenated parts apart, in order."""
    return [token for token, _ in _positioned(text)]


def _positioned(text: str) -> list[tuple[str, bool]]:
    """Each word with whether it may open a sentence (first, or after « . ! ? : « — »)."""
    text = _EUPHONIC_T.sub("-", text.replace("’", "'").replace("ʼ", "'"))
    found: list[tuple[str, bool]] = []
    for match in _TOKEN.finditer(text):
        before = text[: match.start()].rstrip()
        opening = not before or before[-1] in _OPENERS
        token = match.group()
        if token.endswith("'"):
            found.append((token, opening))
            continue
        if token.lower() in COMPOUNDS:
            found.append((token, opening))
            continue
        for i, part in enumerate(p for p in token.split("-") if p):
            found.append((part, opening and i == 0))
    return _rejoin_whole(found)


_OPENERS = frozenset('.!?:«»—–-"“…(')


def _rejoin_whole(found: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """« aujourd' » + « hui » → « aujourd'hui »: the few words that hold an apostrophe."""
    joined: list[tuple[str, bool]] = []
    for token, opening in found:
        if joined and (joined[-1][0] + token).lower() in WHOLE_WITH_APOSTROPHE:
            joined[-1] = (joined[-1][0] + token, joined[-1][1])
        else:
            joined.append((token, opening))
    return joined
