"""The offline rewriting engine: one French example per transformation and per refusal to cut,
the pronoun rules, and its guarantees (every piece a sentence, no word invented)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.local import LocalRewriter
from frenchnovel.pipeline.words import count_words, estimate_tokens, words
from tests.support.rewriting import rewrite

DEFAULT = JobOptions()
# What a transformation may write that the source does not have (see transforms.py).
ADDED = {
    "il", "elle", "ils", "elles", "on", "je", "est", "sont", "était", "étaient", "le", "la", "l",
    "les", "lui", "leur", "y", "ce", "cet", "cette", "ces", "en", "effet", "alors", "pendant",
    "temps", "c", "fut", "sera", "sa", "son", "ses", "leurs",
}  # fmt: skip
# A piece never ends on one of these: they need what follows.
LEANING = {
    "de", "d", "à", "le", "la", "les", "l", "un", "une", "des", "du", "au", "aux", "et", "ou",
    "mais", "que", "qu", "qui", "ne", "n", "se", "s", "dont", "sur", "dans", "par", "pour", "avec",
    "sans", "sous", "vers", "chez", "ce", "c", "son", "sa", "ses", "leur", "leurs",
}  # fmt: skip


def vocabulary(text: str) -> set[str]:
    return {w for w in re.split(r"[\W_]+", text.lower()) if w}


def assert_sentences(source: str, pieces: list[str]) -> None:
    """Each piece opens on a capital, ends on a stop, and adds only the small words."""
    for piece in pieces:
        letter = re.search(r"\w", piece)
        assert letter is not None and not letter.group().islower(), piece
        assert re.search(r"[.!?…][\s»”\"')_]*$", piece), piece
        assert re.findall(r"\w+", piece.lower())[-1] not in LEANING, piece
    assert vocabulary(" ".join(pieces)) - vocabulary(source) - imperfects(source) <= ADDED


def imperfects(source: str) -> set[str]:
    """« cherchait » where the source has the present participle « cherchant »."""
    stems = [w[:-3] for w in vocabulary(source) if w.endswith("ant")]
    irregular = {"avait", "avaient", "était", "étaient", "savait", "savaient"}
    return {stem + end for stem in stems for end in ("ait", "aient")} | irregular


def test_a_sentence_within_the_limit_passes_through_untouched() -> None:
    sentence = "La nuit était noire, très noire."
    assert rewrite(sentence) == [sentence]


# -- transformations --------------------------------------------------------------------------


def test_a_semicolon_between_two_clauses_ends_a_sentence() -> None:
    source = (
        "Cette physionomie était étrangement composée; elle commençait par paraître humble "
        "et finissait par sembler sévère."
    )
    assert rewrite(source) == [
        "Cette physionomie était étrangement composée.",
        "Elle commençait par paraître humble.",
        "Elle finissait par sembler sévère.",
    ]


def test_a_coordinated_clause_takes_its_subject_again_and_keeps_mais() -> None:
    source = "Il se mit en mouvement, mais, avant de partir, hésita longuement devant la porte."
    assert rewrite(source) == [
        "Il se mit en mouvement.",
        "Mais, avant de partir, il hésita longuement devant la porte.",
    ]


def test_et_goes_where_two_clauses_become_sentences_and_puis_stays() -> None:
    assert rewrite(
        "Les ouvrières sortaient de l'atelier, et elles riaient très fort dans la rue."
    ) == [
        "Les ouvrières sortaient de l'atelier.",
        "Elles riaient très fort dans la rue.",
    ]
    assert rewrite("Il entra dans la chambre, puis il s'assit près de la fenêtre ouverte.") == [
        "Il entra dans la chambre.",
        "Puis il s'assit près de la fenêtre ouverte.",
    ]


def test_a_clause_with_a_subject_of_its_own_keeps_it() -> None:
    assert rewrite("Elle chantait, et ses sœurs dansaient autour de la table du salon.") == [
        "Elle chantait.",
        "Ses sœurs dansaient autour de la table du salon.",
    ]


def test_commas_between_clauses_with_their_own_subject_end_sentences() -> None:
    source = "Il lutte pourtant, il essaie de se défendre, il essaie de se soutenir, il nage."
    pieces = rewrite(source)
    assert (
        pieces[:3]
        == [
            "Il lutte pourtant.",
            "Il essaie de se défendre.",
            "Il essaie de se soutenir, il nage.",
        ][:3]
    )
    assert_sentences(source, pieces)


def test_a_subject_relative_names_its_antecedent_as_subject() -> None:
    source = "Il n'avait avec lui que sa demoiselle, qui l'aidait à tenir la maison du curé."
    assert rewrite(source) == [
        "Il n'avait avec lui que sa demoiselle.",
        "Elle l'aidait à tenir la maison du curé.",
    ]


def test_an_object_relative_becomes_le_la_les_before_the_verb() -> None:
    source = (
        "Quelques-unes de ses camarades apportaient au couvent les keepsakes qu'elles avaient "
        "reçus en étrennes."
    )
    assert rewrite(source)[1] == "Elles les avaient reçus en étrennes."


def test_ou_becomes_y_before_the_verb() -> None:
    source = (
        "Un jeune homme entra dans la boutique où la marchande "
        "vendait des rubans de toutes les couleurs."
    )
    assert rewrite(source) == [
        "Un jeune homme entra dans la boutique.",
        "La marchande y vendait des rubans de toutes les couleurs.",
    ]


def test_a_cause_follows_its_clause_with_en_effet() -> None:
    for source in (
        "Il resta longtemps dans la chambre parce que la pluie tombait toujours sur la ville.",
        "Il resta longtemps dans la chambre puisque la pluie ne cessait pas de tomber.",
    ):
        pieces = rewrite(source)
        assert pieces[0] == "Il resta longtemps dans la chambre."
        assert pieces[1].startswith("En effet, la pluie")


def test_a_time_clause_that_opens_the_sentence_comes_first_then_alors() -> None:
    source = (
        "Quand elle entra dans la salle, les convives se levèrent tous ensemble pour la saluer."
    )
    assert rewrite(source) == [
        "Elle entra dans la salle.",
        "Alors, les convives se levèrent tous ensemble.",
        "Ce fut pour la saluer.",
    ]


def test_pendant_que_becomes_pendant_ce_temps() -> None:
    source = (
        "Les femmes causaient dans la cuisine pendant que les "
        "hommes fumaient leur pipe dans la cour."
    )
    assert rewrite(source) == [
        "Les femmes causaient dans la cuisine.",
        "Pendant ce temps, les hommes fumaient leur pipe.",
        "C'était dans la cour.",
    ]


def test_a_participle_set_off_by_commas_becomes_a_sentence_with_etre() -> None:
    assert rewrite("La jeune femme, assise près du feu, tricotait un bas de laine grise.") == [
        "La jeune femme tricotait un bas de laine grise.",
        "Elle était assise près du feu.",
    ]
    source = (
        "La mairie, construite sur les dessins d'un architecte de "
        "Paris, est une manière de temple grec."
    )
    assert rewrite(source) == [
        "La mairie est une manière de temple grec.",
        "Elle est construite sur les dessins d'un architecte de Paris.",
    ]


def test_coordinated_objects_take_the_subject_and_the_verb_again() -> None:
    source = "Il acheta au marché du pain, du vin et des fromages de la ferme voisine."
    pieces = rewrite(source)
    assert pieces[-1] == "Il acheta des fromages de la ferme voisine."
    assert_sentences(source, pieces)


# -- who the new sentence is about ------------------------------------------------------------


def test_a_pronoun_follows_the_gender_and_number_of_the_noun() -> None:
    assert rewrite(
        "Les deux frères, venus de Rouen la veille, attendaient le notaire dans le salon."
    )[1] == ("Ils étaient venus de Rouen la veille.")
    assert rewrite(
        "Les paysannes portaient des paniers qui pesaient lourd sur leurs bras fatigués."
    )[1] == ("Ils pesaient lourd sur leurs bras fatigués.")
    assert rewrite(
        "Elle ne voyait plus rien de la campagne qui défilait derrière la vitre de la voiture."
    )[1] == ("La campagne défilait derrière la vitre de la voiture.")


def test_an_antecedent_a_pronoun_could_mistake_is_named_again() -> None:
    # « Il dormait » could be the boy: the dog is named, an indefinite made demonstrative.
    source = "Le garçon regardait un chien qui dormait près de la porte de la grange."
    assert rewrite(source) == [
        "Le garçon regardait un chien.",
        "Ce chien dormait près de la porte de la grange.",
    ]


# -- refusals: a clause stays whole rather than become a fragment -----------------------------


@pytest.mark.parametrize(
    "source",
    [
        # a relative of a pronoun: « Puis on distinguait à peine ceux. » would be a fragment
        "Puis on distinguait à peine ceux qui suivaient dans la longue allée obscure du jardin.",
        # a supposition is no statement: « Cette chouette verrait … » would change the meaning
        (
            "Comme une chouette qui verrait brusquement se lever le "
            "soleil, le forçat avait été ébloui par la vertu."
        ),
        # a condition stays with what it conditions
        (
            "Si vous aviez vu le capitaine au moment de la tempête, "
            "vous auriez compris la peur des matelots."
        ),
        # a subjunctive clause does not stand alone
        "Il fallait absolument qu'elle partît avant le retour de son mari.",
        # an incise with its subject after the verb is not a sentence
        (
            "-- J'en demande pardon à ces braves gens, ajouta Harris, "
            "avec la petite pointe d'ironie d'un Américain."
        ),
        # two coordinated relatives stay together
        (
            "Il entendit un jour conter dans un salon un procès criminel "
            "qu'on instruisait et qu'on allait juger."
        ),
        # the cause goes on after a comma: « et que le reste » is the cause's, not the main clause's
        "Ils soupçonnaient que cette demoiselle ne voulut jamais l'épouser parce qu'il n'avait pu "
        "prouver que soixante et onze quartiers, et que le reste de son arbre avait été perdu.",
        # one clause, nothing to take out: over the limit, whole
        (
            "Il ne savait comment lui laisser comprendre qu'il serait heureux, "
            "bien heureux, de l'avoir pour femme à son tour."
        ),
    ],
)
def test_a_clause_that_cannot_be_cut_without_a_fragment_stays_whole(source: str) -> None:
    assert rewrite(source) == [source]


def test_ne_keeps_its_que() -> None:
    pieces = rewrite(
        "Il n'avait avec lui que sa demoiselle, qui l'aidait à tenir la maison du curé."
    )
    assert "ne" not in pieces[0].split() or "que" in pieces[0]
    assert pieces[0].startswith("Il n'avait avec lui que")


def test_a_list_whose_items_the_parse_may_have_mixed_is_not_cut() -> None:
    # « riche de toutes les promesses »: a word after the last item belongs to it
    pieces = rewrite("Elle était jeune, belle et riche de toutes les promesses du monde entier.")
    assert "Elle était jeune, belle de toutes les promesses du monde entier." not in pieces


# -- options and guarantees -------------------------------------------------------------------


def test_ignore_dialogue_keeps_quoted_speech_verbatim_even_over_the_limit() -> None:
    speech = "« Qu'est-ce que tu fais à Paris, mon vieux, depuis tout ce temps ? » dit Forestier."
    dash = "— Nous devrions être tout près de l'hacienda, reprit Harris en hésitant."
    for sentence in (speech, dash):
        assert rewrite(sentence, ignore_dialogue=True) == [sentence]
        assert rewrite(sentence, ignore_dialogue=True, preserve_formatting=False) == [sentence]


def test_preserve_formatting_false_writes_plain_quotes_and_dots() -> None:
    source = "Elle chantait « la romance … », et ses sœurs dansaient autour de la table du salon."
    plain = " ".join(rewrite(source, preserve_formatting=False))
    assert "«" not in plain and "…" not in plain


def test_the_outcome_has_one_list_per_sentence_and_the_token_estimate() -> None:
    sentences = ["Il pleut.", "Il se mit en mouvement, mais, avant de partir, hésita longuement."]
    outcome = LocalRewriter().rewrite(sentences, DEFAULT)
    assert len(outcome.pieces) == 2 and outcome.pieces[0] == ["Il pleut."]
    assert outcome.tokens == estimate_tokens(sum(len(s) for s in sentences))


def test_a_cancelled_job_stops_before_the_next_batch() -> None:
    from frenchnovel.pipeline.rewrite import local

    long = "Il se mit en mouvement, mais, avant de partir, hésita longuement devant la porte."
    sentences = [long] * (local.BATCH + 3)
    calls: list[int] = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1  # the user cancels while the first batch runs

    outcome = LocalRewriter().rewrite(sentences, DEFAULT, cancelled=cancelled)
    assert len(outcome.pieces[0]) == 2
    assert outcome.pieces[-1] == [long]  # never reached


def test_a_run_on_text_without_stops_is_parsed_in_parts_and_loses_no_word() -> None:
    source = " ".join(["le vieux marin regardait la mer grise"] * 2000)  # 14,000 words, no stop
    pieces = rewrite(source)
    assert sorted(w.lower().strip(".") for p in pieces for w in words(p)) == sorted(
        w for w in words(source)
    )


def test_the_engine_is_deterministic() -> None:
    source = "Emma entra dans la cuisine, prit une chaise et s'assit près du feu, sans rien dire."
    assert rewrite(source) == rewrite(source)


def test_rewriting_in_chunks_gives_what_rewriting_the_whole_gives(corpus: Path) -> None:
    from frenchnovel.pipeline.segment import split_sentences

    path = corpus / "text" / "maupassant_bel-ami_eltec-FRA02701.txt"
    lines = path.read_text(encoding="utf-8").splitlines()[100:400:3]
    sentences = [s for line in lines for s in split_sentences(line)]
    whole = LocalRewriter().rewrite(sentences, DEFAULT).pieces
    cut = 37  # batches of another size and composition, as page chunks would make them
    chunks = [LocalRewriter().rewrite(sentences[i : i + cut], DEFAULT).pieces for i in (0, cut)]
    rest = LocalRewriter().rewrite(sentences[2 * cut :], DEFAULT).pieces
    assert chunks[0] + chunks[1] + rest == whole


@pytest.mark.parametrize("limit", [3, 8])
def test_sentences_of_real_novels_become_sentences(corpus: Path, limit: int) -> None:
    from frenchnovel.pipeline.segment import split_sentences

    sentences = []
    for path in sorted((corpus / "text").glob("*eltec*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()[500:3000:40]
        sentences += [s for line in lines for s in split_sentences(line)]
    options = JobOptions(sentence_length_limit=limit)
    rewritten = LocalRewriter().rewrite(sentences, options).pieces
    for source, pieces in zip(sentences, rewritten, strict=True):
        if count_words(source) <= limit or pieces == [source]:
            assert pieces == [source] or count_words(source) > limit
            continue
        assert_sentences(source, pieces)


_VOCABULARY = (
    "il elle Emma Charles le la les un une de du des et mais qui que dont où ne pas se "
    "maison jardin porte regarda entra sortit dit pensait était avait grand petite vieille "
    "lentement soudain alors puis quand parce"
).split()
_PUNCT = [",", ";", ":", "!", "?", "…", "«", "»", "—"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tokens=st.lists(st.sampled_from(_VOCABULARY + _PUNCT), min_size=1, max_size=40),
    limit=st.integers(min_value=3, max_value=12),
)
def test_no_piece_of_any_sentence_ends_on_a_word_that_needs_what_follows(
    tokens: list[str], limit: int
) -> None:
    source = " ".join(tokens) + "."
    pieces = rewrite(source, sentence_length_limit=limit)
    if count_words(source) <= limit:
        assert pieces == [source]
        return
    assert pieces
    if pieces == [source]:
        return
    for piece in pieces:
        found = re.findall(r"\w+", piece.lower())
        assert found and found[-1] not in LEANING, (source, piece)
    assert vocabulary(" ".join(pieces)) - vocabulary(source) <= ADDED


def test_a_book_with_typographic_apostrophes_is_read_as_well_and_keeps_them() -> None:
    source = (
        "J’appartins enfin à un aga des janissaires, qui fut bientôt commandé pour aller "
        "défendre Azof contre les Russes qui l’assiégeaient."
    )
    pieces = rewrite(source)
    assert pieces[-1] == "Les Russes l’assiégeaient."
    assert "'" not in " ".join(pieces)


def test_what_stands_between_the_verb_and_its_list_goes_with_every_item() -> None:
    source = "Il manquait à ce pauvre homme la jambe gauche et la main droite."
    assert rewrite(source) == [
        "Il manquait à ce pauvre homme la jambe gauche.",
        "Il manquait à ce pauvre homme la main droite.",
    ]


def test_a_time_clause_the_parse_missed_still_comes_first() -> None:
    source = "Lorsque Canivet entra dans la chambre, il se jeta dans ses bras en pleurant."
    assert rewrite(source) == [
        "Canivet entra dans la chambre.",
        "Alors, il se jeta dans ses bras en pleurant.",
    ]
    # an adverb before « lorsque » binds both clauses (« Aussi, lorsqu'il trouvait … »)
    bound = (
        "Aussi, lorsqu'il trouvait quelque insecte, "
        "en était-il réduit à se le fourrer dans les yeux."
    )
    assert rewrite(bound) == [bound]


def test_a_noun_in_ant_is_no_participle() -> None:
    source = (
        "Le fiacre se remit en marche, et le déposa devant le Coq-Faisan, "
        "restaurant bourgeois connu dans le quartier."
    )
    assert not any(p.startswith(("Il restaurait", "Il était restaurant")) for p in rewrite(source))


def test_the_antecedent_of_qui_agrees_with_its_verb() -> None:
    # « se composait » is singular: the floor, not the cells, is made of clay
    source = (
        "Hercule fit ébouler avec sa hache le premier étage d'alvéoles, qui se composait "
        "d'argile assez friable."
    )
    assert rewrite(source)[1] == "Le premier étage se composait d'argile assez friable."


def test_a_gerund_or_a_participle_of_the_subject_becomes_the_imperfect() -> None:
    sailor = (
        "Le vieux marin marchait lentement sur le quai, "
        "regardant les bateaux qui rentraient au port."
    )
    assert rewrite(sailor) == [
        "Le vieux marin marchait lentement sur le quai.",
        "Il regardait les bateaux.",
        "Ils rentraient au port.",
    ]
    source = (
        "En approchant de la ville, ils rencontrèrent un nègre étendu par terre, n'ayant plus rien."
    )
    assert rewrite(source)[0] == "Ils approchaient de la ville."
    # after an object, « n'ayant plus rien » may be the man's or theirs: it stays
    assert "n'ayant plus rien" in rewrite(source)[-1]


def test_a_literary_ne_before_pouvoir_is_a_whole_negation() -> None:
    source = "La force lui manque, il ne peut proférer une parole, il tombe à ses pieds."
    assert rewrite(source)[-1] == "Il tombe à ses pieds."
    assert "ne peut proférer une parole" in rewrite(source)[0]


def test_a_noun_the_parse_calls_a_vocative_before_a_verb_in_the_third_person_is_its_subject() -> (
    None
):
    source = (
        "Madame la baronne, qui pesait environ trois cent cinquante livres, s’attirait par là une "
        "très grande considération, et faisait les honneurs de la maison avec une dignité qui la "
        "rendait encore plus respectable."
    )
    assert rewrite(source) == [
        "Madame la baronne s’attirait par là une très grande considération.",
        "Elle pesait environ trois cent cinquante livres.",
        "Elle faisait les honneurs de la maison avec une dignité.",
        "Cette dignité la rendait encore plus respectable.",
    ]


def test_tout_en_is_a_gerund_and_goes_whole() -> None:
    source = (
        "Il signa quelques articles de fond, tout en signant aussi ses échos, car le patron "
        "voulait que chacun gardât la responsabilité de sa copie."
    )
    assert "Il signait aussi ses échos." in rewrite(source)


def test_an_adjective_among_others_is_an_item_of_a_list_and_stays() -> None:
    source = "La femme, grande, sèche, voûtée, triste, travaillait aux champs depuis l'enfance."
    assert not any(p.startswith("Elle était") for p in rewrite(source))


def test_mais_and_its_object_stay_with_the_clause_before() -> None:
    source = "Elle tendit, non plus sa main, mais son front, et dit adieu à tout le monde."
    assert rewrite(source)[0] == "Elle tendit, non plus sa main, mais son front."


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Pendant huit jours, ils avaient suivi la rive droite de la rivière.",
            ["Ils avaient suivi la rive droite de la rivière.", "C'était pendant huit jours."],
        ),
        (
            "Il aperçut un vieux chapeau de paille dans la vitrine du marchand.",
            [
                "Il aperçut un vieux chapeau de paille.",
                "Ce vieux chapeau était dans la vitrine du marchand.",
            ],
        ),
    ],
)
def test_a_circumstance_of_time_or_place_becomes_c_etait_after_its_clause(
    source: str, expected: list[str]
) -> None:
    assert rewrite(source) == expected
    assert_sentences(source, expected)


@pytest.mark.parametrize(
    "source",
    [
        "Elle se dirigeait lentement vers la grande porte de la maison du notaire.",
        "Le vieux domestique était assis dans la cuisine avec les enfants du village.",
        "La lettre fut écrite par le notaire du village voisin pendant la nuit.",
    ],
)
def test_a_verb_that_needs_its_place_keeps_it(source: str) -> None:
    assert not any(p.startswith(("C'était", "Ce fut", "C'est")) for p in rewrite(source))


def test_ce_fut_follows_a_simple_past_the_small_model_reads_as_a_present() -> None:
    pieces = rewrite("Chacun déposa gravement un baiser sur le front de sa maîtresse.")
    assert pieces == ["Chacun déposa gravement un baiser.", "Ce fut sur le front de sa maîtresse."]


def test_a_gerund_with_its_object_pronoun_becomes_the_imperfect_of_a_name() -> None:
    source = (
        "Et M. Walter répondit à une longue lettre de Du Roy, en lui accordant la main de sa fille."
    )
    pieces = rewrite(source)
    assert pieces == [
        "Et M. Walter répondit à une longue lettre de Du Roy.",
        "Il lui accordait la main de sa fille.",
    ]


def test_trop_de_choses_is_a_subject() -> None:
    source = (
        "Trop de choses nouvelles venaient de pénétrer dans son esprit et il se mit à chercher "
        "sa femme."
    )
    assert rewrite(source) == [
        "Trop de choses nouvelles venaient de pénétrer dans son esprit.",
        "Il se mit à chercher sa femme.",
    ]


def test_que_and_an_incise_are_not_left_without_their_clause() -> None:
    source = (
        "Les violences de la destinée ont cela de particulier que, si perfectionnés ou si "
        "refroidis que nous soyons, elles nous tirent du fond des entrailles la nature humaine, "
        "et la forcent de reparaître au dehors."
    )
    for piece in rewrite(source):
        assert not piece.endswith("soyons."), piece


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Il tâchait d'économiser quelque argent pour n'être point sans le sou au moment de "
            "son mariage.",
            [
                "Il tâchait d'économiser quelque argent.",
                "C'était pour n'être point sans le sou au moment de son mariage.",
            ],
        ),
        (
            "Pour ne pas tomber, il s'appuya contre le mur de la vieille maison.",
            ["Il s'appuya contre le mur de la vieille maison.", "Ce fut pour ne pas tomber."],
        ),
        (
            "Il relut encore une fois la longue lettre avant de la jeter au feu.",
            ["Il relut encore une fois la longue lettre.", "Ce fut avant de la jeter au feu."],
        ),
    ],
)
def test_a_clause_of_purpose_or_time_becomes_c_etait_pour(source: str, expected: list[str]) -> None:
    assert rewrite(source) == expected
    assert_sentences(source, expected)


@pytest.mark.parametrize(
    "source",
    [
        "Il était beaucoup trop tard pour partir vers la ville ce soir-là.",  # consecutive
        "Il ne pouvait songer à revenir en arrière pour achever cette opération.",  # negation
        "Si elle se taisait ainsi, c'était afin de lui épargner des tracas domestiques.",
        "Il arriva à Quilimané le 20 mai, quatre ans après avoir quitté le Cap.",
    ],
)
def test_a_clause_of_purpose_bound_to_its_clause_stays(source: str) -> None:
    assert not any(
        p.startswith(("C'était pour", "Ce fut", "C'était après")) for p in rewrite(source)
    )


def test_des_que_opening_the_sentence_comes_first_then_alors() -> None:
    source = (
        "Dès que Dick Sand et ses compagnons eurent pris possession du cône, ils s'occupèrent "
        "d'en reconnaître la disposition intérieure."
    )
    assert rewrite(source) == [
        "Dick Sand et ses compagnons eurent pris possession du cône.",
        "Alors, ils s'occupèrent d'en reconnaître la disposition intérieure.",
    ]


@pytest.mark.parametrize(
    "source",
    [
        "Mais il faiblissait, et le terrain évidemment se dérobait sous lui.",
        "Pendant cette journée, le novice fit jeter le loch toutes les demi-heures, et il nota "
        "les indications fournies par l'instrument.",
    ],
)
def test_a_pronoun_after_a_preposition_and_pendant_with_a_noun_do_not_block_a_cut(
    source: str,
) -> None:
    assert len(rewrite(source)) >= 2


def test_a_verb_in_s_never_gets_a_third_person_subject() -> None:
    source = (
        "Il balbutia : « Clo, ma petite Clo, comprends bien ma situation, comprends bien ce que "
        "je suis. »"
    )
    assert not any(p.startswith(("Il comprends", "Elle comprends")) for p in rewrite(source))


def test_mais_before_a_time_clause_opens_the_time_clause() -> None:
    source = (
        "Mais, quand il fut au haut de la côte, il se détourna vers la maison de son vieil ami."
    )
    assert rewrite(source)[:2] == [
        "Mais il fut au haut de la côte.",
        "Alors, il se détourna vers la maison de son vieil ami.",
    ]


def test_c_est_with_nothing_after_it_is_no_sentence() -> None:
    source = (
        "Il avait le jugement assez droit avec l'esprit le plus simple ; c'est, je crois, pour "
        "cette raison qu'on le nommait Candide."
    )
    assert all(p not in ("C'est.", "C’est.") for p in rewrite(source))


def test_a_quote_closing_a_speech_of_an_earlier_sentence_may_close_the_last_piece() -> None:
    assert rewrite("Je peux vous faire arrêter, si je veux… oui, je le peux. »") == [
        "Je peux vous faire arrêter, si je veux…",
        "Oui, je le peux. »",
    ]
    # a stray mark inside a piece is not such a quote
    source = "Aussitôt qu'elle fut loin, il passa la tête « la portière, et il cria : « Allez. »"
    assert not any("« la portière." in p or "portière . »" in p for p in rewrite(source))


def test_the_antecedent_of_qui_agrees_in_gender_with_its_participle() -> None:
    source = (
        "Une dot s'offrait en la fille d'un marchand bonnetier, qui était devenue amoureuse de "
        "sa tournure."
    )
    pieces = rewrite(source)
    assert not any(p.startswith(("Ce marchand", "Le marchand", "Il était")) for p in pieces)
    assert any("devenue amoureuse" in p for p in pieces)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Il rencontra sur la route un vieux paysan dont la femme était malade depuis "
            "longtemps.",
            [
                "Il rencontra sur la route un vieux paysan.",
                "Sa femme était malade depuis longtemps.",
            ],
        ),
        (
            "Ils entrèrent dans une grande maison dont les fenêtres donnaient sur la mer.",
            ["Ils entrèrent dans une grande maison.", "Ses fenêtres donnaient sur la mer."],
        ),
        (
            "Elle relisait souvent le petit livre dont il lui avait parlé autrefois.",
            ["Elle relisait souvent le petit livre.", "Il lui en avait parlé autrefois."],
        ),
    ],
)
def test_dont_becomes_a_possessive_or_en(source: str, expected: list[str]) -> None:
    assert rewrite(source) == expected
    assert_sentences(source, expected)


def test_dont_after_facon_stays() -> None:
    pieces = rewrite("Il songea longuement à la façon dont il arrangerait sa chambre ce soir-là.")
    assert not any(" en arrangerait" in p for p in pieces)


def test_que_whose_verb_takes_an_infinitive_stays_with_its_antecedent() -> None:
    # « Il la valait mieux garder » would give the infinitive's object to « valait »
    source = "Il sentait en lui une ardeur qu'il valait mieux garder pour la jeune femme."
    assert not any(p.startswith("Il la valait") for p in rewrite(source))


def test_a_sentence_the_rules_fail_on_stays_whole_and_the_others_are_rewritten(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import frenchnovel.pipeline.rewrite.local as local

    broken = "Le vieux notaire guignait la propriété du voisin sans faire connaître son prix."
    fine = "Il entra dans la maison de son père et s'assit près du feu de la cuisine."
    split = local.split

    def failing(sentence: str, doc: object, options: JobOptions) -> list[str]:
        if sentence == broken:
            raise ValueError("a rule failed")
        return split(sentence, doc, options)

    monkeypatch.setattr(local, "split", failing)
    pieces = LocalRewriter().rewrite([broken, fine], DEFAULT).pieces
    assert pieces[0] == [broken]
    assert len(pieces[1]) == 2
    assert "the rewriting failed" in caplog.text


def test_the_dash_that_opens_a_line_of_dialogue_opens_its_first_piece() -> None:
    source = "-- Tu as raison, et je partirai demain matin avec ta mère pour la grande ville."
    assert rewrite(source) == [
        "-- Tu as raison.",
        "Je partirai demain matin avec ta mère pour la grande ville.",
    ]


def test_a_relative_inside_the_subject_follows_its_clause_without_commas() -> None:
    source = (
        "Le vieil homme qui vendait des journaux devant la gare nous regardait passer chaque matin."
    )
    assert rewrite(source) == [
        "Le vieil homme nous regardait passer chaque matin.",
        "Il vendait des journaux devant la gare.",
    ]


def test_les_autres_before_its_verb_is_a_subject() -> None:
    source = (
        "Cependant, tandis que quelques-uns chantaient, les autres causaient tumultueusement, et "
        "tous ensemble; ce n'était plus que du bruit."
    )
    assert rewrite(source)[-1] == "Ce n'était plus que du bruit."


def test_what_ends_the_sentence_after_a_relative_goes_with_the_relative() -> None:
    assert rewrite("Il aperçut en effet sa femme qui passait, au bras du ministre.") == [
        "Il aperçut en effet sa femme.",
        "Elle passait, au bras du ministre.",
    ]
    # « avec sa femme » is the invitation's: it must not go to « reçut »
    source = (
        "Il reçut un mot de la Patronne qui le suppliait de venir dîner chez elle, le soir même, "
        "avec sa femme."
    )
    assert rewrite(source) == [
        "Il reçut un mot de la Patronne.",
        "Elle le suppliait de venir dîner chez elle, le soir même, avec sa femme.",
    ]


def test_a_preposition_written_again_after_a_comma_makes_a_list() -> None:
    source = "Il se mêlait aux familles vêtues de noir, aux prêtres gémissant autour d'un cercueil."
    assert rewrite(source) == [
        "Il se mêlait aux familles vêtues de noir.",
        "Il se mêlait aux prêtres gémissant autour d'un cercueil.",
    ]


def test_an_adjective_after_the_opening_determiner_and_before_the_verb_is_its_subject() -> None:
    source = (
        "Les vieux saules ébranchés miraient dans l'eau leur écorce grise ; au delà, tout "
        "alentour, la prairie semblait vide."
    )
    assert rewrite(source) == [
        "Les vieux saules ébranchés miraient dans l'eau leur écorce grise.",
        "Au delà, tout alentour, la prairie semblait vide.",
    ]


def test_a_dash_is_not_written_again_before_a_link_that_opens_the_piece() -> None:
    # « -- III -- » is a chapter's number the text glued to the sentence, not dialogue
    source = (
        "-- III -- \nQuand Georges Duroy se retrouva dans la rue, il hésita sur ce qu'il ferait."
    )
    assert not any(piece.startswith("-- Alors") for piece in rewrite(source))
