"""Words of a French sentence and their lemmas: how a word list meets the sentences of a book.

A list entry is a lemma (« cheval », « prendre », « beau »); a sentence holds it when one of its
words is a form of it (« chevaux », « prirent », « belles »). The lemmas come from ``simplemma``
(a full-form dictionary, about two million words a second), set right by a small table of the
closed-class words it merges (« ils » and « elles » are not « lui », « mes » is not « son ») and of
the forms that in novels are nearly always a verb (« sommes », « avions », « vit »). spaCy's
lemmatizer reads the context but is a hundred times slower and has its own merges (« Elle » →
« lui »); ``bench/decks.py`` measures both on pairs checked by reading.

The words are those of ``decks.tokens``; an elision is its word (« l' » → « le »), a contraction
its two (« du » → « de », « le »). The words around one settle what a table cannot: after an
article a word is a noun (« des sommes », « le passé »), after an auxiliary or elsewhere a form
ending like a past participle of a known verb is that verb (« avait emporté »), after a clitic a
present (« il reste »), « en » + -ant or -ant before its complement a verb (« en dévorant »,
« remontant aux sources »), « des » after a noun « de les » (« l'époque des pluies »).

A capitalised word inside a sentence is a name (« Emma »), and so is one opening it that the
book writes capitalised elsewhere or that French does not know (« Delaveau »): a learner need not
learn it, so it counts as known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import simplemma

from frenchnovel.decks.tokens import WHOLE_WITH_APOSTROPHE, _positioned

LANG = "fr"

ELISIONS = {
    "l'": "le",
    "d'": "de",
    "j'": "je",
    "m'": "me",
    "t'": "te",
    "s'": "se",
    "n'": "ne",
    "c'": "ce",
    "qu'": "que",
    "jusqu'": "jusque",
    "lorsqu'": "lorsque",
    "puisqu'": "puisque",
    "quoiqu'": "quoique",
    "presqu'": "presque",
}
CONTRACTIONS = {
    "au": ("à", "le"),
    "aux": ("à", "le"),
    "du": ("de", "le"),
    "des": ("un",),
    "auquel": ("à", "lequel"),
    "duquel": ("de", "lequel"),
}
# Closed-class words and forms that simplemma merges or reads as the rarer word of two.
OVERRIDES = {
    "pas": "pas",
    "je": "je",
    "tu": "tu",
    "me": "me",
    "te": "te",
    "se": "se",
    "moi": "moi",
    "toi": "toi",
    "soi": "soi",
    "nous": "nous",
    "vous": "vous",
    "lui": "lui",
    "il": "il",
    "ils": "il",
    "elle": "elle",
    "elles": "elle",
    "eux": "lui",
    "on": "on",
    "mon": "mon",
    "ma": "mon",
    "mes": "mon",
    "ton": "ton",
    "ta": "ton",
    "tes": "ton",
    "son": "son",
    "sa": "son",
    "ses": "son",
    "notre": "notre",
    "nos": "notre",
    "votre": "votre",
    "vos": "votre",
    "leur": "leur",
    "leurs": "leur",
    "où": "où",
    "quelques": "quelque",
    "sommes": "être",
    "avions": "avoir",
    "vit": "voir",
    "vis": "voir",
    "lut": "lire",
    "fût": "être",
    "fûmes": "être",
    "assise": "asseoir",
    "assis": "asseoir",
    "assises": "asseoir",
    "messieurs": "monsieur",
    "mme": "madame",
    "mmes": "madame",
    "mlle": "mademoiselle",
    "mlles": "mademoiselle",
    "folle": "fou",  # simplemma has « folles » → « fou » but « folle » as its own lemma
}


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a sentence: its form, its lemmas (two for a contraction), and whether it is a
    name or a number (known to any learner)."""

    form: str
    lemmas: tuple[str, ...]
    name: bool = False


@cache
def lemmas_of(form: str, after: str = "") -> tuple[str, ...]:
    """The lemmas of one lower-case word (two for « du », « au »…).

    ``after`` is the word before it, lower case: after a determiner a word is a noun or an
    adjective (« des sommes », « le passé »), elsewhere a form that simplemma leaves as it is
    but that ends like a past participle of a verb it knows is that verb (« avait emporté »,
    « se fût démontée », « blanchi à la chaux »), and « en » + -ant is a gerund (« en dévorant »).
    """
    if form in ELISIONS:
        return (ELISIONS[form],)
    if form == "grand'":
        return ("grand",)  # « grand'chose », « grand'mère », « grand'peine »
    if form == "des" and after and after not in VERB_CONTEXT and not _finite(after):
        return ("de", "le")  # « l'époque des pluies »: after a noun, « de les »
    if form in CONTRACTIONS:
        return CONTRACTIONS[form]
    noun_slot = after in DETERMINERS
    if form in OVERRIDES and not (noun_slot and form in VERB_READINGS):
        return (OVERRIDES[form],)
    lemma = simplemma.lemmatize(form, lang=LANG).lower()
    if not noun_slot and (lemma == form or lemma in _bare(form)):
        verb = _verb_of_participle(form, gerund=after == "en") or _verb_of_past(form)
        if verb is None and after in CLITICS:
            verb = _verb_of_present(form)
        if verb:
            return (verb,)
    return (lemma,)


