"""A relative clause becomes a sentence of its own, its antecedent named.

« qui » → the antecedent as subject (a pronoun where it cannot be mistaken, else the noun again:
« un chien qui dormait » → « Ce chien dormait »); « que » → « le / la / l' / les » before the verb;
« à qui » → « lui / leur »; « où » → « y » (not after a noun of time: « le jour où »);
« dont la femme » → « sa femme », « dont il parlait » → « il en parlait ». The
antecedent of « qui » agrees in number with its verb, which sets a misattached parse right
(« les portes du théâtre, qui étaient fermées »). Another « dont », a relative of a pronoun (« ceux
qui »), a supposition (« qui verrait »), two coordinated relatives and one whose words may have
been hung elsewhere by the parse stay with their clause.
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.referents import Mention, agreement, mention
from frenchnovel.pipeline.rewrite.splitting import (
    ANTECEDENTS,
    CLITICS,
    COMMAS,
    REFLEXIVE,
    STOPS,
    clitic_slot,
    cluster_start,
    detach,
    mood,
)
from frenchnovel.pipeline.rewrite.syntax import RELATIVE_PRONOUNS, SUBJECT_DEPS, Sentence

_ARTICLES = {"le", "la", "les", "l'", "l’"}
_TIMES = {
    "jour", "jours", "moment", "moments", "instant", "heure", "heures", "temps", "époque",
    "année", "années", "soir", "matin", "nuit", "minute", "siècle", "fois", "saison", "mois",
    "semaine", "an", "ans", "âge", "soirée", "matinée", "journée", "date", "période",
}  # fmt: skip


_PRONOUNS = {"celui", "celle", "ceux", "celles", "ce", "cela", "ceci", "tout", "tous", "toutes"}


def relatives(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    members = set(piece.tokens)
    for c in piece.tokens:
        n = _antecedent(s, piece, c)
        if n < 0 or n not in members or s.pos[n] not in ANTECEDENTS or s.lower[n] in _PRONOUNS:
            continue  # « de celles que l'on traitait »: whatever the tag, a pronoun's
        child = s.subtree(c) & members
        words = [k for k in sorted(child) if not s.is_punct(k)]
        if words and words[0] > 0 and s.lower[words[0] - 1] in _PRONOUNS:
            continue  # « celles que l'on traitait », whatever the parse hangs it on
        if not words or not s.is_clause(c) or mood(s, c) in ("Cnd", "Sub"):
            continue  # « une chouette qui verrait »: a supposition is no statement
        found = mention(s, n)
        if not (found.pronoun() or found.phrase):
            continue
        if not _ends_cleanly(s, piece, child, n):
            tail = _tail(s, piece, child)  # « sa femme qui passait, au bras du ministre »
            if not tail or not _ends_cleanly(s, piece, child | tail, n):
                continue
            child |= tail
        if any(s.lower[k] in RELATIVE_PRONOUNS for k in words[1:] if s.lower[k - 1] in ("et", ",")):
            continue  # « qu'on instruisait et qu'on allait juger »: two relatives stay together
        if any(_bare_participle(s, k) for k in child if k != c):
            continue  # « les savoyards qui passaient, pris des renseignements … »: the main verb's
        parent, kid = detach(s, piece, child, c)
        if _relative(s, kid, c, words, found):
            yield [parent, kid]


def _antecedent(s: Sentence, piece: Piece, c: int) -> int:
    """The noun the relative clause ``c`` is about, or -1. The parse's when it has one; after
    « , qui » the nearest noun before the comma when the parse missed the relative. For « qui »,
    the noun must agree in number with the verb and in gender with a participle or adjective of
    the clause, else the noun it complements may (« les portes du théâtre, qui étaient
    fermées »: « portes », not « théâtre »; « la fille d'un marchand, qui était devenue »)."""
    first = min(s.subtree(c))
    if s.dep[c] == "acl:relcl":
        n = s.head[c]
    elif s.lower[first] == "qui" and s.dep[first] in SUBJECT_DEPS and first - 1 in piece.tokens:
        before = [k for k in piece.tokens if k < first - 1]
        if s.text[first - 1] != "," or not before:
            return -1
        n = before[-1] if s.pos[before[-1]] in ANTECEDENTS else -1
    elif s.lower[first] == "dont" and first - 1 in piece.tokens and s.is_clause(c):
        n = first - 1 if s.pos[first - 1] in ANTECEDENTS else -1  # « une maison dont les … »
    elif _a_qui(s, first) and first - 1 in piece.tokens and s.is_clause(c):
        n = first - 1 if s.pos[first - 1] in ANTECEDENTS else -1  # « un garçon à qui la … »
        return n
    else:
        return -1
    if n < 0 or s.lower[first] != "qui" or s.dep[first] not in SUBJECT_DEPS:
        return n
    number, gender = _verb_number(s, c), _clause_gender(s, c)
    for candidate in (n, s.head[n] if s.dep[n] == "nmod" else -1):
        agree = agreement(s, candidate) if candidate >= 0 else ""
        if agree and (not number or agree[1] == number) and (not gender or agree[0] == gender):
            return candidate
    return -1 if number or gender else n


def _bare_participle(s: Sentence, k: int) -> bool:
    """A past participle with an object and no auxiliary: it shares an auxiliary before it
    (« il avait …, pris des renseignements »), which the relative does not have."""
    if s.pos[k] != "VERB" or "Part" not in s.morph[k].get("VerbForm") or s.lower[k].endswith("ant"):
        return False
    kids = s.children[k]
    has_object = any(s.dep[j] == "obj" for j in kids)
    return has_object and not any(s.dep[j].startswith("aux") for j in kids)


def _a_qui(s: Sentence, first: int) -> bool:
    """« à qui » opening a clause the parse did not read as a relative."""
    return s.lower[first] == "à" and first + 1 < len(s) and s.lower[first + 1] == "qui"


def _clause_gender(s: Sentence, c: int) -> str:
    """« f » or « m » from a participle or an adjective that agrees with the subject of the
    relative clause ``c`` (« qui était devenue amoureuse »: a woman), or ""."""
    for k in (c, *s.children[c]):
        if k != c and s.dep[k] not in ("xcomp", "acl"):
            continue
        participle = s.pos[k] == "VERB" and "Part" in s.morph[k].get("VerbForm")
        passive = k == c and any(s.dep[j] in ("aux:pass", "cop") for j in s.children[c])
        if (participle and passive) or (s.pos[k] == "ADJ" and (k != c or passive)):
            found = {"Fem": "f", "Masc": "m"}.get(s.feature(k, "Gender"), "")
            if found:
                return found
    return ""


def _verb_number(s: Sentence, c: int) -> str:
    v = s.finite_of(c)
    if v < 0:
        return ""
    if s.lower[v].endswith(("aient", "èrent", "irent", "urent", "ont", "ent")):
        return "p" if s.feature(v, "Number") != "Sing" or s.lower[v].endswith("aient") else ""
    return {"Sing": "s", "Plur": "p"}.get(s.feature(v, "Number"), "")


def _tail(s: Sentence, piece: Piece, child: set[int]) -> set[int]:
    """What ends ``piece`` after the relative clause ``child`` when it is the clause's own: words
    after a comma with no verb, quote or relative of their own (« qui passait, au bras du
    ministre »: the nearest clause's, and the last), up to the final stop; else nothing."""
    after = [k for k in piece.tokens if k > max(child)]
    words = [k for k in after if not s.is_punct(k)]
    if not words or s.text[after[0]] not in COMMAS:
        return set()
    if any(s.finite[k] or s.pos[k] in ("VERB", "AUX", "CCONJ") for k in words):
        return set()
    if any(s.lower[k] in RELATIVE_PRONOUNS or s.text[k] in ("«", "»", "(", ")") for k in after):
        return set()
    return {k for k in after if k <= max(words)}


def _ends_cleanly(s: Sentence, piece: Piece, child: set[int], n: int) -> bool:
    """What follows the relative clause ``child`` in ``piece`` cannot be part of it: nothing, a
    stop, a comma before a verb or a conjunction (« La porte, qui …, était »), or the verb whose
    subject the antecedent ``n`` is (« Les deux religieuses qui faisaient le service
    s'appelaient … »). Otherwise the parse may have hung some of its words elsewhere (« un mot …
    qui le suppliait de venir dîner chez elle, le soir même, avec sa femme »)."""
    after = [k for k in piece.tokens if k > max(child)]
    if not after or s.text[after[0]] in STOPS:
        return True
    v = s.head[n] if s.dep[n] in SUBJECT_DEPS and n < min(child) else -1
    if s.text[after[0]] not in COMMAS and v > max(child) and s.finite_of(v) >= 0:
        return after[0] == cluster_start(s, v, set(piece.tokens))
    if s.text[after[0]] not in COMMAS or len(after) < 2:
        return False
    k = after[1]
    if s.pos[k] == "CCONJ" and len(after) > 2 and s.lower[after[2]] in RELATIVE_PRONOUNS:
        return False  # « qui trafiquait en Hollande, et qui aimait … »: two relatives
    return s.finite[k] or s.pos[k] in ("CCONJ", "AUX") or s.lower[k] in CLITICS


def _relative(s: Sentence, kid: Piece, c: int, words: list[int], found: Mention) -> bool:
    """Make the relative clause ``c`` in ``kid`` a sentence of its own; False for a kind
    that stays with its antecedent."""
    first = words[0]
    child = set(kid.tokens)
    own = s.own_subject(c)
    verb = s.finite_of(c)
    if s.lower[first] == "qui" and s.dep[first] in SUBJECT_DEPS:
        kid.drop = kid.drop | {first}
        kid.subject, kid.subject_at = found, first
        return True
    if not (own in child and first < own < verb):
        return False  # « que font les flèches »: the subject comes after the verb
    if s.lower[first] == "dont":
        return _dont(s, kid, c, words, found, own)
    if s.lower[first] in ("que", "qu'", "qu’") and s.pos[first] == "PRON":
        if any(s.dep[k] == "obj" and k != first for k in s.children[c]) or not found.agree:
            return False
        if any(k > verb and "Inf" in s.morph[k].get("VerbForm") for k in child):
            return False  # « qu'il valait mieux garder »: the infinitive's object, not the verb's
        slot = clitic_slot(s, c, child, tuple(REFLEXIVE))
        kid.drop = kid.drop | {first}
        kid.insert[slot] = found.clitic(s.text[slot])
        return True
    if s.lower[first] == "où" and s.lower[s.head[c]] not in _TIMES and not _has_y(s, c):
        slot = clitic_slot(s, c, child, (*REFLEXIVE, "le", "la", "les", "l'", "l’", "lui", "leur"))
        kid.drop = kid.drop | {first}
        kid.insert[slot] = "y"  # « la maison où il vivait » → « Il y vivait. »
        return True
    if s.lower[first] == "à" and len(words) > 1 and s.lower[words[1]] == "qui" and found.agree:
        slot = clitic_slot(s, c, child, (*REFLEXIVE, "le", "la", "les", "l'", "l’"))
        kid.drop = kid.drop | {first, words[1]}
        kid.insert[slot] = found.dative()
        return True
    return False


def _dont(s: Sentence, kid: Piece, c: int, words: list[int], found: Mention, own: int) -> bool:
    """« un homme dont la femme était malade » → « Sa femme était malade. »: « dont » and the
    subject's article become a possessive; « un livre dont il parlait » → « Il en parlait. »
    Not after « façon », « manière », « sorte » (« la façon dont il arrangerait »), nor when
    the clause has an object of its own (« dont il connaissait le père »)."""
    antecedent = s.lower[s.head[c]] if s.dep[c] == "acl:relcl" else ""
    if not found.agree or antecedent in ("façon", "manière", "sorte", "guise"):
        return False
    if not any(k > s.finite_of(c) for k in words):
        return False  # « dont les chefs disaient : … »: what they said is elsewhere
    article = words[1] if len(words) > 2 else -1
    if article >= 0 and s.head[article] == own and s.lower[article] in _ARTICLES:
        plural = s.lower[article] == "les"
        vowel = s.lower[article + 1][:1] in "aeiouyhéèêâîôû"
        if found.agree[1] == "p":
            word = "leurs" if plural else "leur"
        else:
            word = "ses" if plural else "son" if s.lower[article] == "le" or vowel else "sa"
        kid.drop = kid.drop | {words[0], article}
        kid.insert[article] = word
        return True
    if own != words[1] or any(s.dep[k] in ("obj", "ccomp") for k in s.children[c]):
        return False
    if s.lower[own] == "il" and any(s.lower[k] in ("agit", "agissait") for k in words):
        return False  # « ce dont il s'agit » is impersonal
    slot = clitic_slot(s, c, set(kid.tokens), tuple(CLITICS - {"en"}))
    kid.drop = kid.drop | {words[0]}
    kid.insert[slot] = "en"  # « dont il parlait » → « Il en parlait. »
    return True


def _has_y(s: Sentence, c: int) -> bool:
    return any(s.lower[k] in ("y", "en") for k in s.children[c])
