"""What the LLM engines send: the instructions, one batch of sentences, the answer's JSON schema.

The instructions do not change between requests (providers can cache them); everything that
depends on the job (the limit, the sentences) goes in the user message.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.words import count_words, estimate_tokens

SENTENCES_MARKER = "SENTENCES (JSON):"

INSTRUCTIONS = """\
You rewrite sentences of a French novel for readers learning French.
Each input sentence is longer than the word limit. Rewrite it into several short French
sentences that:
- each have at most the limit of words and at least the minimum of words;
- each stand alone: a subject and a finite verb, with a pronoun (il, elle, ils, elles, on, c'est)
  where the original subject would otherwise be lost;
- split at natural breaks: coordinating conjunctions (et, mais, donc, car, or, ni), semicolons,
  relative and subordinate clauses (qui, que, dont, où, quand, lorsque, parce que, puisque),
  appositions;
- keep the meaning, the order of events, the vocabulary, the tense and the tone; reuse the original
  words and do not add ideas, explanations or synonyms;
- keep the cadence of dialogue: guillemets « », dialogue dashes and incises (dit-il) stay with
  the words they belong to.
Answer with JSON only: {"items": [{"id": ..., "pieces": [...]}]}, exactly one item for every id
you were given, pieces in reading order."""

_FORMATTING = "Keep French typography as it is: « », —, …, ’ and the spaces around them."
_PLAIN = 'Write « » as plain double quotes " and … as three dots.'
_HYPHENATION = "Rejoin words that were hyphenated across a line break (« mai- son » → « maison »)."
_RETRY = "Your last answer for these ids was refused; rewrite those sentences again:"

RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "pieces": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["id", "pieces"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["items"],
    "additionalProperties": False,
}


def user_message(
    batch: Sequence[tuple[str, str]],
    options: JobOptions,
    *,
    notes: Mapping[str, str] | None = None,
) -> str:
    """The per-request message: the job's limits, its switches, and the ``(id, text)`` batch.

    ``notes`` says, by id, why the model's last answer was refused (a piece over the limit, words
    not in the source) when a sentence is sent again.
    """
    rules = [
        f"Word limit: at most {options.sentence_length_limit} words per sentence.",
        f"Minimum: at least {options.min_sentence_length} words per sentence.",
        _FORMATTING if options.preserve_formatting else _PLAIN,
    ]
    if options.fix_hyphenation:
        rules.append(_HYPHENATION)
    if notes:
        rules.append(_RETRY)
        rules.extend(f"- id {key}: {reason}." for key, reason in notes.items())
    payload = {"sentences": [{"id": key, "text": text} for key, text in batch]}
    return "\n".join([*rules, SENTENCES_MARKER, json.dumps(payload, ensure_ascii=False)])


def estimate_request_tokens(
    batch: Sequence[tuple[str, str]],
    options: JobOptions,
    *,
    notes: Mapping[str, str] | None = None,
) -> int:
    """A slightly generous guess of one request's prompt + output tokens, before sending it.

    The rate limiter reserves this much of the tokens-per-minute budget, so it errs on the high
    side: the answer repeats every word plus a full stop, a capital and JSON quoting per piece.
    """
    prompt_chars = len(INSTRUCTIONS) + len(user_message(batch, options, notes=notes))
    limit = options.sentence_length_limit
    answer_chars = 16 + sum(
        len(text) + 24 + 6 * math.ceil(count_words(text) / limit) for _, text in batch
    )
    return estimate_tokens(prompt_chars) + estimate_tokens(answer_chars)
