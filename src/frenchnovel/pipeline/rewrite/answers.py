"""Checking a model's answer: every id back, every piece within the limits, no invented words.

A sentence whose answer fails a check is retried once and then handed to the ``local`` engine;
one bad answer never fails a job.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.words import count_words

_TOKEN = re.compile(r"\w+", re.UNICODE)
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")

# Words a model may add so that a piece stands alone: subject pronouns and the auxiliaries of the
# third person, « c'est », « il y a », « voici », the determiners and pronouns that point back to a
# noun (« cette », « celui », « certaines »), and the links that keep the thread between pieces
# (« alors », « en effet », « pourtant »). None of them brings a new idea into the sentence.
GLUE_WORDS = frozenset(
    """
    il elle ils elles on c ce cela ça ceci y en se s l le la les lui leur qui que qu dont où là
    est était sont étaient fut furent sera seront serait seraient été étant être
    a ont avait avaient eut eurent aura auront aurait auraient eu ayant avoir
    voici voilà un une des du de d à au aux cet cette ces celui celle ceux celles
    certain certaine certains certaines son sa ses leurs
    et mais puis alors ainsi aussi donc pourtant effet
    """.split()
)
# A source that negates lends its negation to each piece that repeats it (« il ne mangeait ni ne
# buvait » → « Il ne mangeait pas. Il ne buvait pas. »); a model adding it elsewhere is inventing.
NEGATION_WORDS = frozenset({"ne", "n", "pas"})
_NEGATIVE = frozenset("ne n pas jamais rien aucun aucune ni sans nul nulle".split())
# A word that shares its first letters with a source word is the same word inflected (« aucune »
# for « aucun », « visites » for « visitée »): the stem must hold at least this many letters and
# this share of the shorter word.
STEM_LETTERS = 5
STEM_SHARE = 0.6
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
    longest = max(range(len(pieces)), key=lengths.__getitem__)
    if lengths[longest] > options.sentence_length_limit:
        # The piece itself goes back to the model with the retry, so it knows what to split.
        piece, limit = pieces[longest].strip(), options.sentence_length_limit
        return f"piece over the limit: « {piece} » has {lengths[longest]} words, more than {limit}"
    # A minimum above the limit cannot be met: the limit wins.
    floor = min(options.min_sentence_length, options.sentence_length_limit, count_words(source))
    if min(lengths) < floor:
        return "piece under the minimum"
    source_words = _normalised(source)
    foreign = invented_words(source, pieces)
    if len(foreign) > max(2, math.ceil(FOREIGN_TOLERANCE * len(source_words))):
        return "words not in the source: " + ", ".join(dict.fromkeys(foreign))
    distinct = set(source_words)
    produced = [word for piece in pieces for word in _normalised(piece)]
    kept = {word for word in distinct if word in produced or _inflects(word, produced)}
    if len(kept) < MIN_COVERAGE * len(distinct):
        return "too much of the source left out"
    return None


def invented_words(source: str, pieces: list[str]) -> list[str]:
    """The words of ``pieces`` that are neither the source's (in any form) nor small words."""
    distinct = set(_normalised(source))
    known = distinct | GLUE_WORDS
    if _NEGATIVE & distinct:
        known |= NEGATION_WORDS
    produced = [word for piece in pieces for word in _normalised(piece)]
    return [word for word in produced if word not in known and not _inflects(word, distinct)]


def _inflects(word: str, others: Collection[str]) -> bool:
    """Whether ``word`` is another form of one of ``others`` (the same stem, another ending)."""
    if len(word) < STEM_LETTERS:
        return False
    stem = word[:STEM_LETTERS]
    return any(
        other.startswith(stem) and _shared(word, other) >= STEM_SHARE * min(len(word), len(other))
        for other in others
    )


def _shared(a: str, b: str) -> int:
    """The number of first letters ``a`` and ``b`` have in common."""
    for n, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return n
    return min(len(a), len(b))


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
