"""What the LLM engines send and which sentences they send."""

from __future__ import annotations

import json

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.llm import estimate_llm_tokens, needs_model, plan_batches
from frenchnovel.pipeline.rewrite.prompt import (
    INSTRUCTIONS,
    SENTENCES_MARKER,
    estimate_request_tokens,
    user_message,
)

SHORT = "Il pleuvait sur la ville."
LONG = "Elle prit son manteau, ouvrit la porte et sortit dans la nuit froide sans se retourner."
DIALOGUE = "« Je ne reviendrai jamais dans cette maison où tu m’as tant fait souffrir », dit-elle."


def test_the_message_carries_the_limits_and_every_sentence_with_its_id() -> None:
    options = JobOptions(sentence_length_limit=10, min_sentence_length=3)
    message = user_message([("0", LONG), ("1", DIALOGUE)], options)
    assert "at most 10 words" in message
    assert "at least 3 words" in message
    payload = json.loads(message.split(SENTENCES_MARKER, 1)[1])
    assert payload == {"sentences": [{"id": "0", "text": LONG}, {"id": "1", "text": DIALOGUE}]}


def test_a_sentence_sent_again_carries_the_reason_its_answer_was_refused() -> None:
    too_long = "piece over the limit: « Elle prit son manteau et ouvrit la porte » has 8 words"
    message = user_message([("0", LONG), ("1", DIALOGUE)], JobOptions(), notes={"0": too_long})
    rules, sentences = message.split(SENTENCES_MARKER, 1)
    assert f"- id 0: {too_long}." in rules
    assert "id 1" not in rules
    assert len(json.loads(sentences)["sentences"]) == 2
    assert "refused" not in user_message([("0", LONG)], JobOptions())


def test_the_switches_of_the_job_reach_the_message() -> None:
    keep = user_message([("0", LONG)], JobOptions(preserve_formatting=True, fix_hyphenation=True))
    plain = user_message(
        [("0", LONG)], JobOptions(preserve_formatting=False, fix_hyphenation=False)
    )
    assert "Keep French typography" in keep and "hyphenated" in keep
    assert "Keep French typography" not in plain and "hyphenated" not in plain


def test_the_instructions_name_the_natural_breaks_and_ask_for_every_id() -> None:
    for word in ("et, mais, donc, car, or", "qui, que", "exactly one item for every id"):
        assert word in INSTRUCTIONS


def test_only_sentences_over_the_limit_are_sent() -> None:
    options = JobOptions(sentence_length_limit=8)
    batches = plan_batches([SHORT, LONG, SHORT, LONG, LONG], options, batch_size=2)
    assert batches == [[(1, LONG), (3, LONG)], [(4, LONG)]]


def test_dialogue_is_not_sent_when_the_job_ignores_dialogue() -> None:
    assert needs_model(DIALOGUE, JobOptions())
    assert not needs_model(DIALOGUE, JobOptions(ignore_dialogue=True))
    assert needs_model(LONG, JobOptions(ignore_dialogue=True))


def test_a_job_of_short_sentences_is_estimated_at_nothing() -> None:
    assert estimate_llm_tokens([SHORT] * 50, JobOptions(), batch_size=20) == 0


def test_the_estimate_counts_each_request_once_and_grows_with_the_text_sent() -> None:
    options = JobOptions()
    one = estimate_llm_tokens([LONG], options, batch_size=20)
    assert one == estimate_request_tokens([("0", LONG)], options)
    assert estimate_llm_tokens([LONG, SHORT, SHORT], options, batch_size=20) == one
    batched = estimate_llm_tokens([LONG] * 20, options, batch_size=20)
    unbatched = estimate_llm_tokens([LONG] * 20, options, batch_size=1)
    assert one < batched < unbatched  # batching shares the instructions between sentences
