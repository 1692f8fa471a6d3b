"""The offline rewriting engine: French examples of each kind of cut, and its guarantees."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.local import LocalRewriter
from frenchnovel.pipeline.words import count_words, estimate_tokens, words

PRONOUNS = {"il", "elle", "ils", "elles", "on", "je"}  # « je » only where the source has « j' »
# A description cut from its noun stands as « elle était … »: pronoun and être, nothing more.
ADDED = PRONOUNS | {"est", "sont", "était", "étaient"}
DEFAULT = JobOptions()


def rewrite(sentence: str, **options: object) -> list[str]:
    return LocalRewriter().rewrite([sentence], JobOptions.parse(options)).pieces[0]


def norm(word: str) -> str:
    return re.sub(r"^\W+|\W+$", "", word.lower().replace("’", "'"))


def invented(source: str, pieces: list[str]) -> set[str]:
    """Words of the pieces that the source does not have."""
    have = {norm(w) for w in words(source)}
    return {norm(w) for piece in pieces for w in words(piece)} - have


def dropped(source: str, pieces: list[str]) -> Counter[str]:
    """Words of the source that the pieces lost (with their counts)."""
    kept = Counter(norm(w) for piece in pieces for w in words(piece))
    return Counter(norm(w) for w in words(source)) - kept


def assert_well_formed(source: str, pieces: list[str], limit: int = 8) -> None:
    assert pieces
    for piece in pieces:
        assert 1 <= count_words(piece) <= limit, piece
        letter = re.search(r"\w", piece)
        assert letter is not None and not letter.group().islower(), piece
        assert re.search(r"[.!?…][\s»”\"')_]*$", piece), piece
    assert invented(source, pieces) <= ADDED


def test_a_sentence_within_the_limit_passes_through_untouched() -> None:
    sentence = "La nuit était noire, très noire."
    assert rewrite(sentence) == [sentence]


def test_a_semicolon_is_a_cut() -> None:
    source = "Cette physionomie était étrangement composée; elle commençait par paraître humble."
    pieces = rewrite(source)
    assert pieces[0] == "Cette physionomie était étrangement composée."
    assert_well_formed(source, pieces)


def test_coordinated_clauses_are_cut_and_the_second_borrows_its_subject() -> None:
    source = "Il se mit en mouvement, mais, avant de partir, hésita."
    pieces = rewrite(source)
    assert pieces == ["Il se mit en mouvement.", "Mais, avant de partir, il hésita."]


def test_et_is_dropped_where_two_clauses_are_cut_apart() -> None:
    source = "Elle commençait par paraître humble et finissait par sembler sévère."
    pieces = rewrite(source)
    assert pieces == ["Elle commençait par paraître humble.", "Elle finissait par sembler sévère."]
    assert dropped(source, pieces) == Counter({"et": 1})


def test_a_subject_relative_becomes_a_pronoun_of_its_antecedent() -> None:
    source = "Il n'avait avec lui que sa demoiselle, qui l'aidait à tenir la maison."
    assert rewrite(source) == [
        "Il n'avait avec lui que sa demoiselle.",
        "Elle l'aidait à tenir la maison.",
    ]


def test_a_subordinate_clause_is_cut_at_its_conjunction() -> None:
    source = "Il était un peu ému, le lendemain, en montant l'escalier de Mme de Marelle."
    pieces = rewrite(source)
    assert pieces[0].startswith("Il était un peu ému")
    assert_well_formed(source, pieces)


def test_an_apposition_is_cut_at_its_commas() -> None:
    source = (
        "Ces malles étaient des cabriolets à deux roues, tapissés de cuir fauve au dedans, "
        "suspendus sur des ressorts à pompe."
    )
    pieces = rewrite(source)
    assert pieces[0] == "Ces malles étaient des cabriolets à deux roues."
    assert_well_formed(source, pieces)


def test_a_complement_set_off_by_commas_repeats_the_subject_and_verb_it_hangs_on() -> None:
    source = "Charles et sa mère restèrent le soir, malgré leur fatigue, fort longtemps à causer."
    pieces = rewrite(source)
    assert pieces[0] == "Charles et sa mère restèrent le soir."
    assert "Ils restèrent malgré leur fatigue." in pieces
    assert_well_formed(source, pieces)


def test_a_second_object_after_il_y_avait_takes_il_y_avait_again() -> None:
    source = (
        "Il y avait là une vieille tour et un vieux château "
        "où l'on montrait d'admirables tapisseries."
    )
    pieces = rewrite(source)
    assert pieces[:2] == ["Il y avait là une vieille tour.", "Il y avait un vieux château."]
    assert invented(source, pieces) == set()
    assert_well_formed(source, pieces)


def test_a_second_attribute_takes_its_subject_and_copula_again() -> None:
    source = "Sa mère était une femme douce et pieuse, une chrétienne sévère pour elle-même."
    pieces = rewrite(source)
    assert pieces == [
        "Sa mère était une femme douce et pieuse.",
        "Elle était une chrétienne sévère pour elle-même.",
    ]
    assert_well_formed(source, pieces)


def test_a_verb_read_as_a_noun_after_its_clitic_is_not_a_second_object() -> None:
    source = (
        "Et, comme la nuit était venue, elle attira sa tête dans la portière "
        "et le baisa sur les lèvres."
    )
    pieces = rewrite(source)
    assert not any(piece.startswith("Elle attira le") for piece in pieces)
    assert_well_formed(source, pieces)


def test_a_participle_cut_from_its_noun_becomes_a_clause_with_etre() -> None:
    source = (
        "La phrase, chez ces animaux, n'est pas autre chose qu'une sorte de chant ou de cris "
        "parlés, empruntés à une langue étrangère dont on n'aurait pas le sens."
    )
    pieces = rewrite(source)
    assert "Ils sont empruntés à une langue étrangère." in pieces  # present, as « n'est »
    assert invented(source, pieces) <= {"elle", "ils", "sont"}  # « La phrase … Elle n'est »
    assert_well_formed(source, pieces)


def test_a_participle_after_its_noun_in_the_past_takes_etait() -> None:
    source = "Elle portait une robe de soie, achetée à Rouen chez le meilleur marchand de la ville."
    pieces = rewrite(source)
    assert "Elle était achetée à Rouen." in pieces
    assert_well_formed(source, pieces)


def test_a_participle_of_a_compound_tense_gets_no_etre() -> None:
    source = (
        "Quand il eut donc collationné quelques feuilles et appliqué dessus son œil "
        "pour y mieux voir, il commença :"
    )
    pieces = rewrite(source)
    assert not any("était" in piece for piece in pieces)


def test_a_clause_whose_verb_the_parse_missed_takes_no_repeated_verb() -> None:
    source = "Cette âme est pleine d'ombre, le péché s'y commet."
    assert rewrite(source) == ["Cette âme est pleine d'ombre.", "Le péché s'y commet."]


def test_a_participle_with_an_object_is_a_verb_and_gets_no_etre() -> None:
    source = (
        "Et, quand Léon eut remonté sa garde-robe, fait rembourrer ses trois fauteuils, "
        "acheté une provision de foulards, il s'ajourna de semaine en semaine."
    )
    pieces = rewrite(source)
    assert not any("était" in piece for piece in pieces)
    assert_well_formed(source, pieces)


def test_a_list_in_apposition_does_not_take_the_verb_again() -> None:
    source = (
        "De ce vaste territoire qui se compose de trois provinces, le Benguela, le Congo "
        "et l'Angola, on ne connaissait guère alors que le littoral."
    )
    pieces = rewrite(source)
    assert sum(piece.count("compose") for piece in pieces) == 1
    assert_well_formed(source, pieces)


def test_a_name_is_no_second_attribute_of_an_adjective() -> None:
    source = (
        "Les affaires sont toujours fructueuses avec la haute Égypte et la côte de Mozambique "
        "qui fournit tout Madagascar."
    )
    pieces = rewrite(source)
    assert sum(piece.count("sont") for piece in pieces) == 1
    assert_well_formed(source, pieces)


def test_a_verb_in_the_past_read_as_a_participle_gets_no_etre() -> None:
    source = (
        "Dès lors, elle but du vinaigre pour se faire maigrir, contracta une petite toux sèche "
        "et perdit complètement l'appétit."
    )
    pieces = rewrite(source)
    assert not any("était" in piece for piece in pieces)
    assert_well_formed(source, pieces)


def test_a_modal_verb_is_never_repeated_without_its_infinitive() -> None:
    source = (
        "Léon, cependant, finit par dire qu'il devait, un de ces jours, aller à Rouen, "
        "pour une affaire de son étude."
    )
    pieces = rewrite(source)
    assert sum(piece.count("devait") for piece in pieces) == 1
    assert_well_formed(source, pieces)


def test_a_subjunctive_clause_lends_its_verb_to_no_other_piece() -> None:
    source = (
        "Bien qu'ils soient souvent de haute taille, que leurs feuilles soient grandes, "
        "leurs fleurs roses et odorantes, on ne les découvre pas aisément."
    )
    pieces = rewrite(source)
    assert sum(piece.count("soient") for piece in pieces) == 2
    assert_well_formed(source, pieces)


def test_a_piece_never_ends_on_an_article_or_a_preposition() -> None:
    source = "Puis elle tendit ses deux mains vers le ciel et tout son visage devint ineffable."
    pieces = rewrite(source)
    for piece in pieces:
        last = piece.rstrip(".!?…»").split()[-1].lower()
        assert last not in {"le", "la", "les", "vers", "de", "et", "ses"}, pieces
    assert_well_formed(source, pieces)


def test_an_adjective_is_not_cut_from_the_noun_it_comes_before() -> None:
    source = (
        "Il y avait en Westphalie, dans le château de M. le baron de Thunder-ten-tronckh, un "
        "jeune garçon à qui la nature avait donné les mœurs les plus douces."
    )
    pieces = rewrite(source)
    assert not any(piece.endswith("jeune.") for piece in pieces), pieces
    assert any("jeune garçon" in piece for piece in pieces), pieces
    assert_well_formed(source, pieces)


def test_a_name_of_two_words_stays_whole() -> None:
    source = (
        "Ce qui est hors de doute, c'est que la soeur Simplice, unique témoin de la chose qui se "
        "passait, a souvent raconté qu'au moment où Jean Valjean parla à l'oreille de Fantine, "
        "elle vit distinctement poindre un ineffable sourire sur ces lèvres pâles."
    )
    pieces = rewrite(source)
    assert any("Jean Valjean" in piece for piece in pieces), pieces
    assert_well_formed(source, pieces)


def test_the_pieces_of_a_question_that_still_ask_end_with_a_question_mark() -> None:
    source = "Le chien connaissait-il et reconnaissait-il donc le maître coq ?"
    pieces = rewrite(source, sentence_length_limit=5)
    assert pieces == ["Le chien connaissait-il ?", "Reconnaissait-il donc le maître coq ?"]


@pytest.mark.parametrize("limit", [3, 5, 8, 12])
def test_every_piece_respects_the_word_limit(limit: int) -> None:
    source = (
        "Cependant, sous la pluie des pensums, l'ordre peu à peu se rétablit dans la classe, et "
        "le professeur, parvenu à saisir le nom de Charles Bovary, se l'étant fait dicter, épeler "
        "et relire, commanda tout de suite au pauvre diable d'aller s'asseoir sur le banc de "
        "paresse, au pied de la chaire."
    )
    pieces = rewrite(source, sentence_length_limit=limit)
    assert_well_formed(source, pieces, limit)
    assert set(dropped(source, pieces)) <= {"et", "qui"}


def test_pieces_below_the_minimum_length_join_a_neighbour() -> None:
    source = "Il se leva, marcha, hésita, revint, puis il s'assit près du feu sans rien dire."
    pieces = rewrite(source, min_sentence_length=3)
    assert all(count_words(p) >= 3 for p in pieces), pieces


def test_ignore_dialogue_keeps_quoted_speech_verbatim_even_over_the_limit() -> None:
    speech = "« Qu'est-ce que tu fais à Paris, mon vieux, depuis tout ce temps ? » dit Forestier."
    dash = "— Nous devrions être tout près de l'hacienda, reprit Harris en hésitant."
    for sentence in (speech, dash):
        assert rewrite(sentence, ignore_dialogue=True) == [sentence]
        assert rewrite(sentence, ignore_dialogue=True, preserve_formatting=False) == [sentence]
        assert len(rewrite(sentence)) > 1


def test_preserve_formatting_keeps_guillemets_and_ellipses() -> None:
    source = "« Je ne sais pas… » murmura-t-elle en regardant longuement la mer grise au loin."
    kept = " ".join(rewrite(source))
    assert "«" in kept and "»" in kept and "…" in kept
    plain = " ".join(rewrite(source, preserve_formatting=False))
    assert "«" not in plain and "»" not in plain and "…" not in plain and "..." in plain


def test_the_outcome_has_one_list_per_sentence_and_the_token_estimate() -> None:
    sentences = ["Il pleut.", "Il se mit en mouvement, mais, avant de partir, hésita."]
    outcome = LocalRewriter().rewrite(sentences, DEFAULT)
    assert len(outcome.pieces) == 2 and outcome.pieces[0] == ["Il pleut."]
    assert outcome.tokens == estimate_tokens(sum(len(s) for s in sentences))


def test_a_cancelled_job_stops_before_the_next_batch() -> None:
    from frenchnovel.pipeline.rewrite import local

    long = "Il se mit en mouvement, mais, avant de partir, hésita."
    sentences = [long] * (local.BATCH + 3)
    calls: list[int] = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1  # the user cancels while the first batch runs

    outcome = LocalRewriter().rewrite(sentences, DEFAULT, cancelled=cancelled)
    assert len(outcome.pieces[0]) == 2
    assert outcome.pieces[-1] == [long]  # never reached


def test_a_run_on_text_without_stops_is_parsed_in_parts_and_kept_whole() -> None:
    source = " ".join(["le vieux marin regardait la mer grise"] * 2000)  # 14,000 words, no stop
    pieces = rewrite(source)
    assert all(count_words(p) <= 8 for p in pieces)
    assert not dropped(source, pieces)
    assert invented(source, pieces) <= PRONOUNS


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
def test_sentences_of_real_novels_keep_every_guarantee(corpus: Path, limit: int) -> None:
    from frenchnovel.pipeline.segment import split_sentences

    sentences = []
    for path in sorted((corpus / "text").glob("*eltec*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()[500:3000:40]
        sentences += [s for line in lines for s in split_sentences(line)]
    options = JobOptions(sentence_length_limit=limit)
    for source, pieces in zip(
        sentences, LocalRewriter().rewrite(sentences, options).pieces, strict=True
    ):
        if count_words(source) <= limit:
            assert pieces == [source]
            continue
        assert_well_formed(source, pieces, limit)
        assert set(dropped(source, pieces)) <= {"et", "qui"}, (source, pieces)


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
def test_any_sentence_yields_pieces_within_the_limit_made_of_its_own_words(
    tokens: list[str], limit: int
) -> None:
    source = " ".join(tokens) + "."
    pieces = rewrite(source, sentence_length_limit=limit)
    if count_words(source) <= limit:
        assert pieces == [source]
        return
    assert_well_formed(source, pieces, limit)
    assert set(dropped(source, pieces)) <= {"et", "qui"}
