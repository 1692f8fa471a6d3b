"""French sentence segmentation of one paragraph, by rules over whitespace tokens.

A sentence can end only after a terminal cluster (``.`` ``!`` ``?`` ``…`` ``...``, with any closing
quote marks); it does end there when the next token opens a sentence: a capital, a digit or a
dialogue dash. Lower-case continuations (« Ah ! quelle folie », « dit-il »), abbreviations
(« M. Homais ») and initials (« James W. Weldon ») do not end a sentence. The rules are those of
the literary gold's README (``corpus/literary/README.md``); they measure better than spaCy's
``senter`` and pysbd on novels (``make bench-quality``).

The segmenter is deterministic and paragraph-local, so chunked text segments like the whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from frenchnovel.pipeline.abbreviations import (
    BEFORE_NUMBER,
    FINAL,
    INNER,
    OPENERS,
    SUBJECTS,
    TITLES,
    is_initial,
    opener_key,
)

_TOKEN = re.compile(r"\S+")
_CLOSERS = "»\"”’')]_"
_OPENING = '«"“‘([_'
_TERMINAL = re.compile(r"[.!?…]+$")
_DASH = re.compile(r"^(?:--|—|–|-(?=\s|$|[A-ZÀ-Þ«]))")
# A Gutenberg dialogue turn glued to the end of the previous one: « Qui ça?--Le maire. »
_GLUED_TURN = re.compile(r"[.!?…]+[»\"”]*(?=(?:--|—)[«\"]?[A-ZÀ-Þ])")
_PUNCT_ONLY = re.compile(r"^[.!?…»\"”’')\]_]+$")
_HAS_WORD = re.compile(r"\w")


@dataclass(slots=True, frozen=True)
class _End:
    """What precedes a gap: the terminal cluster and the word it is glued to."""

    cluster: str  # "" when the left token does not end a sentence by itself
    word: str  # the word before the cluster, openers removed
    mark: str  # ";" or ":" when the left token ends with one of those


def segment(paragraph: str) -> list[tuple[int, int]]:
    """The sentences of ``paragraph`` as ``(start, end)`` character spans, in order.

    Spans cover the paragraph's text without leading or trailing whitespace; each paragraph is
    segmented on its own (a sentence never crosses a paragraph break).
    """
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(paragraph)]
    if not tokens:
        return []
    texts = [paragraph[s:e] for s, e in tokens]
    cuts: list[tuple[int, int]] = []  # (where a sentence ends, where the next one starts)
    for i, (start, end) in enumerate(tokens):
        for glued in _GLUED_TURN.finditer(texts[i]):
            cuts.append((start + glued.end(), start + glued.end()))
        if i + 1 < len(tokens) and _boundary(texts, i):
            cuts.append((end, tokens[i + 1][0]))
    spans: list[tuple[int, int]] = []
    begin = tokens[0][0]
    for stop, cut in cuts:
        if not _HAS_WORD.search(paragraph, begin, cut):
            continue  # « … Enfin, il découvrit » : a leading ellipsis joins what follows
        spans.append((begin, stop))
        begin = cut
    spans.append((begin, tokens[-1][1]))
    return [(s, e) for s, e in spans if s < e]


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of ``paragraph`` as strings."""
    return [paragraph[start:end] for start, end in segment(paragraph)]


def _left_end(texts: list[str], i: int) -> _End:
    """The sentence end, if any, that token ``i`` closes (looking through lone » and ?)."""
    text = texts[i]
    j = i
    # French spacing detaches « ? » and « » » from their word: glue them back for the test.
    while _PUNCT_ONLY.match(texts[j]) and j > 0 and i - j < 4:  # « ! ! ! ! »: look back a little
        j -= 1
        text = texts[j] + text
        if not _PUNCT_ONLY.match(texts[j]):
            break
    core = text.rstrip(_CLOSERS)
    if core.endswith((";", ":")):
        return _End("", "", core[-1])
    found = _TERMINAL.search(core)
    if not found:
        return _End("", "", "")
    word = core[: found.start()].lstrip(_OPENING + "-—–")
    return _End(found.group(), word, "")


def _boundary(texts: list[str], i: int) -> bool:
    """True when a sentence ends between token ``i`` and token ``i + 1``."""
    nxt = texts[i + 1]
    if _PUNCT_ONLY.match(nxt):
        return False  # a detached « ? » or « » » belongs to the sentence on its left
    end = _left_end(texts, i)
    if not end.cluster:
        if end.mark == ";":
            return _opens_clearly(texts, i + 1)
        # « ... anomalie vasculaires Il est recommandé » : a list item or title lost its stop.
        return texts[i][-1:].isalnum() and _subject_key(texts[i + 1]) in SUBJECTS
    if end.cluster == ".":
        abbreviation = _after_abbreviation(end.word, texts, i + 1)
        if abbreviation is not None:
            return abbreviation
    if _DASH.match(nxt):
        return True
    first = _first_letter(texts, i + 1)
    return first.isupper() or first.isdigit()


def _after_abbreviation(word: str, texts: list[str], k: int) -> bool | None:
    """Whether a period after ``word`` ends the sentence; None when ``word`` is no abbreviation."""
    if word in TITLES or word in INNER:
        return False
    if word in BEFORE_NUMBER and _first_letter(texts, k).isdigit():
        return False
    if word in FINAL:
        return _first_letter(texts, k).isupper() or bool(_DASH.match(texts[k]))
    if is_initial(word):
        # « James W. Weldon » goes on; « le conventionnel G. Vous m'avez nommé » does not.
        return _opens_clearly(texts, k)
    return None


def _opens_clearly(texts: list[str], k: int) -> bool:
    """True when token ``k`` is a capitalised word that opens sentences, never a name."""
    word = texts[k].lstrip(_OPENING)
    return word[:1].isupper() and opener_key(word) in OPENERS


def _first_letter(texts: list[str], k: int) -> str:
    """The first character of token ``k`` after opening quotes (a lone « looks one further)."""
    word = texts[k].lstrip(_OPENING)
    if not word and k + 1 < len(texts):
        word = texts[k + 1].lstrip(_OPENING)
    return word[:1]


def _subject_key(word: str) -> str:
    """``J'aime`` → ``J'``; other words unchanged (for the ``SUBJECTS`` lookup)."""
    for apostrophe in "'’":
        if apostrophe in word:
            return word[: word.index(apostrophe) + 1]
    return word
