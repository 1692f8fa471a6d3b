"""Word lists and lemma matching: the default lists, a learner's own list, lemmas in context."""

from __future__ import annotations

from frenchnovel.decks.lemmas import analyse, lemma_set
from frenchnovel.decks.tokens import tokens
from frenchnovel.decks.wordlists import default_list, parse_user_list


def test_a_plural_a_conjugation_and_a_feminine_meet_their_lemma() -> None:
    held = lemma_set("Les chevaux prirent les belles routes qu'elles aimaient.")
    assert {"cheval", "prendre", "beau", "route", "que", "elle", "aimer"} <= held


def test_elisions_contractions_and_inversions_are_their_words() -> None:
    assert tokens("L’homme viendra-t-il jusqu'à aujourd'hui ?") == [
        "L'",
        "homme",
        "viendra",
        "il",
        "jusqu'",
        "à",
        "aujourd'hui",
    ]
    assert {"de", "le", "à"} <= lemma_set("Il revint du marché au soir.")


def test_a_participle_after_an_auxiliary_is_its_verb_and_after_an_article_a_noun() -> None:
    assert "emporter" in lemma_set("Il avait emporté le pain.")
    assert "passé" in lemma_set("Le passé revint.")
    assert "être" in lemma_set("Nous sommes là.")
    assert "somme" in lemma_set("Il paya des sommes folles.")


def test_context_settles_forms_of_two_readings() -> None:
    assert "voir" in lemma_set("Puis Emma le vit qui disparaissait.")
    assert "pousser" in lemma_set("La fille poussa un rugissement.")
    assert {"cela", "opéra"} <= lemma_set("Cela se passa à l'opéra.")
    assert "enfant" in lemma_set("Il le traitait en enfant maladroit.")
    assert "dévorer" in lemma_set("Il parlait en dévorant son pain.")
    assert {"madame", "fou"} <= lemma_set("La carte de Mme Walter la rendait folle.")


def test_names_inside_a_sentence_are_not_words_to_learn() -> None:
    words = analyse("Puis il parla à Emma de Paris.")
    names = [w.form for w in words if w.name]
    assert names == ["Emma", "Paris"]


def test_the_default_lists_hold_the_commonest_lemmas_once() -> None:
    for name, size in (("fr-2k", 2000), ("fr-3k", 3000), ("fr-5k", 5000)):
        words = default_list(name)
        keys = [e.key for e in words.entries]
        assert len(keys) == size == len(set(keys))
    top = {e.key for e in default_list("fr-2k").entries[:100]}
    assert {"être", "avoir", "pas", "faire", "dire", "le", "de"} <= top
    assert "lol" not in {e.key for e in default_list("fr-5k").entries}


def test_a_learners_list_is_normalised_and_reported() -> None:
    data = (
        "mot\n"  # a header
        "Chevaux\n"
        "cheval\n"  # the same lemma
        "\u200bL’Homme\n"  # zero-width space, typographic apostrophe, elision, capital
        "homme|hommes\n"
        "tout à coup\n"
        "\n"
        "prendre|prit\n"
        "prit\n"
        "xyzzyq\n"
    ).encode()
    words, report = parse_user_list(data, "mine.txt")
    assert [e.key for e in words.entries] == ["cheval", "homme", "tout à coup", "prendre", "xyzzyq"]
    assert report.entries == 5
    assert report.duplicates == ["cheval", "homme|hommes", "prit"]
    assert report.merged == [("prendre|prit", "prendre")]
    assert report.multi_word == ["tout à coup"]
    assert report.unknown == ["xyzzyq"]
    assert report.empty == 2


def test_a_csv_list_reads_its_first_column() -> None:
    words, report = parse_user_list(b"word,note\nmaison,house\nmaisons,houses\n", "l.csv")
    assert [e.key for e in words.entries] == ["maison"]
    assert report.duplicates == ["maisons"]
