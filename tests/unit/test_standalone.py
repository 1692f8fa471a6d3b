"""The mechanical checks of one short sentence read alone: French examples that pass and fail."""

from __future__ import annotations

import pytest

from frenchnovel.pipeline.standalone import Reason, Verdict, check

NO_CLAUSE = Reason.NO_CLAUSE
OPENING = Reason.SUBORDINATE_OPENING
DANGLING = Reason.DANGLING_END
NE = Reason.NE_ALONE

STAND_ALONE = [
    # a finite verb with its subject
    "Il y avait en Westphalie, dans le château, un jeune garçon.",
    "La mairie est une manière de temple grec.",
    "C'est un architecte de Paris.",
    "Puis on distinguait à peine ceux qui suivaient.",
    "Quand il arriva, elle partit.",
    "Mais le baron, qui était un des plus puissants seigneurs, mangea.",
    # the parser reads these verbs as nouns or « Tu » as a determiner: the word endings decide
    "Candide traversa la rivière.",
    "Ses pieds nus en sortaient.",
    "Léon, immobile, la regardait.",
    "Mais personne ne le regarda.",
    "Le sol reprit une dureté suffisante.",
    "Tu viendras demain.",
    "Il en prit un.",
    # an imperative, an inverted subject, a presentative
    "Regardez la mer.",
    "Prends-le.",
    "Va-t'en.",
    "« Venez ici », dit-il.",
    "Viendra-t-on ?",
    "Voilà la maison.",
    # questions and exclamations, with or without a verb
    "Qui est là ?",
    "Comme elle était belle !",
    "En liberté !",
    # « ne » with its second part, before or after it, or literary « ne » alone
    "Il ne mange que du pain.",
    "Personne ne vint.",
    "Il ne se mêla aucunement à la conversation.",
    "Je ne sais.",
    "Il n'avait pu le prouver.",
    "Il partit avant qu'elle ne revînt.",
    # last words that look like prepositions or articles but are not here
    "Elle pensait à lui.",
    "On faisait sur lui ce vers.",
    "Ils voulurent le leur.",
    "Il y en avait un.",
]

FRAGMENTS = [
    # the Candide rows of the issue
    ("De M. le baron de Thunder-ten-tronckh.", {NO_CLAUSE}),
    ("Un jeune garçon à qui la nature.", {NO_CLAUSE}),
    ("Le baron et d'un bon et honnête.", {NO_CLAUSE}),
    ("Gentilhomme du voisinage, que cette demoiselle ne voulut.", {NO_CLAUSE, NE}),
    ("Jamais épouser parce qu'il n'avait pu prouver.", {NO_CLAUSE}),
    # other cuts the readers saw
    ("Au bout duquel pendait.", {OPENING}),
    ("Une olive crasseuse, fit résonner la cloche.", {NO_CLAUSE}),
    ("Du côté.", {NO_CLAUSE}),
    ("De Méséglise.", {NO_CLAUSE}),
    # a subordinate or relative clause without its main clause
    ("Parce qu'il pleuvait.", {OPENING}),
    ("Quand il arriva.", {OPENING}),
    ("Dont il était fier.", {OPENING}),
    ("Lorsque la nuit tomba.", {OPENING}),
    ("Le garçon qui dormait.", {NO_CLAUSE}),
    ("Les enfants que la mère aimait.", {NO_CLAUSE}),
    # a verb phrase cut from its subject
    ("Et se tut.", {NO_CLAUSE}),
    ("S'éclairait à la chandelle.", {NO_CLAUSE}),
    ("Lui laissa une sorte d'étonnement.", {NO_CLAUSE}),
    ("Aperçoivent distinctement au fond des horizons du rêve.", {NO_CLAUSE}),
    ("N'aille pas en prison six mois !", {NO_CLAUSE}),
    # a last word that needs what follows
    ("Il se pencha vers le.", {DANGLING}),
    ("Il avait les yeux fixés sur.", {DANGLING}),
    ("Il pensait que.", {DANGLING}),
    ("Car toute l'attention fut captivée par ce qui.", {DANGLING}),
    ("Quand elle vit qu'elle ne pouvait plus se.", {OPENING, DANGLING}),
    # « ne » without its second part
    ("Il ne vint.", {NE}),
]


@pytest.mark.parametrize("piece", STAND_ALONE)
def test_a_sentence_that_stands_alone_passes(piece: str) -> None:
    [verdict] = check([piece])
    assert verdict.reasons == ()
    assert verdict.passes


@pytest.mark.parametrize(("piece", "reasons"), FRAGMENTS)
def test_a_fragment_fails_with_its_reasons(piece: str, reasons: set[Reason]) -> None:
    [verdict] = check([piece])
    assert set(verdict.reasons) == reasons
    assert not verdict.passes


def test_pieces_are_checked_in_order_in_one_batch() -> None:
    pieces = ["Candide traversa la rivière.", "Du côté.", "Il pensait que."]
    verdicts = check(pieces, batch_size=2)
    assert [v.piece for v in verdicts] == pieces
    assert [v.reasons for v in verdicts] == [(), (NO_CLAUSE,), (DANGLING,)]


def test_an_empty_piece_has_no_clause() -> None:
    assert check(["", "—"]) == [Verdict("", (NO_CLAUSE,)), Verdict("—", (NO_CLAUSE,))]


def test_reasons_are_short_codes_a_report_can_count() -> None:
    assert [str(r) for r in Reason] == [
        "no_clause",
        "subordinate_opening",
        "dangling_end",
        "ne_alone",
    ]
