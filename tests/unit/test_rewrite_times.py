"""Time clauses after their main clause, the past anterior, and the refusals found by reading:
a noun read as an infinitive, a bare « avoir », a circumstance inside a subordinate clause, a
name made a demonstrative, a description given to the wrong gender."""

from __future__ import annotations

import pytest

from tests.support.rewriting import rewrite


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Ses allures avaient visiblement changé depuis que le naufrage du Pilgrim l'avait "
            "jeté sur ce littoral.",
            [
                "Le naufrage du Pilgrim l'avait jeté sur ce littoral.",
                "Depuis, ses allures avaient visiblement changé.",
            ],
        ),
        (
            "Il partit pour la ville voisine dès que le jour parut à l'horizon.",
            ["Le jour parut à l'horizon.", "Aussitôt, il partit pour la ville voisine."],
        ),
        (
            "Le vieux marin dormait encore dans sa cabine quand on frappa à la porte.",
            ["Le vieux marin dormait encore dans sa cabine.", "Alors, on frappa à la porte."],
        ),
    ],
)
def test_what_happened_first_comes_first(source: str, expected: list[str]) -> None:
    assert rewrite(source) == expected


def test_a_past_anterior_alone_becomes_the_pluperfect() -> None:
    pieces = rewrite("Il sortit de la maison quand la pluie eut cessé de tomber.")
    assert pieces == ["La pluie avait cessé de tomber.", "Alors, il sortit de la maison."]
    pieces = rewrite("Dès qu'il eut fini son repas, il sortit dans le jardin pour fumer.")
    assert pieces[0] == "Il avait fini son repas."


@pytest.mark.parametrize(
    "source",
    [
        "Il lui demanda doucement quand elle comptait partir pour Paris.",  # a question
        "Ils s'en revenaient à la nuit close, quand il n'y avait plus de lumière sur la Place.",
        "— Ça prouve que tu m'as plu, et que nous recommencerons quand ça te dira.",
    ],
)
def test_a_time_clause_that_belongs_elsewhere_stays(source: str) -> None:
    assert not any(p.startswith(("Alors", "Ça te dira", "Il n'y avait")) for p in rewrite(source))


def test_a_noun_in_oir_is_no_infinitive_of_purpose() -> None:
    pieces = rewrite("Le lac avait pour déversoir une petite rivière qui coulait vers le sud.")
    assert not any(p.startswith("C'était pour") for p in pieces)
    assert pieces[0] == "Le lac avait pour déversoir une petite rivière."


def test_a_circumstance_inside_a_subordinate_clause_stays_there() -> None:
    source = (
        "Ses allures avaient visiblement changé depuis que le naufrage du Pilgrim l'avait "
        "jeté sur ce littoral."
    )
    assert "C'était sur ce littoral." not in rewrite(source)


def test_what_is_seen_somewhere_takes_a_pronoun_of_the_lexicons_gender() -> None:
    pieces = rewrite("Il aperçut des marrons glacés dans une coupe de cristal.")
    assert pieces[0] == "Il aperçut des marrons glacés."
    assert pieces[1] in (
        "Ils étaient dans une coupe de cristal.",
        "Ces marrons étaient dans une coupe de cristal.",
    )


def test_a_name_is_named_again_without_a_demonstrative() -> None:
    pieces = rewrite(
        "Après dix minutes d'attente, il vit sortir Madeleine qui remonta vers les "
        "boulevards extérieurs."
    )
    assert "Madeleine remonta vers les boulevards extérieurs." in pieces


def test_a_description_of_the_other_gender_is_not_given_to_the_noun() -> None:
    pieces = rewrite(
        "Dick Sand et ses compagnons, une fois embarqués sur un solide radeau, bien armés, "
        "se trouveraient dans de meilleures conditions pour se défendre."
    )
    assert not any(p.startswith("Cette fois") for p in pieces)


def test_a_verb_the_tagger_read_as_a_name_still_takes_its_subject_again() -> None:
    pieces = rewrite(
        "Elle s'assit sur ses genoux, le caressa, roucoula, fit une longue énumération de "
        "toutes les choses indispensables prises à crédit."
    )
    assert pieces[:3] == ["Elle s'assit sur ses genoux.", "Elle le caressa.", "Elle roucoula."]


def test_nous_before_its_own_person_of_the_verb_opens_a_clause() -> None:
    pieces = rewrite(
        "Eh bien, monsieur le commissaire, j'ai une voiture en bas, nous pouvons prendre les "
        "agents."
    )
    assert pieces[-1] == "Nous pouvons prendre les agents."


def test_an_inverted_subject_after_a_fronted_place_is_a_clause() -> None:
    pieces = rewrite(
        "Dans le nord, à un quart de mille du lieu d'échouage, se creusait l'embouchure d'une "
        "petite rivière, qui n'avait pu être aperçue du large."
    )
    assert pieces[-1] == "L'embouchure n'avait pu être aperçue du large."


def test_a_preposition_that_is_a_noun_after_its_determiner_ends_a_sentence() -> None:
    pieces = rewrite(
        "L'opinion générale était que M. Charles Loyson serait le génie du siècle; l'envie "
        "commençait à le mordre, signe de gloire; et l'on faisait sur lui ce vers:"
    )
    assert pieces[-1] == "L'on faisait sur lui ce vers."  # a stop, as every piece ends


def test_the_colon_that_opens_speech_becomes_a_stop_on_the_clause_that_introduces_it() -> None:
    pieces = rewrite(
        "Rodolphe s'était rapproché d'Emma, et il disait d'une voix basse, en parlant vite :"
    )
    assert pieces == [
        "Rodolphe s'était rapproché d'Emma.",
        "Il disait d'une voix basse, en parlant vite.",
    ]


def test_a_noun_after_a_participle_is_no_subject() -> None:
    pieces = rewrite("Puis, trouvant froide son étreinte, elle le considéra et demanda :")
    assert pieces == ["Puis, trouvant froide son étreinte, elle le considéra.", "Elle demanda."]


def test_a_qui_the_parse_missed_still_becomes_lui() -> None:
    pieces = rewrite(
        "Il y avait en Westphalie, dans le château de M. le baron de Thunder-ten-tronckh, un "
        "jeune garçon à qui la nature avait donné les mœurs les plus douces."
    )
    assert pieces[-1] == "La nature lui avait donné les mœurs les plus douces."
