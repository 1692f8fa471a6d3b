"""Does a short sentence stand alone? Mechanical checks of one piece, parsed by itself.

A piece passes when it has a main clause (a finite verb with its subject, an imperative, an
inverted subject « dit-il », « viendra-t-on », « voici / voilà »; a question or an exclamation may
be verbless: « En liberté ! »), does not end on a word that needs what follows (an article or
determiner, a preposition, a conjunction, a clitic, « ne »), does not open with a subordinator or a
relative (« que », « qui », « parce que », « au bout duquel »…) without a main clause, and gives
each « ne » its second part (« pas », « plus », « que »…).

Each piece is parsed alone with the project's model (``nlp.get_nlp``), which misreads literary
French: « traversa », « sortaient » come out as nouns, « Tu » as a determiner. The parse is one
opinion and the surface a second; either may find the clause:

- after a subject pronoun (« il », « elle », « j' »…) and its clitics (« ne », « se », « en »…),
  a word that is not an infinitive, a participle or a gerund (-er, -ir, -é(e)(s), -ant) is a
  finite verb: « Tu viendras », « il en prit un »;
- after a noun phrase (past its adjectives, its clitics and an incise between commas), a finite
  verb of the parse, or a word ending like a third-person simple past or imperfect (-a, -ait,
  -aient, -it, -ut, -int, -èrent, -irent, -urent, -inrent, minus nouns and participles such as
  « portrait », « esprit », « écrit », « conduit ») is one: « Candide traversa », « ses pieds
  nus en sortaient ». A word right after a determiner heads a noun phrase whatever its tag.

Present tenses after a noun (« le soleil brille ») are left to the parser: their endings are
those of nouns and adjectives. Literary « ne » alone before « savoir », « pouvoir », « oser » and
« cesser » (« il n'avait pu ») and the expletive « ne » (« avant qu'il ne parte ») are French.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from frenchnovel.pipeline.nlp import get_nlp, parsable


class Reason(StrEnum):
    """Why a piece does not stand alone."""

    NO_CLAUSE = "no_clause"  # no finite verb with its subject, imperative or inversion
    SUBORDINATE_OPENING = "subordinate_opening"  # « que / qui / parce que… » and no main clause
    DANGLING_END = "dangling_end"  # ends on an article, preposition, conjunction, clitic, « ne »
    NE_ALONE = "ne_alone"  # « ne » without « pas / plus / jamais / rien / que… »


@dataclass(frozen=True, slots=True)
class Verdict:
    """The checks of one piece: it stands alone when ``reasons`` is empty."""

    piece: str
    reasons: tuple[Reason, ...] = ()

    @property
    def passes(self) -> bool:
        return not self.reasons


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SUBJECTS = _words("je j' tu il ils on elle elles nous vous c'")
TONIC = _words("elle elles nous vous")  # also stressed: « avec elle »
CLITICS = _words("ne n' me m' te t' se s' le la les l' lui leur y en nous vous")
INDEFINITES = _words("personne rien chacun chacune tous toutes aucun nul cela ceci ça quelques-uns")
DETERMINERS = _words(
    "le la les l' un une des du au aux ce cet cette ces mon ma mes ton ta tes son sa ses notre "
    "votre nos vos leur leurs quelque quelques chaque plusieurs deux trois quatre cinq six dix "
    "vingt cent mille"
)
# Words that make the clause after them subordinate or relative; in a question or an
# exclamation « que », « qui », « comme »… ask or exclaim instead.
SUBORDINATORS = _words(
    "que qu' qui dont où quand lorsque lorsqu' puisque puisqu' quoique quoiqu' si s' comme "
    "lequel laquelle lesquels lesquelles duquel desquels desquelles auquel auxquels auxquelles quoi"
)
ASKING = _words("que qu' qui où quand comme quoi lequel laquelle lesquels lesquelles")
OPENERS = (SUBORDINATORS - {"comme", "s'"}) | {"parce", "afin", "tandis"}
_OPENING = re.compile(
    r"^s'ils?\b|^(?:bien|alors|pour|sans|avant|après|dès|depuis|pendant|tant|sitôt|à moins|de peur|"
    r"de crainte|à mesure) qu(?:e\b|')"
    r"|^(?:[\w'-]+ ){0,3}(?:duquel|desquel(?:le)?s|auquel|auxquel(?:le)?s|lequel|laquelle|"
    r"lesquel(?:le)?s)\b"
    r"|^(?:à|de|d'|avec|pour|par|sur|sous|dans|chez|vers|contre|sans|entre|parmi|selon) "
    r"(?:qui|quoi)\b"
)
# The last word: these never end a French sentence (unless a determiner makes a noun of them:
# « ce vers », « quatre sous ») …
DANGLING = _words(
    "de d' du des au aux à le la les l' ce cet cette ces ma ta sa mes tes ses nos vos notre "
    "votre chaque quelque quelques dans par pour sur sous vers chez avec sans parmi selon malgré "
    "envers jusqu' jusque dès et ou ni mais car que qu' quand lorsque lorsqu' puisque puisqu' "
    "quoique tandis parce comme qui dont ne n' je j' tu il ils on me m' te t' se s' y en c'"
)
NOUN_HOMOGRAPHS = _words("vers sous or car pendant devant avant contre pour son derrière")
# … and these do not when the parser reads them as a noun, an adverb or a pronoun.
DANGLING_IF_FUNCTION = _words("un une son leur leurs entre contre pendant avant après devant or si")
_FUNCTION_POS = frozenset({"DET", "ADP", "CCONJ", "SCONJ"})
SECOND_PARTS = _words(
    "pas point plus jamais rien personne guère ni aucun aucune nul nulle nullement aucunement"
)
_NE = re.compile(r"(?<![\w'-])n(?:e\b|')(?!importe)")
_QUE_AFTER = re.compile(r"\bqu(?:e\b|')")
_NE_ALONE_VERB = re.compile(  # savoir, pouvoir, oser, cesser: « je ne sais », « il n'avait pu »
    r"^(?:(?:[mtsl]'|[mts]e |l[ea]s? |lui |leur |y |en |avai[st]? |avaient |aurai?t? |eu[st]? )*)"
    r"(?:sai[st]?|sav\w*|sach\w*|su[st]?|surent|saur\w*|peu[xt]?|peuvent|pouv\w*|pu[st]?|"
    r"purent|pourr\w*|puiss\w*|os\w*|cess\w*)\b"
)
_EXPLETIVE = re.compile(
    r"\b(?:avant|moins|peur|crainte|plus|mieux|autre|autrement|pire|craign\w*|crain[st]|"
    r"redout\w*|empêch\w*|évit\w*)\b.*\bqu(?:e\s+|')(?:\S+\s+){0,2}$"
)
_INVERTED = re.compile(r"\w-(?:t-)?(?:je|tu|il|ils|elle|elles|on|nous|vous|ce)\b")
_IMPERATIVE = re.compile(
    r"^\W*(?!(?:chez|assez|nez|sons|bons|dons)\b)"
    r"\w+(?:-(?:moi|toi|le|la|les|lui|leur|nous|vous|en|y|t'en)\b|(?:ez|ons)\b)"
)
_PRESENTATIVE = re.compile(r"\b(?:voici|voilà)\b")
_NON_FINITE = re.compile(r"(?:er|ir|é|ée|és|ées|ant)$")
_PAST_ENDING = re.compile(r"(?:[^aeoèêàâ]a|gea|ait|aient|it|ut|[vt]int|èrent|irent|urent|inrent)$")
_NOT_PAST = re.compile(r"(?:fait|trait|uit|crit|dit|but|début|salut|statut|tribut)$")
_NOT_VERB = _words(
    "cela lait souhait esprit lit appétit crédit habit récit profit petit subit conflit répit "
    "dépit granit édit délit débit acquit"
)
_VERBS_IN_DIT = _words("répondit rendit entendit attendit descendit perdit vendit tendit")
_SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "expl:subj", "csubj"})
_AUX_DEPS = frozenset({"aux", "aux:tense", "aux:pass", "aux:caus", "cop"})
_ADVERB = re.compile(r"..(?:ement|ément|amment|emment)$")
_LINKS = _words("et mais puis car or donc ou ni")
_BREAKS = frozenset(';:()«»—–"')


def check(pieces: Sequence[str], *, batch_size: int = 256) -> list[Verdict]:
    """The verdict of each piece, parsed alone (in batches) with the project's French model."""
    docs = get_nlp().pipe([parsable(piece) for piece in pieces], batch_size=batch_size)
    return [verdict(piece, doc) for piece, doc in zip(pieces, docs, strict=True)]


