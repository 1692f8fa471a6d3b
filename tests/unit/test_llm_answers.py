"""Checking a model's answers: what is accepted, what is sent again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.answers import check_pieces, invented_words, judge

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


def test_a_piece_over_the_limit_is_refused_with_the_piece_named() -> None:
    pieces = ["Le vieux marin s’assit sur le banc du port et regarda la mer.", "Elle était grise."]
    assert check_pieces(SOURCE, pieces, OPTIONS) == (
        "piece over the limit: « Le vieux marin s’assit sur le banc du port et regarda la mer. »"
        " has 13 words, more than 10"
    )


def test_a_piece_under_the_minimum_is_refused() -> None:
    options = JobOptions(sentence_length_limit=8, min_sentence_length=3)
    pieces = ["Le vieux marin s’assit sur le banc.", "Du port.", "Il regarda la mer grise."]
    assert check_pieces(SOURCE, pieces, options) == "piece under the minimum"


def test_invented_words_beyond_the_tolerance_are_refused_and_named() -> None:
    pieces = ["Le marin fatigué contemplait tristement l’océan.", "Un navire passait au loin."]
    assert check_pieces(SOURCE, pieces, OPTIONS) == (
        "words not in the source: fatigué, contemplait, tristement, océan, navire, passait, loin"
    )


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


# The small words an editor adds so that each piece stands alone: « il y avait », « voici »,
# « c'étaient », the determiners and pronouns that point back (« cette », « celui », « certaines »)
# and the links between pieces (« alors », « en effet », « pourtant », « donc », « aussi »).
STANDS_ALONE = [
    (
        "Sur l’orgue, dans un petit salon, des danseurs tournaient entre les fauteuils.",
        [
            "Il y avait un petit salon sur l’orgue.",
            "Des danseurs y tournaient.",
            "C’était entre les fauteuils.",
        ],
    ),
    (
        "La diligence de Rouen, avec ses trois chevaux, arrivait enfin devant l’auberge.",
        [
            "Voici la diligence de Rouen.",
            "Elle avait ses trois chevaux.",
            "Voilà qu’elle arrivait enfin devant l’auberge.",
        ],
    ),
    (
        "Quelques voyageurs, des femmes surtout, dormaient sur les banquettes de la salle.",
        [
            "Quelques voyageurs dormaient.",
            "Certaines étaient des femmes surtout.",
            "Ces voyageurs étaient sur les banquettes.",
            "Celles-là étaient celles de la salle.",
        ],
    ),
    (
        "Comme il pleuvait depuis le matin, le capitaine resta au port malgré les ordres.",
        [
            "Il pleuvait depuis le matin.",
            "Alors le capitaine resta au port.",
            "Il y resta pourtant malgré les ordres.",
        ],
    ),
    (
        "Le docteur, qui connaissait bien la famille, devina aussitôt la cause du mal.",
        [
            "Le docteur connaissait bien la famille.",
            "En effet, il devina aussitôt.",
            "Il devina donc la cause du mal.",
            "Cette cause était aussi celle du mal.",
        ],
    ),
]


@pytest.mark.parametrize(("source", "pieces"), STANDS_ALONE)
def test_the_small_words_that_make_a_piece_stand_alone_are_allowed(
    source: str, pieces: list[str]
) -> None:
    assert invented_words(source, pieces) == []
    assert check_pieces(source, pieces, JobOptions()) is None


def test_a_negation_of_the_source_may_be_repeated_in_each_piece() -> None:
    source = "Le vieil homme ne mangeait ni ne buvait depuis la mort de sa femme."
    pieces = ["Le vieil homme ne mangeait pas.", "Il ne buvait pas.", "Sa femme était morte."]
    assert invented_words(source, pieces) == ["morte"]  # « mort » is too short to have forms
    assert check_pieces(source, pieces, JobOptions()) is None


def test_a_negation_the_source_does_not_hold_counts_as_invented() -> None:
    source = "Le vieil homme mangeait et buvait depuis la mort de sa femme."
    pieces = [
        "Le vieil homme ne mangeait pas.",
        "Il ne buvait pas.",
        "C’était depuis la mort de sa femme.",
    ]
    assert check_pieces(source, pieces, JobOptions()) == "words not in the source: ne, pas"


def test_a_source_word_in_another_form_is_the_sources_word() -> None:
    source = "Aucun indice n’indiquait que cette région fût visitée par des chasseurs."
    pieces = [
        "Aucune trace ne le montrait.",
        "Aucun indice ne l’indiquait.",
        "Cette région n’avait pas de visites de chasseurs.",
    ]
    assert check_pieces(source, pieces, JobOptions()) is None


def test_words_that_only_begin_alike_are_not_the_same_word() -> None:
    source = "La comtesse contemplait la campagne depuis la terrasse du château."
    pieces = [
        "La comtesse contenait sa colère.",
        "Elle comptait les moutons de la campagne.",
        "Elle était sur la terrasse du château.",
    ]
    assert check_pieces(source, pieces, JobOptions()) == (
        "words not in the source: contenait, colère, comptait, moutons, sur"
    )


def test_the_editors_rewrites_of_the_dev_sentences_are_all_accepted(corpus: Path) -> None:
    """The reference rewrites of ``rewrite_dev``: what a good answer looks like at 8 words."""
    references = json.loads((corpus / "rewrite_dev" / "references.json").read_text())
    refused = {
        item["id"]: problem
        for item in references
        if (problem := check_pieces(item["source"], item["reference"], JobOptions()))
    }
    assert len(references) == 100
    assert refused == {}
