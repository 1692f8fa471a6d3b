"""Checking a model's answer: every id back, every piece within the limits, no invented words.

A sentence whose answer fails a check is retried once and then handed to the ``local`` engine;
one bad answer never fails a job.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.words import count_words

_TOKEN = re.compile(r"\w+", re.UNICODE)
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")

# Words a model may add so that a clause stands alone (subject pronouns, auxiliaries, the
# demonstratives of « c'est »): the same small set the local engine is allowed to invent.
GLUE_WORDS = frozenset(
    """
    il elle ils elles on c ce cela ça ceci y en se s l le la les lui leur qui que qu dont où et
    est était sont étaient a ont avait avaient eut eurent fut furent être avoir puis alors ainsi
    """.split()
)
FOREIGN_TOLERANCE = 0.2  # share of a source's words a rewrite may add beyond the glue words
MIN_COVERAGE = 0.6  # share of a source's distinct words the rewrite must keep


@dataclass(slots=True)
class Verdict:
    """The accepted pieces by id, and why the other ids were refused."""

    accepted: dict[str, list[str]] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)


def judge(text: str | None, expected: Mapping[str, str], options: JobOptions) -> Verdict:
    """Check a model's raw answer ``text`` against the ``expected`` id → source sentence map."""
    verdict = Verdict()
    items = _items(text)
    if items is None:
        verdict.refused = dict.fromkeys(expected, "malformed answer")
        return verdict
    for key, source in expected.items():
        pieces = items.get(key)
        problem = "missing id" if pieces is None else check_pieces(source, pieces, options)
        if problem or pieces is None:
            verdict.refused[key] = problem or "missing id"
        else:
            verdict.accepted[key] = [piece.strip() for piece in pieces]
    return verdict


def check_pieces(source: str, pieces: list[str], options: JobOptions) -> str | None:
    """Why ``pieces`` are not an acceptable rewrite of ``source``, or None when they are."""
    if not pieces or any(not piece.strip() for piece in pieces):
        return "empty piece"
    lengths = [count_words(piece) for piece in pieces]
    if max(lengths) > options.sentence_length_limit:
        return "piece over the limit"
    # A minimum above the limit cannot be met: the limit wins.
    floor = min(options.min_sentence_length, options.sentence_length_limit, count_words(source))
    if min(lengths) < floor:
        return "piece under the minimum"
    source_words = _normalised(source)
    produced = [word for piece in pieces for word in _normalised(piece)]
    known = set(source_words) | GLUE_WORDS
    foreign = [word for word in produced if word not in known]
    if len(foreign) > max(2, math.ceil(FOREIGN_TOLERANCE * len(source_words))):
        return "words not in the source"
    distinct = set(source_words)
    if len(distinct & set(produced)) < MIN_COVERAGE * len(distinct):
        return "too much of the source left out"
    return None


def _normalised(text: str) -> list[str]:
    # Apostrophes and hyphens separate tokens, so « l’homme » and « dit-il » match their parts.
    return [token.lower() for token in _TOKEN.findall(text.replace("’", "'"))]


def _items(text: str | None) -> dict[str, list[str]] | None:
    """The answer's items as id → pieces, or None when it is not the JSON the schema asks for."""
    if not text:
        return None
    # Some OpenAI-compatible servers ignore the response format and fence their JSON.
    text = _FENCE.sub("", text.strip())
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return None
    items: dict[str, list[str]] = {}
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        key, pieces = item.get("id"), item.get("pieces")
        if isinstance(pieces, list) and all(isinstance(piece, str) for piece in pieces):
            items[str(key)] = pieces
    return items
