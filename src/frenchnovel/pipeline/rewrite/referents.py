"""Who a new sentence is about: the pronoun or the noun phrase that names a referent again.

When a clause becomes a sentence of its own, its subject (or the antecedent of its « qui »,
« que », « à qui ») must be written. A pronoun is written only where a reader cannot mistake it
(``Mention.pronoun``; the engine decides where), and only when gender and number are known;
otherwise the noun is named again: a name as it is, a noun with its own determiner (« sa bonne »,
« la mairie ») or, where the source had an indefinite one, a demonstrative (« un temple grec » →
« ce temple grec »), so the new sentence cannot point at someone else.
"""

from __future__ import annotations

from dataclasses import dataclass

from frenchnovel.pipeline.genders import gender as noun_gender
from frenchnovel.pipeline.rewrite.syntax import Sentence

PERSONAL = {"il", "elle", "ils", "elles", "on", "je", "tu", "nous", "vous", "j'", "j’"}
_FEMININE_DETS = {"la", "une", "cette", "sa", "ma", "ta", "quelle", "chaque"}
_MASCULINE_DETS = {"le", "un", "ce", "cet", "du", "au"}
_PLURAL_DETS = {
    "les", "des", "ces", "ses", "mes", "tes", "nos", "vos", "leurs", "aux", "quelques",
    "plusieurs", "certains", "certaines", "tous", "toutes",
}  # fmt: skip
_SINGULAR_DETS = _FEMININE_DETS | _MASCULINE_DETS | {"l'", "l’", "son", "mon", "ton", "notre"}
_KEPT_DETS = {
    "le", "la", "l'", "l’", "les", "ce", "cet", "cette", "ces", "son", "sa", "ses", "mon", "ma",
    "mes", "ton", "ta", "tes", "notre", "nos", "votre", "vos", "leur", "leurs",
}  # fmt: skip
_ALL_DETS = _FEMININE_DETS | _MASCULINE_DETS | _PLURAL_DETS | _SINGULAR_DETS | _KEPT_DETS
# Nouns of quantity or kind: what they stand for is their complement (« une vingtaine de
# fourmilières … formaient », « une sorte d'étonnement qui »): never named again alone.
QUANTITY = {
    "sorte", "espèce", "genre", "façon", "manière", "foule", "vingtaine", "dizaine", "douzaine",
    "centaine", "quinzaine", "trentaine", "quarantaine", "cinquantaine", "millier", "quantité",
    "nombre", "partie", "plupart", "reste", "moitié", "tas", "multitude", "troupe", "rangée",
    "série", "suite", "infinité", "peu", "beaucoup", "tiers", "quart", "majorité", "ensemble",
}  # fmt: skip
_CONTRACTED = {"du": "le", "au": "le", "aux": "les", "des": "les"}
_VOWELS = tuple("aeiouyhéèêàâîôûœ")
_SUBJECT_PRONOUNS = {"ms": "il", "fs": "elle", "mp": "ils", "fp": "elles"}
_OBJECT_PRONOUNS = {"ms": "le", "fs": "la", "mp": "les", "fp": "les"}
_BE = {
    ("Pres", "s"): "est",
    ("Pres", "p"): "sont",
    ("Past", "s"): "était",
    ("Past", "p"): "étaient",
}


@dataclass(frozen=True, slots=True)
class Mention:
    """A referent, as a pronoun (when one is safe) and as a noun phrase."""

    token: int  # the referent's head token in the source
    agree: str  # « ms », « fp »… or "" when gender or number is unknown
    phrase: str  # the noun phrase that names it again, or "" when none can be written
    personal: str = ""  # the source's own subject pronoun (« il », « on », « j' »)

    def pronoun(self) -> str:
        if self.personal:
            return "je" if self.personal in ("j'", "j’") else self.personal
        return _SUBJECT_PRONOUNS.get(self.agree, "")

    def clitic(self, before: str) -> str:
        """« le », « la », « les » (« l' » before a vowel) for this referent as an object."""
        word = _OBJECT_PRONOUNS.get(self.agree, "")
        if word in ("le", "la") and before.lower().startswith(_VOWELS):
            return "l'"
        return word

    def dative(self) -> str:
        """« lui » or « leur »: this referent after « à »."""
        return {"s": "lui", "p": "leur"}.get(self.agree[1:], "")


def mention(s: Sentence, token: int) -> Mention:
    """How to name the referent ``token`` again (a noun, a name or a personal pronoun)."""
    lower = s.lower[token]
    if lower in PERSONAL:
        agree = {"il": "ms", "elle": "fs", "ils": "mp", "elles": "fp"}.get(lower, "")
        return Mention(token, agree, s.text[token], personal=lower)
    named = any(s.dep[k] == "flat:name" for k in s.children[token])  # « M. Walter »
    # « Madeleine » inside a sentence without a determiner, read as a common noun by the tagger
    bare = token > 0 and s.pos[token] == "NOUN" and not _determiners(s, token)
    if s.pos[token] == "PROPN" or ((named or bare) and s.text[token][:1].isupper()):
        return Mention(token, agreement(s, token), _name(s, token))
    if (s.pos[token] not in ("NOUN", "ADJ") and not s.text[token].isalpha()) or lower in QUANTITY:
        return Mention(token, "", "")
    return Mention(token, agreement(s, token), _noun_phrase(s, token))


