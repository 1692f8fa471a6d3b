"""A name's apposition becomes « C'était … » after its clause (``appositions``), and where it
stays: a verb left out after « et », an apposition far from its name."""

from __future__ import annotations

import pytest

from tests.support.rewriting import rewrite


def test_an_apposition_ending_the_sentence_follows_as_c_etait() -> None:
    assert rewrite(
        "Il alla voir ce soir-là son vieil ami Tellier, le maître du Café Français."
    ) == [
        "Il alla voir ce soir-là son vieil ami Tellier.",
        "C'était le maître du Café Français.",  # a state: never « Ce fut »
    ]


@pytest.mark.parametrize(
    "source",
    [
        # « et Suzanne, le marquis »: the verb is left out, Suzanne is no marquis
        "Rose devait épouser, disait-on, le comte de Latour-Yvelin, et Suzanne, le marquis de "
        "Cazolles.",
        # « C'était le bedeau » after « elle entendit sonner l'Angelus » could be anyone
        "Un soir, elle venait de regarder Lestiboudois, le bedeau, qui taillait le buis, quand "
        "elle entendit tout à coup sonner l'Angelus.",
    ],
)
def test_an_apposition_that_would_name_the_wrong_one_stays(source: str) -> None:
    assert not any(
        p.startswith(("C'était le marquis", "C'était le bedeau")) for p in rewrite(source)
    )
