"""Checking a model's answers: what is accepted, what is sent again."""

from __future__ import annotations

import json

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.answers import check_pieces, judge

SOURCE = "Le vieux marin s’assit sur le banc du port et regarda longtemps la mer grise."
GOOD = ["Le vieux marin s’assit sur le banc du port.", "Il regarda longtemps la mer grise."]
OPTIONS = JobOptions(sentence_length_limit=10)


def _answer(items: dict[str, list[str]]) -> str:
    return json.dumps({"items": [{"id": k, "pieces": v} for k, v in items.items()]})


def test_a_faithful_rewrite_is_accepted() -> None:
    verdict = judge(_answer({"0": GOOD}), {"0": SOURCE}, OPTIONS)
    assert verdict.accepted == {"0": GOOD}
    assert verdict.refused == {}


def test_an_id_the_model_left_out_is_refused_and_the_others_kept() -> None:
    verdict = judge(_answer({"1": GOOD}), {"0": SOURCE, "1": SOURCE}, OPTIONS)
    assert verdict.accepted == {"1": GOOD}
    assert verdict.refused == {"0": "missing id"}


def test_an_answer_that_is_not_json_refuses_every_id() -> None:
    verdict = judge('{"items": [{"id": "0", "pie', {"0": SOURCE, "1": SOURCE}, OPTIONS)
    assert set(verdict.refused) == {"0", "1"}
    assert verdict.accepted == {}


def test_json_of_the_wrong_shape_is_malformed() -> None:
    for text in ("[]", '{"items": 3}', "null", ""):
        assert judge(text, {"0": SOURCE}, OPTIONS).refused == {"0": "malformed answer"}


def test_a_piece_over_the_limit_is_refused() -> None:
    assert check_pieces(SOURCE, [SOURCE], OPTIONS) == "piece over the limit"


def test_a_piece_under_the_minimum_is_refused() -> None:
    options = JobOptions(sentence_length_limit=8, min_sentence_length=3)
    pieces = ["Le vieux marin s’assit sur le banc.", "Du port.", "Il regarda la mer grise."]
    assert check_pieces(SOURCE, pieces, options) == "piece under the minimum"


def test_invented_words_beyond_the_tolerance_are_refused() -> None:
    pieces = ["Le marin fatigué contemplait tristement l’océan.", "Un navire passait au loin."]
    assert check_pieces(SOURCE, pieces, OPTIONS) == "words not in the source"


def test_pronouns_and_auxiliaries_that_make_a_clause_stand_alone_are_allowed() -> None:
    pieces = ["Le vieux marin s’assit sur le banc du port.", "Puis il regarda la mer grise."]
    assert check_pieces(SOURCE, pieces, OPTIONS) is None


def test_a_rewrite_that_drops_half_the_sentence_is_refused() -> None:
    assert check_pieces(SOURCE, ["Le vieux marin s’assit."], OPTIONS) == (
        "too much of the source left out"
    )


def test_empty_pieces_are_refused() -> None:
    assert check_pieces(SOURCE, [], OPTIONS) == "empty piece"
    assert check_pieces(SOURCE, [*GOOD, " "], OPTIONS) == "empty piece"


def test_json_fenced_like_markdown_is_still_read() -> None:
    fenced = "```json\n" + _answer({"0": GOOD}) + "\n```"
    assert judge(fenced, {"0": SOURCE}, OPTIONS).accepted == {"0": GOOD}
