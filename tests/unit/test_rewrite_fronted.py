"""A circumstance opening the sentence follows its clause as « C'était … » (``fronted``), and the
openings that stay: locutions, « de », « parmi », « il y a », an inverted subject."""

from __future__ import annotations

import pytest

from tests.support.rewriting import rewrite


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (  # a date: the link follows the imperfect
            "Le 22 avril, Livingstone quittait cette petite station des bords du lac.",
            ["Livingstone quittait cette petite station des bords du lac.", "C'était le 22 avril."],
        ),
        (  # a time with a preposition after a simple past
            "Pendant cette journée, le novice fit jeter le loch toutes les demi-heures.",
            [
                "Le novice fit jeter le loch toutes les demi-heures.",
                "Ce fut pendant cette journée.",
            ],
        ),
    ],
)
def test_an_opening_circumstance_follows_its_clause(source: str, expected: list[str]) -> None:
    assert rewrite(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "Au fond, il ne demandait rien de plus que la paix de sa maison et de son jardin.",
        "De ses coups les plus terribles, il sort une caresse pour le genre humain.",
        "Parmi les fenêtres du village, il y en avait une encore plus souvent occupée.",
        "Un jour, le vieux marin regardait la mer grise depuis la falaise du cap.",
    ],
)
def test_an_opening_that_is_no_circumstance_to_set_apart_stays(source: str) -> None:
    opening = source.split(",")[0].lower()
    assert not any(p.endswith(f" {opening}.") for p in rewrite(source))


def test_a_moment_pointed_at_with_la_and_a_title_opening_the_clause() -> None:
    pieces = rewrite("Ce soir-là, M. Madeleine regardait longtemps la mer grise depuis sa fenêtre.")
    assert pieces[:2] == ["M. Madeleine regardait longtemps la mer grise.", "C'était ce soir-là."]


def test_a_participle_opening_the_sentence_describes_the_subject_pronoun() -> None:
    source = (
        "Couchée sur le dos, immobile et les yeux fixes, elle discernait vaguement les objets "
        "de la chambre."
    )
    assert rewrite(source) == [
        "Elle était couchée sur le dos, immobile et les yeux fixes.",
        "Elle discernait vaguement les objets de la chambre.",
    ]


def test_a_compared_list_keeps_its_verb_once() -> None:
    source = "Au fond, il ne demandait rien de plus que la paix de sa maison et de son jardin."
    assert not any(p.startswith("Il ne demandait rien de son") for p in rewrite(source))
