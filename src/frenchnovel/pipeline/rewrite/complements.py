"""Coordinated complements: each one takes the subject and the verb again.

« Elle écouta les harpes sur les lacs, tous les chants de cygnes mourants, … » → « Elle écouta
les harpes sur les lacs. Elle écouta tous les chants de cygnes mourants. » A list of objects,
of complements after one preposition (which each new sentence repeats: « Ils tournaient entre les
fauteuils. Ils tournaient entre les canapés. ») or of attributes after « être » (« Il était grand.
Il était fort. ») makes one sentence per item. Only the source's words are written again: its
subject (a pronoun where it cannot be mistaken), the verb with its clitics and auxiliary, the
preposition. A list joined by « ni » or « ou » stays, and so does one after « ne … que » or
another « que » (« rien de plus que la paix de sa maison et de son jardin »).
"""

from __future__ import annotations

from collections.abc import Iterator

from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.splitting import clause_subject, cluster_start, detach
from frenchnovel.pipeline.rewrite.syntax import AUX_DEPS, NEGATION_ENDS, Sentence

_LISTED = ("obj", "obl", "obl:arg", "obl:mod", "xcomp", "iobj")
_SHARED = ("iobj", "obl", "obl:arg", "obl:mod", "advmod")  # never an object: it is the list's
_ITEMS = ("NOUN", "PROPN", "ADJ", "NUM")


def complements(s: Sentence, piece: Piece) -> Iterator[list[Piece]]:
    """One coordinated complement of a clause of ``piece`` as a sentence of its own."""
    members = set(piece.tokens)
    for y in piece.tokens:
        x = s.head[y]
        if s.dep[y] != "conj" or s.pos[y] not in _ITEMS or x not in members or s.is_clause(y):
            continue
        verb, keep = _governor(s, x, members)
        if verb < 0 or any(s.lower[k] in ("entre", "parmi") for k in keep):
            continue  # « entre Sa Majesté, son valet et plusieurs dames »: the list is one place
        if not (_joined_by_et(s, x, y) or _same_preposition(s, x, y)) or s.pos[x] != s.pos[y]:
            continue  # « dans le château …, un jeune garçon »: no list, whatever the parse says
        child = trimmed(s, s.subtree(y) & members)
        cc = {k for k in s.children[y] if s.dep[k] == "cc"}
        if any(s.lower[k] in ("ni", "ou", "soit") for k in cc) or not child or min(child) < x:
            continue
        core = verb_core(s, verb, members)
        if not core or min(child) < max(core) or not _last(s, piece, y, child):
            continue
        if any(s.text[k] in (",", ";", ":") for k in piece.tokens if max(core) < k < x):
            continue  # « se mit à table entre Sa Majesté, son valet … »: a comma before the list
        if any(s.lower[k] in ("que", "qu'", "qu’") for k in piece.tokens if max(core) < k < x):
            continue  # « rien de plus que la paix de sa maison et de son jardin »: compared
        found = clause_subject(s, piece, verb)
        if found is None:
            continue
        parent, _ = detach(s, piece, s.subtree(y) & members, piece.head)
        own = {s.lower[j] for j in child}
        cases = {k for k in keep if s.lower[k] not in own and not _has_case(s, y)}
        shared = _shared(s, piece, verb, core, x)
        kid = Piece(sorted(core | shared | cases | child), head=verb, drop=frozenset(cc & child))
        kid.subject, kid.subject_at = found, min(core)
        kid.anchor = min(child)
        yield [parent, kid]


def _has_case(s: Sentence, y: int) -> bool:
    return any(s.dep[j] == "case" for j in s.children[y])


def _shared(s: Sentence, piece: Piece, verb: int, core: set[int], x: int) -> set[int]:
    """What stands between the verb and the list, and belongs to the verb, goes with every item:
    « Il manquait à ce pauvre homme la jambe gauche et la main droite » → « Il manquait à ce
    pauvre homme la main droite. »"""
    start = min(s.subtree(x))
    between = {k for k in piece.tokens if max(core) < k < start}
    if any(s.is_punct(k) or s.finite[k] for k in between):
        return set()
    inside: set[int] = set()
    for k in s.children[verb]:
        if k in between and k != x and s.dep[k] in _SHARED:
            inside |= s.subtree(k)
    return between if between <= inside else set()


