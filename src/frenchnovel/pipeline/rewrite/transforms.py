"""The transformations that turn one long sentence into several, on its dependency parse.

Each one takes a piece and offers ways to make it two sentences, in reading order (after
DisSim, Niklaus et al. 2019, and Brouwers et al. 2014 for French):

- at a semicolon or colon between two clauses;
- coordinated clauses: « Il entra et s'assit » → « Il entra. Il s'assit. » (« et » goes, « mais »
  and « puis » stay; the subject is written again);
- relative clauses: « qui » → the antecedent as subject, « que » → « le / la / l' / les » before
  the verb, « à qui » → « lui / leur »; « dont », « où » and a relative of a pronoun (« ceux qui »)
  stay with their clause;
- a cause (« parce que », « puisque ») after its clause with « En effet, »; a time clause
  (« quand », « lorsque ») that opens the sentence comes first, its main clause then opens with
  « Alors, »; a condition (« si ») or a concession stays;
- a description set off by commas (participle, adjective, apposition) → « il / elle était … »;
  a present participle in a past narrative → the imperfect (« rêvant » → « elle rêvait »);
- failing a parse that sees it, « et » or a comma before a finite verb with no subject of its own.

The engine checks every piece a transformation makes (``pieces.problems``) and makes it only
when all stand alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.referents import Mention, agreement, copula, mention
from frenchnovel.pipeline.rewrite.syntax import SUBJECT_DEPS, Sentence

_CLITICS = {"ne", "n'", "n’", "se", "s'", "s’", "me", "m'", "m’", "te", "t'", "t’", "le", "la",
            "les", "l'", "l’", "lui", "leur", "y", "en", "nous", "vous"}  # fmt: skip
_REFLEXIVE = {"ne", "n'", "n’", "se", "s'", "s’", "me", "m'", "m’", "te", "t'", "t’", "nous", "vous"}
_COMMAS = {",", "—", "–"}
_STOPS = {".", ";", ":", "!", "?", "…"}
_CAUSE = {"parce", "puisque", "puisqu'", "puisqu’"}
_TIME = {"quand", "lorsque", "lorsqu'", "lorsqu’", "dès", "aussitôt", "après"}
_PRONOUN_ANTECEDENTS = ("NOUN", "PROPN")
_QUANTIFIERS = {"tout", "tous", "toute", "toutes", "même", "mêmes", "seul", "seule", "seuls",
                "seules", "chaque", "quelque", "quelques", "autre", "autres"}  # fmt: skip
_APPOSITION_DETS = {"le", "la", "l'", "l’", "les", "un", "une", "son", "sa", "ses", "ce", "cet",
                    "cette", "leur", "notre", "votre", "mon", "ma", "ton", "ta"}  # fmt: skip
_IMPERFECT = {"ayant": "avai", "étant": "étai", "sachant": "savai"}


def candidates(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """Ways to make ``piece`` two sentences, the most natural kinds first."""
    yield from _at_stops(s, piece)
    yield from _coordinated(s, piece)
    yield from _relatives(s, piece)
    yield from _adverbial(s, piece)
    yield from _descriptions(s, piece)
    yield from _verb_phrases(s, piece)


def top_clause(s: Sentence, tokens: list[int]) -> int:
    """The clause head among ``tokens`` that is highest in the tree, or -1."""
    heads = [k for k in tokens if s.is_clause(k)]
    return min(heads, key=lambda k: (s.depth[k], k), default=-1)


def _detach(s: Sentence, piece: Piece, child: set[int], head: int) -> tuple[Piece, Piece]:
    """``piece`` less ``child`` (and the commas that set it off), and ``child`` as a piece."""
    parent = piece.without(child)
    order = piece.tokens
    gone: set[int] = set()
    for n, k in enumerate(order):
        if k in child:
            continue
        # the next kept token, and whether removed tokens lie between
        m = n + 1
        while m < len(order) and order[m] in child:
            m += 1
        if m == n + 1:
            continue
        right = order[m] if m < len(order) else -1
        if s.text[k] in _COMMAS and right >= 0 and s.text[right] in _COMMAS:
            gone.update((k, right))  # « La mairie, construite …, est » → « La mairie est »
        elif s.text[k] in _COMMAS and (right < 0 or s.text[right] in _STOPS):
            gone.add(k)
        elif right >= 0 and s.text[right] in _COMMAS:
            gone.add(right)  # « les religieuses qui …, dames » → « les religieuses dames »
    if order and order[0] in child:
        first_kept = next((k for k in order if k not in child), -1)
        if first_kept >= 0 and s.text[first_kept] in _COMMAS:
            gone.add(first_kept)
    parent.tokens = [k for k in parent.tokens if k not in gone]
    kid = Piece(sorted(child), head=head, drop=frozenset(piece.drop & child))
    parent.anchor = piece.anchor
    return parent, kid


def _cluster_start(s: Sentence, head: int, tokens: set[int]) -> int:
    """The first clitic or « ne » glued before the clause's finite verb: where a subject goes."""
    v = s.finite_of(head)
    i = v
    while i - 1 in tokens and s.lower[i - 1] in _CLITICS and s.head[i - 1] in (v, head):
        i -= 1
    return i


