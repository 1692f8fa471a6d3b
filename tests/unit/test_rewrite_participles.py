"""Past participles coordinated under one auxiliary: each takes the subject and the auxiliary
again (``participles``); a negation, a bare list of participles and a participle with an
auxiliary of its own stay."""

from __future__ import annotations

import pytest

from tests.support.rewriting import rewrite


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Les soldats avaient passé la rivière pendant la nuit et laissé leurs bagages sur la "
            "rive !",
            [
                "Les soldats avaient passé la rivière pendant la nuit.",
                "Ils avaient laissé leurs bagages sur la rive !",
            ],
        ),
        (  # the reflexive clitic goes with the auxiliary; the participle keeps its agreement
            "Elle s'était levée de bonne heure et habillée en silence dans la chambre froide.",
            [
                "Elle s'était levée de bonne heure.",
                "Elle s'était habillée en silence dans la chambre froide.",
            ],
        ),
        (  # a list after commas, one sentence a participle
            "Ainsi il avait gardé les chandeliers de l'évêque, porté son deuil, et sauvé la vie au "
            "vieux Fauchelevent.",
            [
                "Ainsi il avait gardé les chandeliers de l'évêque.",
                "Il avait porté son deuil.",
                "Il avait sauvé la vie au vieux Fauchelevent.",
            ],
        ),
        (  # the closing quote ends the last sentence, not the first
            "Si vous m'aviez raconté plus tôt votre crainte, je vous aurais rassuré et engagé au "
            "contraire à venir le plus possible. »",
            [
                "Si vous m'aviez raconté plus tôt votre crainte, je vous aurais rassuré.",
                "Je vous aurais engagé au contraire à venir le plus possible. »",
            ],
        ),
    ],
)
def test_each_participle_takes_the_subject_and_the_auxiliary_again(
    source: str, expected: list[str]
) -> None:
    assert rewrite(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "Il n'avait pas vu la lettre de sa mère ni entendu les cris des enfants.",
        "Après quoi j'ai été chassé, traqué, poursuivi, persécuté, noirci, raillé, maudit.",
    ],
)
def test_a_negation_or_a_bare_list_of_participles_stays_whole(source: str) -> None:
    assert rewrite(source) == [source]