def _last(s: Sentence, piece: Piece, y: int, child: set[int]) -> bool:
    """Nothing but later items of the list follows item ``y`` in ``piece``: a word after it
    would belong to it whatever the parse says (« riche de toutes les promesses »)."""
    later: set[int] = set()
    for k in range(y + 1, len(s)):
        if s.dep[k] == "conj" and s.head[k] in (s.head[y], y):
            later |= s.subtree(k)
    return not [
        k
        for k in piece.tokens
        if k > min(child) and k not in child and k not in later and not s.is_punct(k)
    ]


_A = {"à", "au", "aux"}


def _same_preposition(s: Sentence, x: int, y: int) -> bool:
    """« aux familles …, aux prêtres … »: the preposition written again after a comma makes a
    list whatever the conjunction (there is none)."""

    def cases(k: int) -> list[int]:
        return [j for j in s.children[k] if s.dep[j] == "case" and j < k]

    def word(k: int) -> str:
        found = cases(k)
        return "" if not found else "à" if s.lower[found[0]] in _A else s.lower[found[0]]

    opening = min(cases(y), default=0)
    return bool(word(x)) and word(x) == word(y) and opening > 0 and s.text[opening - 1] == ","


def _joined_by_et(s: Sentence, x: int, y: int) -> bool:
    """``y`` belongs to a list that « et » closes: it or a later item has « et » before it."""
    first = x
    while s.dep[first] == "conj" and s.head[first] != first:
        first = s.head[first]
    items = [k for k in range(len(s)) if k >= y and s.dep[k] == "conj" and s.head[k] in (x, first)]
    items += [y]
    return any(
        s.lower[c] == "et" and s.dep[c] == "cc" for k in items for c in s.children[k] if c < k
    )


def _governor(s: Sentence, x: int, members: set[int]) -> tuple[int, set[int]]:
    """The clause head whose complement (or attribute) ``x`` is, and the preposition of ``x``
    that each item repeats; -1 when ``x`` is no such complement."""
    for _ in range(12):  # « A, B, C et D » may hang each item on the one before
        if s.dep[x] != "conj" or s.head[x] == x:
            break
        x = s.head[x]
    if s.is_clause(x) and any(s.dep[k] == "cop" for k in s.children[x]):
        return (x, set()) if main_clause(s, x) else (-1, set())  # « il était grand et fort »
    h = s.head[x]
    if s.dep[x] not in _LISTED or h not in members or not s.is_clause(h) or not main_clause(s, h):
        return -1, set()
    return h, {k for k in s.children[x] if s.dep[k] == "case" and k < x}


def main_clause(s: Sentence, h: int) -> bool:
    """``h`` heads a clause that says something by itself (not « qu'il soit acteur »)."""
    v = s.finite_of(h)
    if v < 0 or s.feature(v, "Mood") in ("Sub",) or any(s.dep[k] == "mark" for k in s.children[h]):
        return False
    return s.dep[h] in ("ROOT", "conj", "parataxis") or s.head[h] == h


def trimmed(s: Sentence, child: set[int]) -> set[int]:
    """``child`` without the punctuation at its edges (« , quelque morceau de lard , »)."""
    ordered = sorted(child)
    while ordered and s.is_punct(ordered[0]):
        ordered.pop(0)
    while ordered and s.is_punct(ordered[-1]):
        ordered.pop()
    return set(ordered)


def verb_core(s: Sentence, head: int, members: set[int]) -> set[int]:
    """The finite verb with its clitics, auxiliary, participle and the end of a negation:
    « n'avait pas vu », « s'y rendait »; empty when it cannot be repeated."""
    v = s.finite_of(head)
    first = cluster_start(s, head, members)
    last = head if s.pos[head] in ("VERB", "AUX") else v
    if any(s.dep[k] == "cop" for k in s.children[head]):
        last = v  # the copula, not the attribute
    span = set(range(first, max(v, last) + 1))
    if not span <= members or any(s.is_punct(k) for k in span):
        return set()
    if any(s.lower[k] in ("ne", "n'", "n’") for k in span):
        ends = [k for k in s.children[head] if s.lower[k] in NEGATION_ENDS and k > v]
        if not ends or s.lower[ends[0]] in ("que", "qu'", "qu’", "ni"):
            return set()
        span.add(ends[0])
    if any(s.dep[k] not in AUX_DEPS and k not in (head, v) and s.pos[k] == "NOUN" for k in span):
        return set()
    return span
