"""How someone holds themselves, set off by commas (« , le front haut, »), becomes « il avait … »
with the clause's subject; and where it stays: a list of things, a phrase that names (« le bras
de son père »), a run that « et » carries on."""

from __future__ import annotations

import pytest

from tests.support.rewriting import rewrite


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Il avait passé froidement, le front haut, la lèvre dédaigneuse.",
            [
                "Il avait passé froidement.",
                "Il avait le front haut.",
                "Il avait la lèvre dédaigneuse.",
            ],
        ),
        (  # a feminine subject, and what the phrase describes at length
            "Elle souriait délicieusement, le visage illuminé d'une bonté douce.",
            ["Elle souriait délicieusement.", "Elle avait le visage illuminé d'une bonté douce."],
        ),
        (  # a name: « il » after it, the clause's subject
            "Charles dormait à demi, le dos appuyé contre une porte.",
            ["Charles dormait à demi.", "Il avait le dos appuyé contre une porte."],
        ),
        (  # the phrases leave the clause with the commas before them, and the rest stays
            "Il se mit à marcher, sans penser, le journal à la main, le chapeau sur le côté, avec "
            "une envie d'arrêter les passants.",
            [
                "Il se mit à marcher, sans penser, avec une envie d'arrêter les passants.",
                "Il avait le journal à la main.",
                "Il avait le chapeau sur le côté.",
            ],
        ),
    ],
)
def test_an_absolute_phrase_becomes_il_avait(source: str, expected: list[str]) -> None:
    assert rewrite(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        # a list of things the verb takes, no bearing
        "Il ferma les yeux, la bouche, les oreilles de son âme à tout cela.",
        # « et » carries the run on: « Les bêtes étaient là, et alignant … » would be no sentence
        "Les bêtes étaient là, le nez tourné vers la ficelle, et alignant confusément leurs "
        "croupes inégales.",
    ],
)
def test_an_absolute_phrase_stays_where_it_is_no_bearing(source: str) -> None:
    assert not any(
        " avait le" in p or " avait la" in p or " avait les" in p for p in rewrite(source)
    )


def test_a_bearing_with_a_place_in_it_is_rewritten_without_failing() -> None:
    # the new sentence's clause is written anew: later transformations must not look for its verb
    pieces = rewrite(
        "À neuf heures, il attendait sa maîtresse, les pieds au feu dans le petit salon."
    )
    assert pieces[:2] == ["À neuf heures, il attendait sa maîtresse.", "Il avait les pieds au feu."]