def verdict(piece: str, doc: Any) -> Verdict:
    """The verdict of ``piece`` given its parse ``doc`` (``check`` parses for you)."""
    text = _norm(piece)
    reasons: list[Reason] = []
    if not _has_main_clause(doc, text):
        opens = _opens_subordinate(text)
        reasons.append(Reason.SUBORDINATE_OPENING if opens else Reason.NO_CLAUSE)
    if _dangles(piece, doc):
        reasons.append(Reason.DANGLING_END)
    if _ne_alone(text):
        reasons.append(Reason.NE_ALONE)
    return Verdict(piece, tuple(reasons))


def _norm(text: str) -> str:
    return text.lower().replace("’", "'").strip()


def _mood(text: str) -> str:
    """« ? » for a question, « ! » for an exclamation, else « . »."""
    end = text.rstrip(" »\"”')…")
    return end[-1] if end and end[-1] in "?!" else "."


def _has_main_clause(doc: Any, text: str) -> bool:
    if not re.search(r"\w", text):
        return False
    if _PRESENTATIVE.search(text) or _IMPERATIVE.search(text):
        return True
    if _INVERTED.search(text.replace("rendez-vous", "")):
        return True
    clauses = _Clauses(doc, asks=_mood(text) != ".")
    if clauses.asks and not any(clauses.finite(i) for i in range(len(clauses.tokens))):
        return True  # « En liberté ! », « Ou bien un fonds de commerce ? »
    return clauses.main()