def _clitic_slot(s: Sentence, head: int, tokens: set[int], rank: tuple[str, ...]) -> int:
    """Where an object (``rank`` = the clitics it comes after) goes before the finite verb."""
    i = _cluster_start(s, head, tokens)
    v = s.finite_of(head)
    while i < v and s.lower[i] in rank:
        i += 1
    return i


def _subject_mention(s: Sentence, subject: int) -> Mention | None:
    if s.lower[subject] == "qui":  # the subject of a relative: its antecedent
        antecedent = s.head[s.head[subject]]
        if s.pos[antecedent] not in _PRONOUN_ANTECEDENTS:
            return None
        subject = antecedent
    found = mention(s, subject)
    return found if found.pronoun() or found.phrase else None


def _at_stops(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    tokens = piece.tokens
    for n, k in enumerate(tokens[1:-1], start=1):
        if s.text[k] not in (";", ":") or s.text[tokens[n + 1]] in ("«", "—", "–", '"'):
            continue
        left, right = tokens[:n], tokens[n + 1 :]
        yield list(_halves(s, piece, left, right, top_clause(s, right)))


def _halves(
    s: Sentence, piece: Piece, left: list[int], right: list[int], head: int
) -> tuple[Piece, Piece]:
    """``piece`` as two pieces of consecutive tokens; what it adds goes where its token went."""
    first = Piece(left, top_clause(s, left), piece.drop & set(left), link=piece.link)
    second = Piece(right, head, piece.drop & set(right))
    if piece.anchor >= 0:  # a piece placed out of source order keeps its place, halves in order
        first.anchor, second.anchor = piece.anchor, piece.anchor + 0.001 * (1 + right[0])
    for half in (first, second):
        members = set(half.tokens)
        half.insert = {k: w for k, w in piece.insert.items() if k in members}
        if piece.subject_at in members:
            half.subject, half.subject_at = piece.subject, piece.subject_at
            half.copula = piece.copula
            half.head = piece.head if piece.head in members else half.head
    return first, second


def _coordinated(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    members = set(piece.tokens)
    for c in piece.tokens:
        h = s.head[c]
        if s.dep[c] != "conj" or h == c or h not in members or not s.is_clause(c):
            continue
        child = s.subtree(c) & members
        if min(child) < h or not s.is_clause(h):
            continue
        cc = [k for k in s.children[c] if s.dep[k] == "cc" and k in child]
        if any(s.lower[k] in ("ni", "ou", "soit") for k in cc) or not _closes(s, piece, c, child):
            continue
        parent, kid = _detach(s, piece, child, c)
        kid.drop = kid.drop | {k for k in cc if s.lower[k] == "et"}
        if s.own_subject(c) not in child and not s.inverted(c):
            if _noun_before_verb(s, c, child):
                continue  # « car la lumière …, rabattue …, laissait »: its subject is there
            subject = s.subject(c)
            found = _subject_mention(s, subject) if subject >= 0 else None
            if found is None:
                continue
            kid.subject, kid.subject_at = found, _cluster_start(s, c, child)
        yield [parent, kid]


def _closes(s: Sentence, piece: Piece, c: int, child: set[int]) -> bool:
    """The coordinated clause ``c`` runs to the end of ``piece``, but for the clauses
    coordinated after it: otherwise the parse left some of its words to the first clause."""
    later: set[int] = set()
    for k in s.children[s.head[c]]:
        if s.dep[k] == "conj" and k > c:
            later |= s.subtree(k)
    rest = [k for k in piece.tokens if k > max(child) and k not in later and not s.is_punct(k)]
    inside = [k for k in piece.tokens if min(child) < k < max(child) and k not in child]
    return not rest and not [k for k in inside if not s.is_punct(k)]


def _noun_before_verb(s: Sentence, c: int, child: set[int]) -> bool:
    verb = s.finite_of(c)
    return any(
        s.pos[k] in ("NOUN", "PROPN") and not any(s.dep[j] == "case" for j in s.children[k])
        for k in child
        if k < verb
    )


def _relatives(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    members = set(piece.tokens)
    for c in piece.tokens:
        n = s.head[c]
        if s.dep[c] != "acl:relcl" or n not in members or s.pos[n] not in _PRONOUN_ANTECEDENTS:
            continue
        child = s.subtree(c) & members
        words = [k for k in sorted(child) if not s.is_punct(k)]
        if not words or not s.is_clause(c) or _mood(s, c) in ("Cnd", "Sub"):
            continue  # « une chouette qui verrait »: a supposition is no statement
        found = mention(s, n)
        if not (found.pronoun() or found.phrase):
            continue
        parent, kid = _detach(s, piece, child, c)
        if _relative(s, kid, c, words, found):
            yield [parent, kid]


def _mood(s: Sentence, c: int) -> str:
    v = s.finite_of(c)
    return s.feature(v, "Mood") if v >= 0 else ""


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
    if s.lower[first] in ("que", "qu'", "qu’") and s.pos[first] == "PRON":
        if any(s.dep[k] == "obj" and k != first for k in s.children[c]) or not found.agree:
            return False
        slot = _clitic_slot(s, c, child, tuple(_REFLEXIVE))
        kid.drop = kid.drop | {first}
        kid.insert[slot] = found.clitic(s.text[slot])
        return True
    if s.lower[first] == "à" and len(words) > 1 and s.lower[words[1]] == "qui" and found.agree:
        slot = _clitic_slot(s, c, child, (*_REFLEXIVE, "le", "la", "les", "l'", "l’"))
        kid.drop = kid.drop | {first, words[1]}
        kid.insert[slot] = found.dative()
        return True
    return False


def _adverbial(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    members = set(piece.tokens)
    for c in piece.tokens:
        h = s.head[c]
        if s.dep[c] != "advcl" or h not in members or not s.is_clause(c):
            continue
        marks = [k for k in s.children[c] if s.dep[k] == "mark"]
        own = s.own_subject(c)
        if not marks or own < 0 or "Sub" in s.morph[s.finite_of(c)].get("Mood"):
            continue
        mark = marks[0]
        word = s.lower[mark]
        dropped = {mark} | {k for k in s.children[mark] if s.dep[k] == "fixed"}
        if word in ("parce", "dès", "aussitôt", "après") and mark + 1 < len(s):
            dropped.add(mark + 1)  # « parce que », « dès que »: the « que » goes too
        child = s.subtree(c) & members
        if not dropped <= child or own not in child:
            continue
        parent, kid = _detach(s, piece, child, c)
        kid.drop = kid.drop | dropped
        if word in _CAUSE:
            kid.link = "En effet,"
            kid.anchor = max(parent.tokens, default=c) + 0.5  # after the clause it explains
            yield [parent, kid]
        elif word in _TIME and c < h:
            parent.link = "Alors,"
            yield [kid, parent]


def _descriptions(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    members = set(piece.tokens)
    tense = s.tense(piece.head) if piece.head >= 0 else ""
    for c in piece.tokens:
        kind = _description_kind(s, c)
        if not kind or not tense:
            continue
        child = s.subtree(c) & members
        span = [k for k in piece.tokens if min(child) <= k <= max(child)]
        if set(span) != child or not _set_off(s, piece, child):
            continue
        h = s.head[c]
        referent = h if s.pos[h] in ("NOUN", "PROPN", "PRON") else s.subject(h)
        if referent < 0 or referent in child or (s.pos[referent] == "PRON" and not s.lower[
            referent
        ] in ("il", "elle", "ils", "elles")):
            continue
        found = _described(s, referent, c)
        if found is None:
            continue
        parent, kid = _detach(s, piece, child, piece.head)
        kid.subject = found
        kid.subject_at = min(k for k in child if not s.is_punct(k))
        if kind == "present":
            if tense != "Past":
                continue
            kid.drop = kid.drop | {c}
            kid.insert[c] = _imperfect(s.lower[c], found.agree)
        else:
            kid.copula = copula(tense, found.agree)
        yield [parent, kid]


def _description_kind(s: Sentence, c: int) -> str:
    if s.dep[c] not in ("acl", "amod", "advcl", "appos") or s.is_clause(c) or s.finite[c]:
        return ""
    if s.lower[c] in _QUANTIFIERS:
        return ""
    form = s.morph[c].get("VerbForm")
    if s.pos[c] == "VERB" and "Part" in form:
        return "present" if s.feature(c, "Tense") == "Pres" and s.lower[c].endswith("ant") else (
            "participle"
        )
    if s.pos[c] == "ADJ" and s.dep[c] != "advcl":
        return "adjective"
    h = s.head[c]
    if (
        s.dep[c] == "appos"
        and s.pos[c] == "NOUN"
        and (s.pos[h] == "PROPN" or s.lower[h] in ("il", "elle", "ils", "elles"))
        and any(s.lower[k] in _APPOSITION_DETS for k in s.children[c] if k < c)
    ):
        return "apposition"  # « M. Homais, le pharmacien, »
    return ""


def _set_off(s: Sentence, piece: Piece, child: set[int]) -> bool:
    """The description stands between commas (or a comma and an end) in ``piece``."""
    order = piece.tokens
    lo, hi = order.index(min(child)), order.index(max(child))
    before = order[lo - 1] if lo > 0 else -1
    after = order[hi + 1] if hi + 1 < len(order) else -1
    left = before < 0 or s.text[before] in _COMMAS or s.text[min(child)] in _COMMAS
    right = after < 0 or s.text[after] in _COMMAS | _STOPS or s.text[max(child)] in _COMMAS
    return left and right and not (before < 0 and after < 0)


def _described(s: Sentence, referent: int, c: int) -> Mention | None:
    """The referent of a description, its agreement taken from the description if need be."""
    found = mention(s, referent)
    if not found.agree:
        own = agreement(s, c) or _own_agreement(s, c)
        if not own:
            return None
        found = Mention(found.token, own, found.phrase, found.personal)
    return found if found.pronoun() or found.phrase else None


def _own_agreement(s: Sentence, c: int) -> str:
    gender = {"Fem": "f", "Masc": "m"}.get(s.feature(c, "Gender"), "")
    number = {"Sing": "s", "Plur": "p"}.get(s.feature(c, "Number"), "")
    return gender + number if gender and number else ""


def _imperfect(word: str, agree: str) -> str:
    stem = _IMPERFECT.get(word, word[:-3] + "ai")
    return stem + ("ent" if agree.endswith("p") else "t")


def _nearest_clause(s: Sentence, tokens: list[int]) -> int:
    """The last clause head of ``tokens`` whose verb comes last: the clause just before."""
    verbs = [k for k in tokens if s.finite[k]]
    if not verbs:
        return -1
    v = verbs[-1]
    return s.head[v] if s.dep[v] in ("aux", "aux:tense", "aux:pass", "cop") else v


def _verb_phrases(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """« et » or a comma, then a finite verb with no subject: the parse missed a coordination."""
    tokens = piece.tokens
    for n, k in enumerate(tokens[1:-1], start=1):
        if s.lower[k] not in ("et", "mais", "puis", ",") or n + 1 >= len(tokens):
            continue
        m = n + 1
        while m < len(tokens) and s.lower[tokens[m]] in _CLITICS | {"puis", "alors", "aussitôt"}:
            m += 1
        if m >= len(tokens) or not s.finite[tokens[m]] or s.own_subject(tokens[m]) in tokens:
            continue
        if s.inverted(tokens[m]) or s.inverted(s.head[tokens[m]]):
            continue  # « n'est-ce pas », « dit-il »: an incise, not a second clause
        left, right = tokens[:n], tokens[n:]
        main = _nearest_clause(s, left)
        subject = s.subject(main) if main >= 0 else -1
        found = _subject_mention(s, subject) if subject in left else None
        if found is None or piece.subject_at in right:
            continue
        first, second = _halves(s, piece, left, right, tokens[m])
        if s.lower[k] in ("et", ","):
            second.drop = second.drop | {k}
        j = m
        while j - 1 > n and s.lower[tokens[j - 1]] in _CLITICS:
            j -= 1
        second.subject, second.subject_at = found, tokens[j]
        yield [first, second]
