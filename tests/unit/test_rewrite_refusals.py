"""Links and refusals found by reading: « car » opens no sentence, « personne ne » is a whole
negation, a subject written anew agrees with its verb, « et, » must open a clause."""

from __future__ import annotations

from frenchnovel.pipeline.nlp import get_nlp
from frenchnovel.pipeline.rewrite.continuity import disagrees, open_cc
from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.referents import Mention, mention
from frenchnovel.pipeline.rewrite.syntax import Sentence
from frenchnovel.pipeline.rewrite.transforms import top_clause
from tests.support.rewriting import rewrite


def test_car_becomes_en_effet_when_its_clause_is_a_sentence() -> None:
    source = "Il ne put rien dire de plus à sa femme, car, dans ce moment, la porte s'ouvrit."
    assert rewrite(source) == [
        "Il ne put rien dire de plus à sa femme.",
        "En effet, dans ce moment, la porte s'ouvrit.",
    ]


def test_personne_before_ne_completes_the_negation() -> None:
    source = (
        "Un assaut de sabre suivit, mais personne ne le regarda, car toute l'attention "
        "fut captivée par ce qui se passait au-dessus."
    )
    assert rewrite(source) == [
        "Un assaut de sabre suivit, mais personne ne le regarda.",
        "En effet, toute l'attention fut captivée par ce qui se passait au-dessus.",
    ]


def _piece(source: str, subject: Mention) -> tuple[Sentence, Piece]:
    s = Sentence.of(get_nlp()(source), source)
    everything = list(range(len(s)))
    piece = Piece(everything, top_clause(s, everything))
    piece.subject, piece.subject_at = subject, 0
    return s, piece


def test_a_subject_written_anew_must_agree_in_number_with_its_verb() -> None:
    s, piece = _piece("disparut avec elle.", Mention(0, "mp", "", personal="ils"))
    assert disagrees(s, piece)  # « Ils disparut »
    s, piece = _piece("n'étaient que des formes.", Mention(0, "ms", "Le vol"))
    assert disagrees(s, piece)  # « Il n'étaient »
    s, piece = _piece("disparurent avec elle.", Mention(0, "mp", "", personal="ils"))
    assert not disagrees(s, piece)
    s, piece = _piece("vient avec elle.", Mention(0, "mp", "", personal="ils"))
    assert not disagrees(s, piece)  # a present in « -ent » tells nothing


def test_a_conjunction_and_a_comma_with_no_clause_after_them_never_end_a_sentence() -> None:
    source = (
        "Une valse aussitôt commençait, et, sur l'orgue, dans un petit salon, des "
        "danseurs hauts comme le doigt, femmes en turban rose, Tyroliens en jaquette, "
        "singes en habit noir, messieurs en culotte courte, tournaient, tournaient entre "
        "les fauteuils, les canapés, les consoles, se répétant dans les morceaux de "
        "miroir que raccordait à leurs angles un filet de papier doré."
    )
    assert not any(p.endswith("sur l'orgue.") for p in rewrite(source))


def test_a_relative_of_a_demonstrative_pronoun_stays_with_it() -> None:
    source = (
        "Celui-ci leur raconta qu'il venait à Rouen passer deux ans dans une forte étude, afin "
        "de se rompre aux affaires, qui étaient différentes en Normandie de celles que l'on "
        "traitait à Paris."
    )
    assert rewrite(source)[-1].endswith("de celles que l'on traitait à Paris.")


def test_qui_without_its_verb_never_ends_a_piece() -> None:
    source = (
        "Elle s'empourprait peu à peu, les narines battaient vite, les lèvres frémissaient ; "
        "il y eut même un instant où Charles, plein d'une fureur sombre, fixa ses yeux contre "
        "Rodolphe qui, dans une sorte d'effroi, s'interrompit."
    )
    assert not any(p.endswith("dans une sorte d'effroi.") for p in rewrite(source))


def test_participles_sharing_the_main_auxiliary_are_no_description_nor_a_relatives() -> None:
    source = (
        "Il avait gardé les chandeliers de l'évêque, porté son deuil, appelé et interrogé "
        "tous les petits savoyards qui passaient, pris des renseignements sur les familles "
        "de Faverolles, et sauvé la vie au vieux Fauchelevent."
    )
    pieces = rewrite(source)
    assert not any(p.startswith(("Son deuil était", "Ils passaient")) for p in pieces)


def test_a_piece_never_opens_on_a_verb_whose_subject_went_elsewhere() -> None:
    source = (
        "Le plus vieux de ces noirs, -- il pouvait être âgé de soixante ans, -- fut bientôt "
        "en état de parler, et il put répondre en anglais aux questions qui lui furent adressées."
    )
    assert not any(p.startswith(("Fut", "Alors, fut")) for p in rewrite(source))


def test_the_object_after_a_purpose_set_off_by_commas_stays_with_its_verb() -> None:
    source = (
        "Mme de Marelle était pocharde, et elle le reconnaissait, avec une grâce gaie et bavarde "
        "de femme qui accentue, pour amuser ses convives, une pointe d'ivresse très réelle."
    )
    assert not any(
        p.endswith(", une pointe d'ivresse très réelle.") and p.startswith("C'")
        for p in rewrite(source)
    )


def test_a_plural_description_is_not_given_to_a_singular_noun() -> None:
    source = (
        "Un tumultueux besoin d'amour entra au cœur de Duroy, un besoin d'amours distinguées, "
        "parfumées, délicates."
    )
    assert not any(p.endswith("était délicates.") for p in rewrite(source))


def test_et_and_a_noun_phrase_that_is_its_verbs_subject_open_a_sentence() -> None:
    source = (
        "Deux avirons furent relevés, et deux matelots s'armèrent, ainsi que l'avait fait le "
        "capitaine, de longues lances, destinées à frapper l'animal."
    )
    assert rewrite(source)[0] == "Deux avirons furent relevés."


def test_a_subordinator_without_its_verb_never_ends_a_piece() -> None:
    source = (
        "Il tint quelque temps rigueur au premier, parce qu'ayant un commandement en Provence, "
        "le général s'était mis à la tête de douze cents hommes."
    )
    s = Sentence.of(get_nlp()(source), source)
    cut = s.text.index("général") - 2  # the comma before « le général »
    assert open_cc(s, Piece(list(range(cut)), 1))
    assert not open_cc(s, Piece(list(range(len(s))), 1))


def test_a_noun_named_again_leaves_an_adjective_that_has_a_complement() -> None:
    source = (
        "Dans un petit salon, des danseurs hauts comme le doigt tournaient entre les fauteuils."
    )
    s = Sentence.of(get_nlp()(source), source)
    assert mention(s, s.text.index("danseurs")).phrase == "ces danseurs"


def test_a_title_its_period_and_its_name_stay_together() -> None:
    source = (
        "Il convient de dire maintenant qu'aux divers motifs qui avaient poussé Mrs. Weldon à "
        "résister aux injonctions de Negoro, se joignait un autre motif, qui n'était pas sans "
        "valeur."
    )
    pieces = rewrite(source)
    assert not any(p.endswith("Mrs.") for p in pieces)
    assert all("Mrs. Weldon" in p for p in pieces if "Weldon" in p)


def test_a_present_in_oit_takes_c_est() -> None:
    source = "Pour peu qu'ils aient quelque talent, on les reçoit dans les meilleures sociétés."
    assert "C'est dans les meilleures sociétés." in rewrite(source)
