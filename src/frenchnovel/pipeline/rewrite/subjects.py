"""The subject a finite clause needs when it is cut from the piece that holds its subject.

« Il se mit en mouvement, mais, avant de partir, hésita. » → « … Avant de partir, il hésita. »
The subject is reused: the same pronoun when the source has one, the name when it is a short proper
noun, else il / elle / ils / elles chosen by the gender and number of the noun. A subject relative
« qui » opening a piece is replaced the same way (« … sa demoiselle. Elle l'aidait … »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# « reconnaissait-il », « dit-elle » : the subject is already there, glued after the verb.
_INVERTED = re.compile(r"\w+(?:-t)?-(?:il|elle|on|ils|elles|je|tu|nous|vous|ce)\b", re.IGNORECASE)
# Forms of avoir, être and faire: as main verbs they need their object to mean anything.
_LIGHT_VERB = re.compile(
    r"^(?:a|as|ai|avons|avez|ont|avai[st]|avaient|avions|aviez|eu[ts]?|eurent|aur[ao]i?[ts]?|"
    r"est|es|suis|sommes|êtes|sont|étai[st]|étaient|fu[ts]?|furent|fût|ser[ao]i?[ts]?|"
    r"fai[ts]|faisai[ts]|faisaient|fi[ts]|firent|fera[i]?[ts]?)$"
)
_INVERTING = {"que", "qu'", "qu’", "où", "dont"}
_PLURAL_ENDINGS = ("aient", "èrent", "irent", "urent", "ont")
_SINGULAR_ENDINGS = ("ait", "ât", "ît", "ût")
_NEGATION = {"ne", "n'", "n’"}
_SUBJECT_DEPS = ("nsubj", "nsubj:pass", "expl:subj", "csubj")
_AUX_DEPS = ("aux", "aux:pass", "aux:tense", "aux:caus", "cop")
_REUSED = {"il", "elle", "on", "ils", "elles", "je", "tu", "nous", "vous"}
_GLUED = {"j'": "j'", "j’": "j’"}
_DEMONSTRATIVE = {"c'", "c’", "ce", "ça", "cela", "ceci"}
_GLUE = set("-'’") | set("abcdefghijklmnopqrstuvwxyzàâçéèêëîïôûùüÿœ")  # a longer word goes on
_VOWELS = set("aeiouyhéèêàâîôûœ")
# Words that sit between a subject and its verb (« il ne le lui a pas dit »).
_CLITICS = {
    "ne", "n'", "n’", "se", "s'", "s’", "me", "m'", "m’", "te", "t'", "t’", "le", "la", "les",
    "l'", "l’", "lui", "leur", "y", "en", "nous", "vous",
}  # fmt: skip


@dataclass(slots=True, frozen=True)
class Clause:
    """A finite verb, where its subject is, and what to write if the subject is cut away."""

    verb_unit: int
    subject_unit: int  # -1 when the clause needs no subject (imperative, no subject found)
    insert_unit: int  # the unit before which a reused subject goes
    pronoun: str  # the subject to write ("il", "Charles", "j'"...)
    relative: bool  # the subject is a relative « qui » (replaced, not inserted, at a piece start)
    head_token: int = -1  # the clause's content word (the verb, or the participle after « a »)
    core: str = ""  # « s'enfonçaient », « avait perdu »: the verb to repeat after a subject
    lead: str = ""  # « il y avait », « c'était », « elle était »: opens a coordinated complement


def clause_of(verb: Any, unit_of: list[int], text: str) -> Clause:
    """The ``Clause`` of the finite token ``verb`` of ``text``; ``unit_of`` maps tokens to units."""
    head = verb.head if verb.dep_ in _AUX_DEPS and verb.head.i != verb.i else verb
    insert = _cluster_start(verb, head)
    inverted = _INVERTED.match(text, verb.idx)
    subject = None
    if "Imp" not in verb.morph.get("Mood") and not inverted:
        subject = _subject(head)
    if subject is None:
        return Clause(unit_of[verb.i], -1, unit_of[insert], "", False)
    before = verb.doc[insert - 1] if insert > 0 else None
    if before is not None and before.lower_ in _REUSED | set(_GLUED) | _DEMONSTRATIVE:
        subject = before  # « on ne sait pourquoi », « c'est » : a subject right there
    elif before is not None and before.lower_ in _INVERTING:
        # « le bruit que font les flèches »: the subject follows the verb, whatever the parse says
        return Clause(unit_of[verb.i], -1, unit_of[insert], "", False)
    elif (
        before is not None
        and before.pos_ in ("NOUN", "PROPN")
        and all(t.i != before.i for t in subject.subtree)
    ):
        subject = before  # « comme les Walter devaient partir »: a noun right before its verb
    relative = subject.lower_ == "qui"  # « dont », « que » are no subjects to replace
    referent = subject
    if relative and head.dep_ == "acl:relcl":
        referent = head.head
        # « de ces natures qui… » is kept as it is when the antecedent is a bare « ce »
        relative = referent.lower_ not in _GLUED and referent.lower_ not in _REUSED
    if referent.lower_ in _DEMONSTRATIVE:
        # « c'est … » cut from its « c' » has no pronoun among il, elle, on… to stand for it;
        # it can still open a coordinated attribute: « C'était … C'était une autre chose. »
        lead = _lead(before.text, verb, head, insert, text) if referent is before else ""
        return Clause(unit_of[verb.i], -1, unit_of[insert], "", False, head.i, "", lead)
    pronoun = _pronoun(referent, verb)
    if pronoun in _GLUED and verb.doc[insert].lower_[:1] not in _VOWELS:
        pronoun = "je"  # « j' » before « me suis » becomes « je »
    core = "" if pronoun in _GLUED else _core(verb, head, insert, text)
    return Clause(
        unit_of[verb.i],
        unit_of[subject.i],
        unit_of[insert],
        pronoun,
        relative,
        head.i,
        core,
        _lead(pronoun, verb, head, insert, text),
    )


def _lead(pronoun: str, verb: Any, head: Any, first: int, text: str) -> str:
    """Subject and verb that can open a complement coordinated with the verb's own one.

    Unlike ``core``, a light verb is fine here: the piece brings the object or attribute that
    « avait », « était » need (« Il y avait des chaises, des tables » → « Il y avait des tables »).
    """
    if "Sub" in verb.morph.get("Mood"):
        return ""  # « qu'ils soient grandes » does not stand alone
    core = _core(verb, head, first, text, light=True)
    start = verb.doc[first].idx
    glued = pronoun.endswith(("'", "’"))
    if not core or (start and not text[start - 1].isspace() and not glued):
        return ""
    if core.lower().startswith(pronoun.lower() + " "):
        return core  # « nous sommes »: the clitics before the verb began with the subject
    return pronoun + ("" if glued else " ") + core


def _core(verb: Any, head: Any, first: int, text: str, *, light: bool = False) -> str:
    """The verb with its clitics (« s'y rendait », « avait perdu »), or "" if it cannot travel.

    ``light`` lets a bare avoir, être or faire travel (its complement comes with it).
    """
    doc = verb.doc
    last = verb.i
    negated = any(doc[i].lower_ in _NEGATION for i in range(first, verb.i))
    if negated:
        return ""  # « il n'a plus … qu'en une autre vie »: a negation does not travel well
    if any(c.lower_ in _INVERTING and c.pos_ == "PRON" for c in head.children):
        return ""  # « ce qu'il a », « que les indigènes retiennent »: its object is elsewhere
    if head.i > last and head.i - last <= 2 and head.pos_ == "VERB":
        last = head.i  # the participle after an auxiliary: « avait perdu »
    if last == verb.i and _LIGHT_VERB.match(verb.lower_) and not light:
        return ""  # « elle avait l'air… » : « Elle avait aux heures… » would say nothing
    if any(c.dep_ in ("xcomp", "ccomp") and 0 < c.i - head.i <= 3 for c in head.children):
        return ""  # « devaient partir », « semblaient nuancés »: the verb needs what follows it
    if any(_bare_infinitive(c) for c in head.children if c.i > head.i):
        return ""  # « il devait, un de ces jours, aller »: a modal is nothing without its verb
    if any(doc[i].is_punct for i in range(first, last + 1)):
        return ""
    if doc[first].idx and not text[doc[first].idx - 1].isspace() and not light:
        return ""  # « t'es couché »: the core would lose the « t' » glued before it
    return text[doc[first].idx : doc[last].idx + len(doc[last])]


def _bare_infinitive(token: Any) -> bool:
    """An infinitive complement with no « à » or « de » before it (« devait … aller »)."""
    return (
        token.dep_ == "xcomp"
        and "Inf" in token.morph.get("VerbForm")
        and not any(c.dep_ == "mark" for c in token.children)
    )


def _subject(head: Any) -> Any:
    """The subject of ``head``, inherited along coordinated verbs (« il entra et s'assit »)."""
    seen = 0
    while seen < 8:
        for child in head.children:
            if child.dep_ in _SUBJECT_DEPS:
                return child
        if head.dep_ != "conj" or head.head.i == head.i:
            return None
        head, seen = head.head, seen + 1
    return None


def _cluster_start(verb: Any, head: Any) -> int:
    """Index of the first clitic or negation glued before ``verb`` (where a subject goes)."""
    i: int = verb.i
    doc = verb.doc
    while i > 0 and doc[i - 1].lower_ in _CLITICS and doc[i - 1].head.i in (verb.i, head.i):
        i -= 1
    return i


def _pronoun(referent: Any, verb: Any) -> str:
    """What to write for a cut-away subject ``referent`` of the finite ``verb``."""
    lower: str = referent.lower_
    if lower in _GLUED:
        return _GLUED[lower]
    if lower in _REUSED:
        return lower
    # Plural if the verb or the noun says so: the small model often misses one of the two.
    plural = verb.lower_.endswith(_PLURAL_ENDINGS) or (
        # « s'habillait » is singular whatever the parse says of « mari » or of the verb
        not verb.lower_.endswith(_SINGULAR_ENDINGS)
        and ("Plur" in verb.morph.get("Number") or "Plur" in referent.morph.get("Number"))
    )
    if referent.pos_ == "PROPN" and not plural:
        name = _short_name(referent)
        if name:
            return name
    feminine = "Fem" in referent.morph.get("Gender")
    if plural:
        return "elles" if feminine else "ils"
    return "elle" if feminine else "il"


def _short_name(name: Any) -> str:
    """« Charles » or « Mme Bovary »: a proper noun of at most two words, else ""."""
    parts = [
        t for t in name.subtree if t.i == name.i or t.dep_ in ("flat:name", "flat", "compound")
    ]
    if len(parts) > 2 or parts[-1].i - parts[0].i != len(parts) - 1:
        return ""
    text, start = name.doc.text, parts[0].idx
    end = parts[-1].idx + len(parts[-1].text)
    if not text[start].isupper():
        return ""  # « la mer » read as a name by the parse is still a common noun
    if (start and not text[start - 1].isspace()) or (end < len(text) and text[end] in _GLUE):
        return ""  # part of a longer word (« queue-d'aronde »): not a name to repeat
    return name.doc[parts[0].i : parts[-1].i + 1].text  # type: ignore[no-any-return]
