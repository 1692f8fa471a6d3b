"""Clauses that become sentences: at a semicolon, coordinated, of cause or time.

- at a semicolon or colon between two clauses;
- coordinated clauses: « Il entra et s'assit » → « Il entra. Il s'assit. » (« et » goes, « mais »
  and « puis » stay; the subject is written again);
- a cause (« parce que », « puisque ») after its clause with « En effet, »; a time clause
  (« quand », « lorsque ») that opens the sentence comes first, its main clause then opens with
  « Alors, »; « pendant que » → « Pendant ce temps, »; a condition (« si ») or a concession stays;
- failing a parse that sees it, « et » or a comma before a finite verb with no subject of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.continuity import title_before_name
from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.referents import Mention
from frenchnovel.pipeline.rewrite.splitting import (
    CLITICS,
    clause_subject,
    cluster_start,
    detach,
    halves,
    subject_mention,
    top_clause,
)
from frenchnovel.pipeline.rewrite.syntax import AUX_DEPS, Sentence
from frenchnovel.pipeline.rewrite.times import pluperfect

_SUBJECT_PRONOUNS = {"il", "elle", "on", "ils", "elles", "je", "j'", "j’", "tu"}
_CAUSE = {"parce", "puisque", "puisqu'", "puisqu’"}
_TIME = {"quand", "lorsque", "lorsqu'", "lorsqu’", "dès", "aussitôt", "après"}


def at_stops(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    tokens = piece.tokens
    for n, k in enumerate(tokens[1:-1], start=1):
        if s.text[k] not in (";", ":") or s.text[tokens[n + 1]] in ("«", "—", "–", '"'):
            continue
        left, right = tokens[:n], tokens[n + 1 :]
        yield list(halves(s, piece, left, right, top_clause(s, right)))


def coordinated(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    members = set(piece.tokens)
    for c in piece.tokens:
        h = s.head[c]
        if s.dep[c] != "conj" or h == c or h not in members or not s.is_clause(c):
            continue
        child = s.subtree(c) & members
        if min(child) < h or not (s.is_clause(h) or s.own_subject(c) in child) or s.inverted(c):
            continue  # « et il se mit » on an infinitive is a clause; « ajouta Harris » is not
        child |= _fronted(s, piece, h, c, child)
        cc = [k for k in s.children[c] if s.dep[k] == "cc" and k in child]
        cc += [k for k in child if s.pos[k] == "CCONJ" and k < c and k not in cc]
        if any(s.lower[k] in ("ni", "ou", "soit") for k in cc) or not _closes(s, piece, c, child):
            continue
        opening = next((k for k in sorted(child) if k not in cc and not s.is_punct(k)), c)
        if s.head[opening] == c and (
            s.dep[opening] == "mark" or s.lower[opening] in ("comme", "si", "que", "qu'", "qu’")
        ):
            continue  # « mais comme l'auraient suivie des troupeaux »: no clause of its own
        parent, kid = detach(s, piece, child, c)
        kid.drop = kid.drop | {k for k in cc if s.lower[k] == "et"}
        because = [k for k in cc if s.lower[k] == "car"]
        if because and not piece.link:  # « Car la lumière … » opens no sentence: « En effet, »
            kid.drop = kid.drop | set(because) | {k + 1 for k in because if s.text[k + 1] == ","}
            kid.link = "En effet,"
        if s.own_subject(c) not in child and not s.inverted(c):
            if _noun_before_verb(s, c, child):
                continue  # « car la lumière …, rabattue …, laissait »: its subject is there
            if s.dep[h] in ("acl:relcl", "acl", "advcl", "ccomp"):
                continue  # « la robe que portait le baron, …, et le fit monter »: not the baron
            found = clause_subject(s, piece, c)
            if found is None:
                continue
            kid.subject, kid.subject_at = found, cluster_start(s, c, child)
        yield [parent, kid]


def _fronted(s: Sentence, piece: Piece, h: int, c: int, child: set[int]) -> set[int]:
    """« mais, avant de partir, » before the coordinated clause ``c``, hung by the parse on the
    first clause: the conjunction and what follows it go with ``c``."""
    before = [k for k in piece.tokens if k < min(child)]
    for n in range(len(before) - 1, -1, -1):
        k = before[n]
        if s.finite[k] or k == h:
            return set()
        if s.pos[k] == "CCONJ" and s.lower[k] in ("mais", "et", "puis", "car", "or", "donc"):
            span = set(before[n:])
            inside = span | child | {h}
            return span if all(s.head[j] in inside or s.is_punct(j) for j in span) else set()
    return set()


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


def adverbial(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
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
        if word in ("parce", "dès", "aussitôt", "après", "pendant", "depuis") and mark + 1 < len(s):
            dropped.add(mark + 1)  # « parce que », « dès que »: the « que » goes too
        child = s.subtree(c) & members
        if not dropped <= child or own not in child:
            continue
        if c > h and any(not s.is_punct(k) for k in piece.tokens if k > max(child)):
            continue  # « … parce qu'il n'avait pu prouver …, et que le reste … »: not its end
        parent, kid = detach(s, piece, child, c)
        kid.drop = kid.drop | dropped
        if word in _CAUSE:
            kid.link = "En effet,"
            kid.anchor = max(parent.tokens, default=c) + 0.5  # after the clause it explains
            yield [parent, kid]
        elif word == "pendant" and not parent.link:  # « pendant qu'il dormait »
            kid.link = "Pendant ce temps," if c > h else ""
            parent.link = "" if c > h else "Pendant ce temps,"
            if c > h:
                kid.anchor = max(parent.tokens, default=c) + 0.5
            yield [parent, kid] if c > h else [kid, parent]
        elif (word in _TIME or word == "comme") and c < h and not parent.link:
            parent.link = "Alors,"  # « Comme il pleuvait, il resta » → « Il pleuvait. Alors, … »
            _move_conjunction(s, parent, kid)
            pluperfect(s, kid)
            yield [kid, parent]


def _move_conjunction(s: Sentence, parent: Piece, kid: Piece) -> None:
    """« Mais, quand il fut en haut, il se détourna » → « Mais il fut en haut. Alors, il se
    détourna »: the conjunction before the time clause opens the time clause's sentence."""
    opening = [k for k in parent.tokens if k < min(kid.tokens)]
    words = [k for k in opening if not s.is_punct(k)]
    if len(words) != 1 or s.pos[words[0]] != "CCONJ":
        return
    parent.tokens = [k for k in parent.tokens if k not in opening]
    kid.tokens = sorted({*kid.tokens, *words})


