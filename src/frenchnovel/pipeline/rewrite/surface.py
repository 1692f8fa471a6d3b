"""Turning planned pieces into sentences: capital first, punctuation last, borrowed subjects in."""

from __future__ import annotations

import re

from frenchnovel.pipeline.rewrite.analysis import Analysis
from frenchnovel.pipeline.rewrite.cuts import Piece

_LEADING = re.compile(r"^[\s,;:—–\-)]+")
_TRAILING = re.compile(r"[\s,;:—–\-(«“]+$")
_ENDED = re.compile(r"[.!?…][»”\"')\]_\s]*$")
_FIRST_LETTER = re.compile(r"\w")
_QUESTION = re.compile(r"\?[»”\"')\]_\s]*$")
# A subject pronoun after its verb (« connaissait-il », « viendra-t-on », « est-ce »): a question.
_INVERTED = re.compile(r"\w-(?:t-)?(?:il|elle|on|ils|elles|je|tu|nous|vous|ce)\b", re.IGNORECASE)


def render(analysis: Analysis, pieces: list[Piece]) -> list[str]:
    """The sentences that ``pieces`` of ``analysis`` make, in order."""
    out = [_sentence(analysis, piece, first=i == 0) for i, piece in enumerate(pieces)]
    return [s for s in out if s]


def plain_typography(text: str) -> str:
    """« » → " ", … → ... and ’ → ', for readers who asked not to keep French typography."""
    text = re.sub(r"«\s*", '"', text)
    text = re.sub(r"\s*»", '"', text)
    return text.replace("…", "...").replace("’", "'")


def _sentence(analysis: Analysis, piece: Piece, *, first: bool) -> str:
    units = [analysis.unit_text(u) for u in range(piece.start, piece.end)]
    if piece.drop_first:
        units = units[1:]
    clause = piece.subject
    if clause is not None:
        at = max(clause.insert_unit, piece.start) - piece.start - piece.drop_first
        if clause.relative and clause.subject_unit == piece.start:
            units[0] = _keep_case(units[0], clause.pronoun)
        elif clause.pronoun.endswith(("'", "’")):
            units[at] = _prefix(units[at], clause.pronoun, glued=True)
        else:
            units[at] = _prefix(units[at], clause.pronoun, glued=False)
    text = " ".join(units)
    if not first:
        text = _LEADING.sub("", text)
    if piece.reuse:
        text = f"{piece.reuse} {text}"
    text = _TRAILING.sub("", text)
    if not text:
        return ""
    if not _ENDED.search(text):
        # « Le chien connaissait-il et reconnaissait-il… ? » asks twice, not once and then tells
        asks = _QUESTION.search(analysis.text)
        if asks and _INVERTED.search(text):
            text += " ?" if analysis.text[asks.start() - 1 : asks.start()].isspace() else "?"
        else:
            text += "."
    return _capitalise(text)


def _prefix(unit: str, word: str, *, glued: bool) -> str:
    """``word`` written before ``unit``, after any opening quote or dash the unit starts with."""
    head = len(unit) - len(unit.lstrip('«“"(—–-'))
    return unit[:head] + word + ("" if glued else " ") + unit[head:]


def _keep_case(unit: str, word: str) -> str:
    """``unit`` (« qui ») replaced by ``word``, keeping punctuation glued to it."""
    match = re.match(r"^(\W*)(\w+)(.*)$", unit)
    return match.group(1) + word + match.group(3) if match else word


def _capitalise(text: str) -> str:
    match = _FIRST_LETTER.search(text)
    if match is None:
        return text
    i = match.start()
    return text[:i] + text[i].upper() + text[i + 1 :]
