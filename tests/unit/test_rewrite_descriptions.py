"""A participle with its complement right after its noun; the second parse that finds it, and
a circumstance that parse misreads."""

from __future__ import annotations

import pytest

from frenchnovel.pipeline.nlp import SECOND, get_nlp
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.circumstances import circumstances
from frenchnovel.pipeline.rewrite.local import split
from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.syntax import Sentence
from frenchnovel.pipeline.rewrite.transforms import top_clause
from tests.support.rewriting import rewrite


def test_the_second_model_reads_the_verb_the_small_one_takes_for_a_noun() -> None:
    doc = get_nlp()("Un homme vêtu de noir entra tout à coup dans la cuisine.")
    assert doc[4].pos_ != "VERB"  # the small model alone finds no verb « entra » to cut at
    assert rewrite("Un homme vêtu de noir entra tout à coup dans la cuisine.") == [
        "Un homme entra tout à coup dans la cuisine.",
        "Il était vêtu de noir.",
    ]


def test_a_participle_ending_the_sentence_describes_its_noun_named_again() -> None:
    source = (
        "Des êtres humains avaient pris cette route, mais comme l'auraient suivie "
        "des troupeaux brutalement conduits vers l'abattoir."
    )
    pieces = split(source, get_nlp(SECOND)(source), JobOptions())  # as the second model reads it
    assert pieces[-1] == "Ces troupeaux étaient brutalement conduits vers l'abattoir."


@pytest.mark.parametrize(
    ("source", "wrong"),
    [
        # an adjective without a participle's ending: « des ondes » is the noun's
        ("Le soleil traversait d'un rayon les petits globules bleus des ondes.", "bleus des"),
        # an infinitive clause has no tense to say it in
        ("Avoir les pieds nus dans des souliers ferrés, voilà ce qui l'attendait.", "nus dans"),
    ],
)
def test_a_phrase_that_is_not_a_description_of_its_noun_stays_with_it(
    source: str, wrong: str
) -> None:
    assert not any(p.split()[1] in ("étaient", "sont") and wrong in p for p in rewrite(source))


def test_a_circumstance_that_holds_the_verbs_object_by_a_misparse_is_not_said_apart() -> None:
    source = "Le vieux jardinier arrosait avec sa cruche les grandes fleurs rouges du parterre."
    s = Sentence.of(get_nlp(SECOND)(source), source)  # « fleurs » read as « cruche »'s
    assert s.head[s.text.index("fleurs")] == s.text.index("cruche")
    everything = list(range(len(s)))
    assert not list(circumstances(s, Piece(everything, top_clause(s, everything))))