def agreement(s: Sentence, token: int) -> str:
    """« fs », « mp »… from the determiner first (the parse's morphology second), or ""."""
    dets = _determiners(s, token)
    gender = number = ""
    for k in dets:
        word = s.lower[k]
        if word in _FEMININE_DETS:
            gender = "f"
        elif word in _MASCULINE_DETS and not (word == "ce" and s.dep[k] != "det"):
            gender = "m"
        if word in _PLURAL_DETS:
            number = "p"
        elif word in _SINGULAR_DETS:
            number = "s"
    if not gender and s.pos[token] == "NOUN":
        gender = noun_gender(s.text[token])  # « des marrons »: the lexicon, not the tagger
    for k in [token, *[c for c in s.children[token] if s.dep[c] == "amod"]]:
        gender = gender or {"Fem": "f", "Masc": "m"}.get(s.feature(k, "Gender"), "")
        number = number or {"Sing": "s", "Plur": "p"}.get(s.feature(k, "Number"), "")
    return gender + number if gender and number else ""


def _determiners(s: Sentence, token: int) -> list[int]:
    """The determiners of ``token``: by the parse, or the word before its adjectives when the
    parse took it for something else (« Le fiacre » with « Le » read as a pronoun)."""
    found = [k for k in s.children[token] if s.dep[k] in ("det", "case") and k < token]
    k = token - 1
    while k >= 0 and s.dep[k] in ("amod", "nummod") and s.head[k] == token:
        k -= 1
    if k >= 0 and k not in found and s.lower[k] in _ALL_DETS:
        found.append(k)
    return found


def copula(tense: str, agree: str) -> str:
    """« est », « sont », « était », « étaient »."""
    return _BE.get((tense or "Past", agree[1:] or "s"), "était")


def _name(s: Sentence, token: int) -> str:
    """« Candide », « M. Homais », « Mme Bovary »: a name of at most three words, else ""."""
    parts = sorted(
        {token} | {k for k in s.children[token] if s.dep[k] in ("flat:name", "flat", "compound")}
    )
    titles = [k for k in s.children[token] if s.dep[k] in ("nmod", "appos") and k == token - 1]
    parts = sorted(set(parts) | {k for k in titles if s.text[k].endswith(".")})
    if len(parts) > 3 or parts[-1] - parts[0] != len(parts) - 1:
        return ""
    if not s.text[parts[0]][:1].isupper():
        return ""
    return _join(s, parts)


def _noun_phrase(s: Sentence, token: int) -> str:
    """The noun with its determiner, numbers and the adjectives next to it, no complements."""
    kids = s.children[token]
    det = next((k for k in _determiners(s, token) if s.lower[k] in _ALL_DETS), -1)
    case = next((k for k in kids if s.dep[k] == "case" and s.lower[k] in _CONTRACTED), -1)
    near = [
        k
        for k in kids
        if (s.dep[k] == "amod" and abs(k - token) <= 2 and not s.children[k] and _bare(s, k))
        or (s.dep[k] == "nummod" and k < token)
    ]
    words = sorted([token, *near])
    if words[-1] - words[0] != len(words) - 1:
        return ""
    agree = agreement(s, token)
    first = _join(s, words)
    if det >= 0 and det == words[0] - 1 and s.lower[det] in _KEPT_DETS:
        return _join(s, [det, *words])
    if case >= 0 and case == words[0] - 1 and det < 0:
        article = _CONTRACTED[s.lower[case]]
        if article == "le" and first.lower().startswith(_VOWELS):
            return "l'" + first
        if article == "le" and agree[:1] == "f":
            article = "la"
        return f"{article} {first}"
    if not agree:
        return ""
    if agree[1] == "p":
        return f"ces {first}"
    if agree[0] == "f":
        return f"cette {first}"
    return ("cet " if first.lower().startswith(_VOWELS) else "ce ") + first


def _bare(s: Sentence, k: int) -> bool:
    """The adjective ``k`` has no complement after it, whatever the parse hung it on: « des
    danseurs hauts comme le doigt » are not « ces danseurs hauts »."""
    return k + 1 >= len(s) or s.lower[k + 1] not in ("comme", "de", "d'", "d’", "à", "que", "qu'")


def _join(s: Sentence, tokens: list[int]) -> str:
    out = ""
    for k in tokens:
        out += s.text[k] + (s.space[k] if k != tokens[-1] else "")
    return out