def _finite(word: str) -> bool:
    """A conjugated verb (« apercevait », « donna »), not a participle (« poudrée »)."""
    lemma = simplemma.lemmatize(word, lang=LANG).lower()
    verbal = lemma != word and lemma.endswith(("er", "ir", "re", "oir"))
    return verbal and not _PARTICIPLE.match(word) and not word.endswith("ant")


def _verb_of_past(form: str) -> str | None:
    """« poussa », « poussèrent », « poussait » that simplemma leaves as they are."""
    for ending in ("èrent", "aient", "ait", "a"):
        if form.endswith(ending) and len(form) > len(ending) + 2:
            verb = form[: -len(ending)] + "er"
            if verb not in _dictionary_lemmas():
                return None
            # « cela », « opéra » are words of their own, commoner than « celer », « opérer »;
            # « poussa », which the dictionary also knows, is rarer than « pousser ».
            return verb if not known_form(form) or _commoner(verb, form) else None
    return None


def _commoner(word: str, other: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, LANG) > zipf_frequency(other, LANG)


VERB_READINGS = frozenset({"sommes", "avions", "vit", "vis", "lut", "fût"})
DETERMINERS = frozenset(
    "le la les l' un une des du au aux ce cet cette ces mon ma mes ton ta tes son sa ses notre "
    "nos votre vos leur leurs quelque quelques chaque plusieurs".split()
)
_PARTICIPLE = re.compile(r"^(.{3,}?)(ée|ées|és|é|ie|ies|is|i|ue|ues|us|u)$")
_VERB_ENDINGS = {"é": ("er",), "i": ("ir",), "u": ("re", "ir")}


# « des » after these is the plural of « un » (« il avait des amis », « avec des amis »).
VERB_CONTEXT = frozenset(
    "et ou mais avec pour sans par sur sous dans chez vers entre contre comme que qu' de d' "
    "à en a ai as avait avaient avons eut est sont était étaient fut furent fait faisait "
    "voit vit y il elle on ils elles".split()
)
# After these a word is a verb (« il reste », « nous donne », « ne fiche »); not « le, la,
# les », which are articles as often as pronouns.
CLITICS = frozenset("je j' tu il elle on ils elles ne n' me m' te t' se s' nous vous lui y".split())


def _verb_of_present(form: str) -> str | None:
    if len(form) < 4 or form in OVERRIDES:
        return None
    for ending in ("ent", "es", "e"):
        if form.endswith(ending) and form[: -len(ending)] + "er" in _dictionary_lemmas():
            return form[: -len(ending)] + "er"
    return None


def _bare(form: str) -> set[str]:
    """The form without a feminine or plural ending: « épouses » → « épouse », « épous »."""
    return {form[: -len(end)] for end in ("s", "e", "es") if form.endswith(end)}


def _verb_of_participle(form: str, *, gerund: bool) -> str | None:
    if gerund and form.endswith("ant") and len(form) > 5:
        for ending in ("er", "ir", "re"):
            if _is_verb(form[:-3] + ending):
                return form[:-3] + ending
        return None
    match = _PARTICIPLE.match(form)
    if match is None:
        return None
    stem, ending = match.groups()
    for infinitive in _VERB_ENDINGS[ending[0]]:
        if stem + infinitive in _dictionary_lemmas():
            return stem + infinitive
    return None


@cache
def _is_verb(lemma: str) -> bool:
    """A lemma that the dictionary conjugates (« dévorer » has « dévorait »), not a noun that
    happens to end like an infinitive (« enfer », which « en enfant » would otherwise give)."""
    if lemma not in _dictionary_lemmas():
        return False
    stem = lemma[:-2]
    forms = (stem + "ait", stem + "issait", stem + "é", stem + "i", stem + "u", stem + "ent")
    return any(simplemma.lemmatize(f, lang=LANG).lower() == lemma for f in forms)


