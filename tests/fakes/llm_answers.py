"""What the fake LLM servers answer: a deterministic rewrite, or a deliberately bad one.

The fake reads the batch the client sent (the JSON after ``SENTENCES_MARKER`` and the word limit
of the user message) and splits each sentence into balanced pieces within the limit.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from frenchnovel.pipeline.rewrite.prompt import SENTENCES_MARKER
from frenchnovel.pipeline.words import count_words

_LIMIT = re.compile(r"at most (\d+) words")
_CLOSERS = (".", "!", "?", "…", "»")

BAD_ANSWERS = ("malformed", "missing_ids", "over_limit", "one_over_limit", "foreign_words")


def count_tokens(text: str) -> int:
    """The fake's tokenizer: one token per 4 bytes of UTF-8, like the usual rule of thumb."""
    return math.ceil(len(text.encode("utf-8")) / 4)


def read_batch(message: str) -> tuple[int, list[tuple[str, str]]]:
    """The word limit and the ``(id, text)`` pairs of a user message."""
    limit = int(match.group(1)) if (match := _LIMIT.search(message)) else 8
    payload = message.split(SENTENCES_MARKER, 1)[1] if SENTENCES_MARKER in message else "{}"
    try:
        sentences = json.loads(payload).get("sentences", [])
    except ValueError:
        sentences = []
    return limit, [(str(item["id"]), str(item["text"])) for item in sentences]


def split_sentence(text: str, limit: int) -> list[str]:
    """Balanced pieces of at most ``limit`` words, each capitalised and closed by a full stop."""
    tokens = text.split()
    total = count_words(text)
    if total <= limit:
        return [text]
    parts = math.ceil(total / limit)
    sizes = [total // parts + (1 if k < total % parts else 0) for k in range(parts)]
    pieces: list[list[str]] = [[]]
    for token in tokens:
        if count_words(" ".join(pieces[-1])) == sizes[len(pieces) - 1] and count_words(token):
            pieces.append([])
        pieces[-1].append(token)
    return [_tidy(" ".join(piece)) for piece in pieces]


def _tidy(piece: str) -> str:
    piece = piece.rstrip(",;:—– ")
    piece = piece[:1].upper() + piece[1:]
    return piece if piece.endswith(_CLOSERS) else piece + "."


def _join_first_two(pieces: list[str]) -> list[str]:
    """Good pieces but the first two run together: one piece over the limit."""
    if len(pieces) < 2:
        return pieces
    first = pieces[0].rstrip(".")
    return [f"{first}, {pieces[1][:1].lower()}{pieces[1][1:]}", *pieces[2:]]


def answer(message: str, bad: str | None = None) -> str:
    """The JSON text answering ``message``; ``bad`` names one of ``BAD_ANSWERS`` to misbehave."""
    limit, batch = read_batch(message)
    if bad == "malformed":
        return '{"items": [{"id": "0", "pieces": ["Il'
    items: list[dict[str, Any]] = []
    for position, (key, text) in enumerate(batch):
        if bad == "missing_ids" and position % 2 == 0:
            continue
        if bad == "over_limit":
            pieces = [text]
        elif bad == "one_over_limit":
            pieces = _join_first_two(split_sentence(text, limit))
        elif bad == "foreign_words":
            pieces = [f"Zorglub {word} bidule machin." for word in text.split()[:3]]
        else:
            pieces = split_sentence(text, limit)
        items.append({"id": key, "pieces": pieces})
    return json.dumps({"items": items}, ensure_ascii=False)
