"""Rejoining words hyphenated across line breaks, without breaking real compounds.

PDFium marks a hyphen at the end of a line with U+FFFE and does not say whether it was a
typesetter's hyphenation (``ordi-naire``) or a compound broken at its own hyphen
(``Thunder-ten-tronckh``, ``n'avez-vous``, ``peut-être``, ``dit-il``). The decision looks at the two
halves: French compounds broken at a line end almost always have a second part that is a clitic
pronoun, a fixed second element (``-là``, ``-ci``, ``-même``, ``-être``), a capitalised name, or a
part that carries its own hyphen or elision. Measured on Candide (FOP output, no hyphenation of
ordinary words): all 30 U+FFFE breaks are compounds and all 30 keep their hyphen.
"""

from __future__ import annotations

import re

# Second parts that make a compound with what precedes the line break.
_COMPOUND_TAILS = frozenset(
    """je tu il elle on nous vous ils elles moi toi lui eux y en ce ci là
    même mêmes être dessous dessus dedans dehors delà devant derrière""".split()
)
# First parts that only ever stand before a compound's hyphen (là-bas, vingt-huit, demi-heure).
_COMPOUND_HEADS = frozenset(
    """là ci à vingt trente quarante cinquante soixante quatre dix demi semi grand grande petit
    petite arrière avant après vice ex quasi tout celui celle ceux celles""".split()
)
# Ordinary words that hyphenation splits before one of the tails: voi-là, mer-ci.
_WORD_HEADS = {
    "ci": frozenset({"mer", "voi", "ain"}),
    "là": frozenset({"voi", "de", "ho", "cela"}),
}
_IMPERATIVE_ENDINGS = ("z", "s", "t", "e")  # donnez-le, prends-la, mets-les, donne-les
_LEADING_WORD = re.compile(r"[\w’'-]+")
_TRAILING_WORD = re.compile(r"[\w’'-]+$")
_ELISION = re.compile(r"[’']")


def keeps_hyphen(left: str, right: str) -> bool:
    """Whether a line-end hyphen between ``left`` and ``right`` belongs to the word (a compound).

    ``left`` is the text before the break, ``right`` the text after it; only the words touching
    the break matter.
    """
    head_match = _TRAILING_WORD.search(left)
    tail_match = _LEADING_WORD.match(right)
    if not head_match or not tail_match:
        return True
    head_word, tail_word = head_match.group(), tail_match.group()
    head = _ELISION.split(head_word.rsplit("-", 1)[-1])[-1].lower()
    tail = re.split(r"[-’']", tail_word, maxsplit=1)[0].lower()
    if not head or not tail:
        return True
    if tail_word[0].isupper() or tail_word[0].isdigit() or head.isdigit():
        return True  # Saint-Germain, Massa-Carrara, TRENTE-CINQ, 1789-1794
    if "-" in head_word or "-" in tail_word:
        # inside a compound: keep for names (Thunder-ten-tronckh, C’est-à-dire) and -t-il,
        # but a verb broken before its pronoun is an ordinary break (Admi-nistrez-lui)
        if tail == "t" or head in _COMPOUND_HEADS:
            return True
        if "-" in head_word and head_word.rsplit("-", 1)[-1][:1].isupper():
            return False  # Bonne-Espé-rance: a name's own part broken at a syllable
        last = tail_word.rsplit("-", 1)[-1].lower()
        return head_word[0].isupper() and last not in _COMPOUND_TAILS
    if tail_word.startswith(("d’hui", "d'hui")):
        return False  # aujour-d’hui
    if _ELISION.search(tail_word):
        return True  # chef-d’œuvre
    if tail in ("le", "la", "les"):
        return head.endswith(_IMPERATIVE_ENDINGS) and len(head) > 2  # not vil-le, épau-les
    if tail == "ce":
        return head.endswith("t")  # est-ce, serait-ce; but for-ce, pla-ce
    if head in _WORD_HEADS.get(tail, ()):
        return False
    return tail in _COMPOUND_TAILS or head in _COMPOUND_HEADS


def join_lines(left: str, right: str, *, fix_hyphenation: bool = True) -> str:
    """Join two consecutive lines of one paragraph.

    A line ending in U+FFFE (or an ASCII hyphen glued to a letter) is joined without a space,
    keeping the hyphen only for compounds; other lines are joined with one space.
    """
    if not left:
        return right
    if not right:
        return left.removesuffix("\ufffe")
    if left.endswith("\ufffe"):
        stem = left[:-1]
        if not fix_hyphenation or keeps_hyphen(stem, right):
            return stem + "-" + right
        return stem + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
        stem = left[:-1]
        if fix_hyphenation and not keeps_hyphen(stem, right):
            return stem + right
        return left + right
    return left + " " + right