class _Clauses:
    """The finite clauses of one parsed piece, found by the parse or by the surface."""

    def __init__(self, doc: Any, *, asks: bool) -> None:
        self.tokens = list(doc)
        self.norms = [_norm(t.text) for t in self.tokens]
        self.asks = asks  # a question or an exclamation: « qui », « que », « comme » ask
        self.subordinators = SUBORDINATORS - ASKING if asks else SUBORDINATORS

    def main(self) -> bool:
        return any(
            self.parsed(i) or self.after_pronoun(i) or self.after_noun(i)
            for i in range(len(self.tokens))
        )

    def finite(self, i: int) -> bool:
        token, word = self.tokens[i], self.norms[i]
        if not token.is_alpha or _ADVERB.search(word):
            return False  # « distinctement » read as a verb
        if "Fin" in token.morph.get("VerbForm"):
            return True
        if len(word) < 3 or not _PAST_ENDING.search(word) or word in _NOT_VERB:
            return False
        return word in _VERBS_IN_DIT or not _NOT_PAST.search(word)

    def parsed(self, i: int) -> bool:
        """The parser's finite verb (or imperative) heading a clause that is not subordinate."""
        token = self.tokens[i]
        if "Fin" not in token.morph.get("VerbForm") or not self.finite(i):
            return False
        head = token.head if token.dep_ in _AUX_DEPS else token
        subjects = [c for c in (*head.children, *token.children) if c.dep_ in _SUBJECT_DEPS]
        if not subjects:
            return "Imp" in token.morph.get("Mood") and not self.subordinate(head, token)
        subject = _norm(subjects[0].text)
        if head.dep_ in {"acl:relcl", "acl"} or subject in self.subordinators:
            return False  # a relative clause: « qui dormait », « que la mère aimait »
        if subject in CLITICS - TONIC:
            return False  # « Lui laissa une sorte… »: an object read as the subject
        first = next(t for t in self.tokens if t.is_alpha and _norm(t.text) not in _LINKS)
        at = subjects[0].i
        if at > i and first.i == i:
            return False  # « Aperçoivent distinctement … les horizons »: the subject was cut
        if sum(t.text == "," for t in self.tokens[min(at, i) + 1 : max(at, i)]) % 2:
            return False  # « Une olive crasseuse, fit … »: one comma between subject and verb
        return not self.subordinate(head, token)

    def subordinate(self, head: Any, verb: Any) -> bool:
        """A « que », « quand », « dont »… of the clause, before its verb or marked as such."""
        return any(
            c.dep_ == "mark"
            or (
                _norm(c.text) in self.subordinators
                and (c.i < verb.i or "Rel" in c.morph.get("PronType"))
            )
            for c in head.children
        )

    def after_pronoun(self, i: int) -> bool:
        """« il », « tu », « c' »… then clitics, then a word not an infinitive or participle."""
        tokens, norms, word = self.tokens, self.norms, self.norms[i]
        if word not in SUBJECTS or (word in TONIC and i and tokens[i - 1].pos_ == "ADP"):
            return False  # « avec elle »
        j = i + 1
        while j < len(tokens) and norms[j] in CLITICS:
            j += 1
        if j == len(tokens) or not tokens[j].is_alpha or _NON_FINITE.search(norms[j]):
            return False
        if word in TONIC and tokens[j].pos_ not in {"VERB", "AUX", "NOUN", "ADJ", "PROPN", "X"}:
            return False
        return i == 0 or norms[i - 1] not in self.subordinators

    def after_noun(self, i: int) -> bool:
        """A noun phrase, then a finite verb of the parse or a word ending like a past tense."""
        if not (self.tokens[i].is_lower and self.finite(i)):
            return False
        norms, k = self.norms, i - 1
        while k >= 0 and not self.nominal(k):
            if norms[k] == ",":  # « Léon, immobile, la regardait »: skip the incise
                k = max((c for c in range(k) if norms[c] == ","), default=-1)
                if k < 0:
                    return False  # « Une olive crasseuse, fit … »: a comma between the two
            elif not (norms[k] in CLITICS or _modifier(self.tokens[k])):
                return False
            k -= 1
        if k < 0:
            return False  # « S'éclairait à la chandelle »: no subject before the verb
        while k >= 0 and norms[k] not in _BREAKS and norms[k] != ",":
            if norms[k] in self.subordinators:
                return False  # « à qui la nature donna », « que cette demoiselle voulut »
            k -= 1
        return True

    def nominal(self, k: int) -> bool:
        """Whether token ``k`` can head a subject: a noun, a name, a pronoun, after a determiner."""
        token, word = self.tokens[k], self.norms[k]
        if word in CLITICS or word in self.subordinators:
            return False
        if token.pos_ in {"NOUN", "PROPN", "PRON"} or word in INDEFINITES:
            return True
        if token.is_title and token.pos_ not in _FUNCTION_POS | {"ADV", "VERB", "AUX"}:
            return True
        return k > 0 and self.norms[k - 1] in DETERMINERS | {"de", "d'"} and token.is_alpha


