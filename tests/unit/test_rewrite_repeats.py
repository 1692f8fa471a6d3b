"""A complement the verb does without takes the subject and the verb again (``repeats``), the
object written as « le / la / les »; and the refusals that keep the meaning: a negation, a phrase
that may be a noun's, a participle that would have to agree, a first sentence that would say
nothing, an object the parse did not see, another verb the complement may belong to."""

from __future__ import annotations

import pytest

from tests.support.rewriting import rewrite


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (  # a masculine object: « le »
            "Madeleine regardait son mari avec stupeur, sans rien comprendre à cette colère "
            "subite.",
            [
                "Madeleine regardait son mari avec stupeur.",
                "Elle le regardait sans rien comprendre à cette colère subite.",
            ],
        ),
        (  # a feminine object: « la »; a gerund or « sans » needs no comma
            "Le vieux notaire guignait la propriété du voisin sans faire connaître son prix.",
            [
                "Le vieux notaire guignait la propriété du voisin.",
                "Il la guignait sans faire connaître son prix.",
            ],
        ),
        (  # a place set off by a comma
            "Le jeune homme porte toujours un grand couteau, dans sa poche de velours.",
            [
                "Le jeune homme porte toujours un grand couteau.",
                "Il le porte dans sa poche de velours.",
            ],
        ),
        (  # between the verb and its object, a complement can only be the verb's: no comma
            "Le vieux jardinier arrosait avec sa cruche les grandes fleurs rouges du parterre.",
            [
                "Le vieux jardinier arrosait les grandes fleurs rouges du parterre.",
                "Il les arrosait avec sa cruche.",
            ],
        ),
        (  # no object: the verb and its clitic again
            "Alors elle s'assit sur un banc de pierre, à l'ombre des grands ormes.",
            [
                "Alors elle s'assit sur un banc de pierre.",
                "Elle s'assit à l'ombre des grands ormes.",
            ],
        ),
    ],
)
def test_a_complement_takes_the_subject_the_verb_and_the_object_again(
    source: str, expected: list[str]
) -> None:
    assert rewrite(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        # a negation repeated would say two things
        "Elle ne regardait pas son mari avec stupeur, sans rien comprendre à cette colère subite.",
        # no comma: « sur les assiettes » may be the fork's, not the hearing's
        "On entendait le cliquetis des fourchettes sur les assiettes dans la salle à manger.",
        # « Il l'avait gardée »: the participle would have to agree with the pronoun
        "Le vieux notaire avait gardé la propriété du château, sans faire connaître son prix.",
        # « Il arrivait. Il arrivait dans le jardin. »: the first would say nothing
        "Pendant tout l'hiver, trois ou quatre fois la semaine, il arrivait dans le jardin.",
        # the object comes after the complement: « Elle confondait dans son désir. »
        "Elle confondait, dans son désir, les sensualités du luxe avec les joies du cœur.",
        # another verb stands between: the council meets before the session, not the lunch
        "Il déjeunait à dix heures, le conseil devant se réunir à midi, avant la réouverture du "
        "Parlement.",
        # « du vinaigre » is a partitive object, « Elle but pour … » would lose it
        "Dès lors, la pauvre femme but du vinaigre, pour se faire maigrir un peu.",
        # « rester » needs what follows: « Elle restait des journées entières. » breaks off
        "Elle restait à présent des journées entières, sans s'habiller ni se coiffer.",
        # « commençait » needs its infinitive: « Elle commençait dans la chambre » says nothing
        "La cuvette commençait à trembler aux mains de Justin, dans la chambre obscure.",
    ],
)
def test_a_complement_stays_where_the_repetition_would_change_what_is_said(source: str) -> None:
    assert rewrite(source) == [source]


def test_a_complement_left_as_punctuation_by_an_earlier_transformation_is_passed_over() -> None:
    # « où l'herbe a dessiné … » taken away first leaves its noun's commas alone in the piece
    source = (
        "Le petit cimetière qui l'entoure, clos d'un mur à hauteur d'appui, est si bien rempli de "
        "tombeaux, que les vieilles pierres à ras du sol font un dallage continu, où l'herbe a "
        "dessiné de soi-même des carrés verts réguliers."
    )
    assert len(rewrite(source)) >= 2
