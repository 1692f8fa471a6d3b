"""The full-form lexicon that sets right the finite verbs spaCy misreads, on French examples."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from frenchnovel.pipeline import verbforms
from frenchnovel.pipeline.nlp import get_nlp
from frenchnovel.pipeline.verbforms import (
    build,
    finite_verb,
    is_finite,
    is_subject_pronoun,
    may_be_finite_verb,
    never_finite,
    subject,
)


@pytest.mark.parametrize(
    "word", ["mangea", "approuve", "traversa", "soulève", "Allez", "éclataient", "remarquèrent"]
)
def test_a_form_that_is_only_a_finite_verb_is_one(word: str) -> None:
    assert finite_verb(word)
    assert may_be_finite_verb(word)


@pytest.mark.parametrize(
    ("word", "why"),
    [
        ("porte", "a door far more often than « il porte »"),
        ("dispenses", "mostly a noun in books"),
        ("zèbre", "the animal"),
        ("dit", "also the participle of « il a dit »"),
        ("mis", "a participle too"),
        ("tâtons", "the noun of « à tâtons », a multiword entry"),
    ],
)
def test_a_form_with_other_common_readings_is_only_possibly_finite(word: str, why: str) -> None:
    assert not finite_verb(word), why
    assert may_be_finite_verb(word), why


@pytest.mark.parametrize("word", ["maison", "respectueusement", "marchant", "Tu"])
def test_a_word_without_a_finite_reading_is_never_one(word: str) -> None:
    assert not finite_verb(word)
    assert not may_be_finite_verb(word)
    assert never_finite(word)


def test_punctuation_and_unknown_names_are_told_apart() -> None:
    assert never_finite("«")
    assert not never_finite("Coïmbra")  # not in the lexicon: the tagger keeps the last word


@pytest.mark.parametrize("word", ["Tu", "il", "-il", "Elles", "on"])
def test_subject_clitics_are_recognised_whatever_their_case_or_hyphen(word: str) -> None:
    assert is_subject_pronoun(word)


def test_the_sets_are_built_from_the_lexicon_rows_by_frequency_in_books() -> None:
    rows = [
        ("porte", "NOM", "536,96", ""),
        ("porte", "VER", "79,05", '"imp:pre:2s;ind:pre:1s;ind:pre:3s;"'),
        ("mangea", "VER", "5,54", '"ind:pas:3s;"'),
        ("dit", "VER", "2601,62", '"ind:pre:3s;ind:pas:3s;par:pas;"'),
        ("est", "AUX", "1500", '"ind:pre:3s;"'),
        ("est", "NOM", "49,73", ""),
        ("zébrassent", "VER", "0", '"sub:imp:3p;"'),
        ("maison", "NOM", "400", ""),
        ("tâtons", "VER", "0", '"imp:pre:1p;ind:pre:1p;"'),
        ("à tâtons", "ADV", "7,5", ""),
    ]
    forms = build(rows)
    assert forms.finite == {"mangea", "est", "zébrassent"}
    assert forms.possible == {"porte", "mangea", "dit", "est", "zébrassent", "tâtons"}
    assert forms.never == {"maison", "à"}


def test_the_sets_are_cached_on_disk_and_read_back_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    verbforms.verb_forms.cache_clear()
    try:
        built = verbforms.verb_forms()
        (cached,) = (tmp_path / "frenchnovel").glob("verbforms-*.txt")
        verbforms.verb_forms.cache_clear()
        assert verbforms.verb_forms() == built
        assert "traversa" in built.finite and cached.stat().st_size < 2_500_000
    finally:
        verbforms.verb_forms.cache_clear()


@dataclass(eq=False)
class FakeMorph:
    fields: dict[str, list[str]] = field(default_factory=dict)

    def get(self, name: str) -> list[str]:
        return self.fields.get(name, [])


@dataclass(eq=False)
class FakeToken:
    """A token of a made-up parse: ``head`` None means the root (its own head)."""

    text: str
    pos_: str
    dep_: str = "dep"
    verb_form: str = ""
    doc: list[FakeToken] = field(default_factory=list, repr=False)
    head_index: int | None = None
    i: int = 0

    @property
    def head(self) -> FakeToken:
        return self if self.head_index is None else self.doc[self.head_index]

    @property
    def children(self) -> Iterator[FakeToken]:
        return (t for t in self.doc if t.head_index == self.i and t is not self)

    @property
    def is_sent_start(self) -> bool:
        return self.i == 0

    @property
    def morph(self) -> FakeMorph:
        return FakeMorph({"VerbForm": [self.verb_form]} if self.verb_form else {})

    def nbor(self, i: int = 1) -> FakeToken:
        if not 0 <= self.i + i < len(self.doc):
            raise IndexError(i)
        return self.doc[self.i + i]


def parse(*tokens: tuple[str, str, str, int | None]) -> list[FakeToken]:
    """A sentence from (text, pos, dep, head index) tuples; « VERB:Fin » sets VerbForm."""
    doc: list[FakeToken] = []
    for i, (text, pos, dep, head) in enumerate(tokens):
        pos, _, form = pos.partition(":")
        doc.append(FakeToken(text, pos, dep, form, doc, head, i))
    return doc


def test_a_verb_read_as_an_adjective_of_its_subject_is_set_right() -> None:
    # « Votre robe soulève l'air. » as a parse that makes « soulève » an adjective of « robe ».
    doc = parse(
        ("Votre", "DET", "det", 1),
        ("robe", "NOUN", "ROOT", None),
        ("soulève", "ADJ", "amod", 1),
        ("l'", "DET", "det", 4),
        ("air", "NOUN", "nmod", 1),
        (".", "PUNCT", "punct", 1),
    )
    assert is_finite(doc[2])
    found = subject(doc[2])
    assert found is not None and found.text == "robe"


def test_a_capitalised_name_inside_the_sentence_stays_a_name() -> None:
    # « dit Bat » : « bat » is a form of « battre », but here a man's name.
    doc = parse(("dit", "VERB:Fin", "ROOT", None), ("Bat", "PROPN", "nsubj", 0))
    assert is_finite(doc[0])
    assert not is_finite(doc[1])


def test_a_sentence_opening_a_is_a_without_its_accent() -> None:
    doc = parse(("A", "ADP", "case", 1), ("midi", "NOUN", "ROOT", None))
    assert not is_finite(doc[0])


def test_a_word_tagged_finite_that_the_lexicon_knows_otherwise_is_not_a_verb() -> None:
    doc = parse(
        ("Javert", "PROPN", "nsubj", 1),
        ("salua", "VERB:Fin", "ROOT", None),
        ("respectueusement", "VERB:Fin", "advmod", 1),
        ("Emma", "AUX:Fin", "obj", 1),
    )
    assert [is_finite(t) for t in doc] == [False, True, False, False]


def test_a_coordinated_verb_shares_the_subject_of_the_first() -> None:
    # « Emma goûtait cet amour et tremblait »
    doc = parse(
        ("Emma", "PROPN", "nsubj", 1),
        ("goûtait", "VERB:Fin", "ROOT", None),
        ("cet", "DET", "det", 3),
        ("amour", "NOUN", "obj", 1),
        ("et", "CCONJ", "cc", 5),
        ("tremblait", "VERB:Fin", "conj", 1),
    )
    found = subject(doc[5])
    assert found is not None and found.text == "Emma"


def test_the_subject_of_an_auxiliary_hangs_on_its_participle() -> None:
    # « Quelqu'un avait vu sa soeur »
    doc = parse(
        ("Quelqu'un", "PRON", "nsubj", 2),
        ("avait", "AUX:Fin", "aux:tense", 2),
        ("vu", "VERB:Part", "ROOT", None),
    )
    found = subject(doc[1])
    assert found is not None and found.text == "Quelqu'un"


def test_a_clitic_joined_after_the_verb_is_its_subject() -> None:
    # « Non ! pensa-t-il », with the clitic parsed as an object.
    doc = parse(
        ("Non", "INTJ", "discourse", 2),
        ("!", "PUNCT", "punct", 0),
        ("pensa", "VERB:Fin", "ROOT", None),
        ("-t", "PART", "dep", 2),
        ("-il", "PRON", "obj", 2),
    )
    found = subject(doc[2])
    assert found is not None and found.text == "-il"


def test_an_imperative_has_no_subject() -> None:
    doc = parse(("Ayez", "AUX:Fin", "ROOT", None), ("courage", "NOUN", "obj", 0))
    assert is_finite(doc[0]) and subject(doc[0]) is None


@pytest.mark.parametrize(
    ("sentence", "verbs"),
    [
        (
            "Les petites baies de carton éclataient, les fils d'archal se tordaient.",
            {"éclataient", "tordaient"},  # « éclataient » read as an adverb
        ),
        (
            "Elle approuve ce choix, traversa la rue et mangea une pomme.",
            {"approuve", "traversa", "mangea"},  # a noun and an infinitive
        ),
        ("Allez ! allez ! monsieur Homais.", {"Allez", "allez"}),  # a name and a noun
        ("Tu manges.", {"manges"}),  # « Tu » a preposition, « manges » a noun
    ],
)
def test_the_engines_parse_set_right_finds_every_finite_verb(
    sentence: str, verbs: set[str]
) -> None:
    doc = get_nlp()(sentence)
    assert {t.text for t in doc if is_finite(t)} == verbs


def test_a_verb_the_parse_left_alone_takes_the_subject_clitic_before_it() -> None:
    doc = get_nlp()("Tu manges.")
    found = subject(doc[1])
    assert found is not None and found.text == "Tu"


def test_the_commonest_verbs_know_their_infinitive() -> None:
    assert verbforms.lemmas_of("allait") == {"aller"}
    assert verbforms.lemmas_of("Suis") == {"être", "suivre"}
    assert verbforms.lemmas_of("maison") == frozenset()


@pytest.mark.parametrize(
    ("word", "past"), [("répondit", True), ("prit", True), ("vint", True), ("dit", False)]
)
def test_a_simple_past_in_it_is_told_from_a_present(word: str, past: bool) -> None:
    assert verbforms.simple_past(word) is past