def _modifier(token: Any) -> bool:
    return token.pos_ in {"ADJ", "ADV"} or "Part" in token.morph.get("VerbForm")


def _opens_subordinate(text: str) -> bool:
    start = re.sub(r"^\W+", "", text)
    first = re.match(r"\w+'?", start)
    openers = OPENERS - ASKING if _mood(text) != "." else OPENERS  # « Qui vient ? » asks
    return bool(first and first.group() in openers) or bool(_OPENING.search(start))


def _dangles(piece: str, doc: Any) -> bool:
    """True when the last word needs what would follow it (« … au bord de. »)."""
    tokens = [t for t in doc if any(ch.isalnum() for ch in t.text)]
    words = [re.sub(r"^\W+|[^\w']+$", "", _norm(w)) for w in piece.split()]
    words = [w for w in words if re.search(r"\w", w)]
    if not tokens or not words or "-" in words[-1]:
        return False  # « dit-il », « prends-le », « va-t'en » end well
    whole, before = words[-1], _elided(words[-2]) if len(words) > 1 else ""
    last = _elided(whole)
    if last != whole:
        before = whole[: whole.rfind("'") + 1]  # « jusqu'à », « l'un »
    if before in DETERMINERS and last in NOUN_HOMOGRAPHS:
        return False  # « ce vers », « quatre sous », « de l'or »
    if last in DANGLING:
        return True
    if last not in DANGLING_IF_FUNCTION or tokens[-1].pos_ not in _FUNCTION_POS:
        return False
    if last in {"un", "une"}:  # « il en prit un », « l'un »
        return before != "l'" and not re.search(r"\b(?:en|pas|plus)\b", _norm(piece))
    return last not in {"leur", "leurs"} or before not in {"le", "la", "les"}  # « le leur »


def _elided(word: str) -> str:
    """The word after an elision: « l'homme » → homme, « qu' » stays."""
    return word if word.endswith("'") else word[word.rfind("'") + 1 :]


def _ne_alone(text: str) -> bool:
    if SECOND_PARTS.intersection(re.findall(r"\w+", text)):
        return False  # « jamais il ne revint », « personne ne vint »: before « ne » too
    for match in _NE.finditer(text):
        before, after = text[: match.start()], text[match.end() :].lstrip()
        if _QUE_AFTER.search(after) or _NE_ALONE_VERB.search(after):
            continue
        if not _EXPLETIVE.search(before):
            return True
    return False