@cache
def _dictionary_lemmas() -> frozenset[str]:
    """The lemmas of simplemma's French dictionary: its keys are the other forms only."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    return frozenset(DefaultDictionaryFactory().get_dictionary(LANG).values())


@cache
def known_form(form: str) -> bool:
    """Does the dictionary know this lower-case form (a word of French, not a name)?"""
    if form in OVERRIDES or form in ELISIONS or simplemma.is_known(form, lang=LANG):
        return True
    return form in _dictionary_lemmas()


def analyse(text: str, names: frozenset[str] = frozenset()) -> list[Word]:
    """Each word of ``text`` with its lemmas; numbers and names have none.

    A name is a capitalised word inside a sentence, or anywhere when ``names`` (lower case: the
    book's names, see ``book_names``) holds it; « Monsieur », « Dieu » and pronouns are words.
    """
    result: list[Word] = []
    previous = ""
    positioned = _positioned(text)
    for i, (token, opening) in enumerate(positioned):
        lower = token.lower()
        following = positioned[i + 1][0].lower() if i + 1 < len(positioned) else ""
        if token.isdigit():
            result.append(Word(token, (), name=True))
        elif lower in WHOLE_WITH_APOSTROPHE:
            result.append(Word(token, (lower,)))
        elif token[0].isupper() and _is_name(lower, opening, names):
            result.append(Word(token, (), name=True))
        elif lower in VERB_READINGS and previous in OBJECT_CLITICS and _subject(result[-2:-1]):
            result.append(Word(token, (OVERRIDES[lower],)))  # « Emma le vit », « il la vit »
        else:
            result.append(Word(token, _in_context(lower, previous, following)))
        previous = lower
    return result


OBJECT_CLITICS = frozenset("le la les l'".split())
SUBJECTS = frozenset("je j' tu il elle on nous vous ils elles".split())


def _subject(before: list[Word]) -> bool:
    """Whether the word before an object clitic is a subject (a name or a subject pronoun)."""
    return bool(before) and (before[0].name or before[0].form.lower() in SUBJECTS)


# A present participle followed by one of these takes a complement: a verb (« remontant aux
# sources », « tombant des hauteurs »), not an adjective (« son œil caressant et fuyant »).
COMPLEMENT_OPENERS = frozenset(
    "à au aux de d' des du le la les l' un une son sa ses leur leurs mon ma mes".split()
)
# Words in -ant that are adverbs or prepositions, never the participle of a verb here.
NOT_PARTICIPLES = frozenset(
    "maintenant pendant cependant durant suivant devant avant auparavant dorénavant moyennant "
    "néanmoins nonobstant".split()
)


# After an auxiliary, a clitic or one of these adverbs a participle is a verb (« avait tant
# envié »); after a noun, without a complement, an adjective (« un tapis bariolé »).
TRANSPARENT = frozenset(
    "tant bien déjà pas point jamais toujours encore mieux mal tout enfin donc ne n' se s'".split()
)
PARTICIPLE_COMPLEMENTS = frozenset(
    "à au aux de d' des du par sur dans en chez sous avec pour vers contre entre".split()
)


def _in_context(lower: str, previous: str, following: str) -> tuple[str, ...]:
    found = lemmas_of(lower, previous)
    if (
        found[0] != lower
        and _verb_of_participle(lower, gerund=False) == found[0]
        and previous
        and previous not in TRANSPARENT
        and previous not in CLITICS
        and lemmas_of(previous)[0] not in ("avoir", "être")
        and following not in PARTICIPLE_COMPLEMENTS
    ):
        match = _PARTICIPLE.match(lower)
        assert match is not None  # _verb_of_participle matched it
        return (match.group(1) + match.group(2)[0],)  # the adjective: « variées » → « varié »
    if (
        found == (lower,)
        and lower.endswith("ant")
        and following in COMPLEMENT_OPENERS
        and lower not in NOT_PARTICIPLES
    ):
        verb = _verb_of_participle(lower, gerund=True)
        if verb and previous not in DETERMINERS:
            return (verb,)
    return found


def _is_name(lower: str, opening: bool, names: frozenset[str]) -> bool:
    """Inside a sentence a capital makes a name; at its start, the book's names do, and a word
    that neither the dictionary nor French usage knows (« Delaveau »)."""
    if _capital(lower):
        return False
    return not opening or lower in names or _unheard_of(lower)


@cache
def _unheard_of(lower: str) -> bool:
    from wordfreq import zipf_frequency

    return not known_form(lower) and zipf_frequency(lower, LANG) < RARE_ZIPF


RARE_ZIPF = 2.0  # under once in ten million words of French


def _capital(lower: str) -> bool:
    """Words a novel capitalises inside a sentence without being names (« Monsieur », « Dieu »)."""
    return lower in CAPITALISED or lower in ELISIONS or lower in OVERRIDES


CAPITALISED = frozenset(
    "monsieur madame mademoiselle messieurs mesdames dieu je il elle ils elles on nous vous".split()
)


def lemma_set(text: str, names: frozenset[str] = frozenset()) -> frozenset[str]:
    """Every lemma that ``text`` holds."""
    return frozenset(lemma for word in analyse(text, names) for lemma in word.lemmas)


def book_names(texts: list[str]) -> frozenset[str]:
    """The words that the texts write capitalised inside a sentence more often than in lower
    case (« Emma », « Charles », « Paris »): names, also where they open a sentence."""
    capitalised: dict[str, int] = {}
    lower: dict[str, int] = {}
    for text in texts:
        for token, opening in _positioned(text):
            key = token.lower()
            if token[0].isupper():
                if not opening and not _capital(key):
                    capitalised[key] = capitalised.get(key, 0) + 1
            elif token.isalpha():
                lower[key] = lower.get(key, 0) + 1
    return frozenset(k for k, n in capitalised.items() if n > lower.get(k, 0))