def _nearest_clause(s: Sentence, tokens: list[int]) -> int:
    """The last main clause of ``tokens``: the clause just before, past any relative or
    « que » clause in it (« il prit la robe que portait le baron, et le fit » : « il »)."""
    for v in reversed([k for k in tokens if s.finite[k]]):
        h = s.head[v] if s.dep[v] in ("aux", "aux:tense", "aux:pass", "cop") else v
        if s.dep[h] not in ("acl:relcl", "acl", "advcl", "ccomp", "csubj", "xcomp"):
            return h
    return -1


def verb_phrases(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """« et » or a comma, then a finite verb with no subject: the parse missed a coordination;
    or a comma, then a subject pronoun and its verb: a second clause (« il lutte, il nage »);
    or « et », « mais », « puis » and a noun phrase that is its verb's own subject (« , et deux
    matelots s'armèrent »)."""
    tokens = piece.tokens
    for n, k in enumerate(tokens[1:-1], start=1):
        if s.lower[k] not in ("et", "mais", "puis", ","):
            continue
        m, pronoun = _verb_after(s, tokens, n + 1)
        if m < 0 and s.lower[k] != ",":  # after a bare comma, a subordinate clause may end
            m = _after_noun_subject(s, tokens, n + 1)
            pronoun = m >= 0  # « , et deux matelots s'armèrent »: a subject of its own
        if m < 0:
            continue
        left, right = tokens[:n], tokens[n:]
        tail = _dangling_tail(s, left)
        left, right = left[: len(left) - len(tail)], tail + right
        found = None if pronoun else _left_subject(s, piece, left, tokens[m])
        if not pronoun and (found is None or piece.subject_at in right):
            continue
        first, second = halves(s, piece, left, right, tokens[m])
        if s.lower[k] in ("et", ",") and not tail:
            second.drop = second.drop | {k}
        if found is not None:
            j = m
            while j - 1 > n and s.lower[tokens[j - 1]] in CLITICS:
                j -= 1
            second.subject, second.subject_at = found, tokens[j]
        yield [first, second]


def _dangling_tail(s: Sentence, left: list[int]) -> list[int]:
    """« …, et, sans perdre de temps » at the end of ``left``: a conjunction and what follows it
    with no verb, which open the next clause; or what follows a stop inside the piece."""
    for n in range(len(left) - 1, 0, -1):
        k = left[n]
        if s.finite[k]:
            return []
        if s.text[k] in (".", "!", "?", "…") and not _abbreviated(s, k):  # « … le Cap. Le 12 »
            return left[n + 1 :]
        opens = n + 1 < len(left) and s.text[left[n + 1]] == ","  # « et, sans perdre … »
        if s.pos[k] == "CCONJ" and s.lower[k] in ("et", "mais", "puis", "or", "donc", "car"):
            return left[n:] if opens else []  # « mais son front » ends the clause before
    return []


def _abbreviated(s: Sentence, k: int) -> bool:
    """The period ``k`` ends a title or an initial (« Mrs. Weldon », « M. Homais »), not a
    sentence."""
    return s.text[k] == "." and 0 < k < len(s) - 1 and title_before_name(s, k - 1)


def _verb_after(s: Sentence, tokens: list[int], m: int) -> tuple[int, bool]:
    """Where the finite verb opening ``tokens[m:]`` is (past a subject pronoun and clitics), and
    whether a subject pronoun comes first; -1 when no verb opens there."""
    pronoun = m < len(tokens) and (
        s.lower[tokens[m]] in _SUBJECT_PRONOUNS or _nous_vous(s, tokens[m : m + 2])
    )
    m += pronoun
    while m < len(tokens) and s.lower[tokens[m]] in CLITICS | {"puis", "alors", "aussitôt"}:
        m += 1
    if m >= len(tokens) or not s.finite[tokens[m]]:
        return -1, False
    if s.inverted(tokens[m]) or s.inverted(s.head[tokens[m]]):
        return -1, False  # « n'est-ce pas », « dit-il »: an incise, not a second clause
    if not pronoun and s.own_subject(tokens[m]) in tokens:
        return -1, False
    return m, pronoun


def _after_noun_subject(s: Sentence, tokens: list[int], m: int) -> int:
    """Where the finite verb is when ``tokens[m:]`` opens with a short noun phrase (« deux
    matelots », « la vieille servante ») that the parse makes that verb's own subject; -1."""
    if m >= len(tokens) or s.pos[tokens[m]] not in ("DET", "NUM"):
        return -1
    for j in range(m + 1, min(len(tokens), m + 7)):
        k = tokens[j]
        if s.finite[k] and s.pos[k] in ("VERB", "AUX"):
            subject = s.own_subject(s.head[k] if s.dep[k] in AUX_DEPS else k)
            clitics = all(s.lower[c] in CLITICS for c in tokens[m:j] if c > subject)
            return j if subject in tokens[m:j] and clitics else -1
        if s.pos[k] not in ("NOUN", "ADJ", "NUM", "DET", "PROPN") and s.lower[k] not in CLITICS:
            return -1
    return -1


def _nous_vous(s: Sentence, words: list[int]) -> bool:
    """« nous pouvons », « vous savez »: « nous » and « vous » are subjects before their own
    person of the verb (elsewhere they are objects as often)."""
    if len(words) < 2:
        return False
    pronoun, verb = s.lower[words[0]], s.lower[words[1]]
    return (pronoun, verb[-2:]) in (("nous", "ns"), ("vous", "ez")) and s.finite[words[1]]


def _left_subject(s: Sentence, piece: Piece, left: list[int], verb: int) -> Mention | None:
    """The subject of the clause just before ``verb``, written again for it."""
    main = _nearest_clause(s, left)
    subject = s.subject(main) if main >= 0 else -1
    if subject in left:
        return subject_mention(s, subject, verb)
    if piece.subject is not None and piece.subject_at in left and main >= piece.subject_at:
        return piece.subject  # « Elle le caressa, roucoula » with « Elle » written already
    # a piece that writes its subject (« Elle contracta …, et perdit … »)
    return clause_subject(s, piece, main) if main == piece.head else None
