"""What the transformations share: taking a clause out of a piece, and writing a subject.

``detach`` takes a set of tokens (a clause, a description) out of a piece with the commas that
set it off; ``halves`` cuts a piece in two at a token; ``cluster_start`` and ``clitic_slot`` say
where a subject or an object pronoun goes before a finite verb; ``subject_mention`` names the
subject a new sentence needs, refusing when the parse and the verb's agreement disagree.
"""

from __future__ import annotations

from frenchnovel.pipeline.rewrite.pieces import Piece
from frenchnovel.pipeline.rewrite.referents import Mention, mention
from frenchnovel.pipeline.rewrite.syntax import Sentence

CLITICS = {"ne", "n'", "n’", "se", "s'", "s’", "me", "m'", "m’", "te", "t'", "t’", "le", "la",
            "les", "l'", "l’", "lui", "leur", "y", "en", "nous", "vous"}  # fmt: skip
REFLEXIVE = {"ne", "n'", "n’", "se", "s'", "s’", "me", "m'", "m’", "te", "t'", "t’", "nous", "vous"}
COMMAS = {",", "—", "–"}
STOPS = {".", ";", ":", "!", "?", "…"}
ANTECEDENTS = ("NOUN", "PROPN")


def top_clause(s: Sentence, tokens: list[int]) -> int:
    """The clause head among ``tokens`` that is highest in the tree, or -1."""
    heads = [k for k in tokens if s.is_clause(k)]
    return min(heads, key=lambda k: (s.depth[k], k), default=-1)


def detach(s: Sentence, piece: Piece, child: set[int], head: int) -> tuple[Piece, Piece]:
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
        if s.text[k] in COMMAS and right >= 0 and s.text[right] in COMMAS:
            gone.update((k, right))  # « La mairie, construite …, est » → « La mairie est »
        elif s.text[k] in COMMAS and (right < 0 or s.text[right] in STOPS):
            gone.add(k)
        elif right >= 0 and s.text[right] in COMMAS:
            gone.add(right)  # « les religieuses qui …, dames » → « les religieuses dames »
    if order and order[0] in child:
        first_kept = next((k for k in order if k not in child), -1)
        if first_kept >= 0 and s.text[first_kept] in COMMAS:
            gone.add(first_kept)
    parent.tokens = [k for k in parent.tokens if k not in gone]
    kid = Piece(sorted(child), head=head, drop=frozenset(piece.drop & child))
    parent.anchor = piece.anchor
    return parent, kid


def halves(
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


def cluster_start(s: Sentence, head: int, tokens: set[int]) -> int:
    """The first clitic or « ne » glued before the clause's finite verb: where a subject goes."""
    v = s.finite_of(head)
    i = v
    while (
        i - 1 in tokens
        and s.lower[i - 1] in CLITICS
        and s.head[i - 1] in (v, head)
        and not (i - 2 >= 0 and s.pos[i - 2] == "ADP")  # « avec lui »: no clitic
    ):
        i -= 1
    return i


def clitic_slot(s: Sentence, head: int, tokens: set[int], rank: tuple[str, ...]) -> int:
    """Where an object (``rank`` = the clitics it comes after) goes before the finite verb."""
    i = cluster_start(s, head, tokens)
    v = s.finite_of(head)
    while i < v and s.lower[i] in rank:
        i += 1
    return i


def subject_mention(s: Sentence, subject: int, clause: int = -1) -> Mention | None:
    """How to write ``subject`` again as the subject of ``clause`` (whose verb must agree)."""
    if s.lower[subject] == "qui":  # the subject of a relative: its antecedent
        antecedent = s.head[s.head[subject]]
        if s.pos[antecedent] not in ANTECEDENTS:
            return None
        subject = antecedent
    found = mention(s, subject)
    verb = s.finite_of(clause) if clause >= 0 else -1
    if verb >= 0 and s.lower[verb].endswith(("s", "x", "z")) and not _first_or_second(found):
        return None  # « comprends », « allons », « veux »: never a third person's verb
    number = {"Sing": "s", "Plur": "p"}.get(s.feature(verb, "Number"), "") if verb >= 0 else ""
    if s.lower[verb].endswith(("aient", "èrent", "irent", "urent", "ont")):
        number = "p"
    if number and found.agree and found.agree[1] != number and not found.personal:
        return None  # « une valse … tournaient »: the parse and the verb disagree
    return found if found.pronoun() or found.phrase else None


def _first_or_second(found: Mention) -> bool:
    return found.personal in ("je", "j'", "j’", "tu", "nous", "vous")


def mood(s: Sentence, c: int) -> str:
    v = s.finite_of(c)
    return s.feature(v, "Mood") if v >= 0 else ""


def clause_subject(s: Sentence, piece: Piece, clause: int) -> Mention | None:
    """The subject to write for ``clause`` of ``piece``: its own in the source, else the one
    ``piece`` already writes when ``clause`` is (coordinated with) the piece's clause."""
    subject = s.subject(clause)
    if subject >= 0:
        return subject_mention(s, subject, clause)
    h = clause
    for _ in range(8):
        if h == piece.head or s.dep[h] != "conj":
            break
        h = s.head[h]
    return piece.subject if h == piece.head and not piece.copula else None


_RELATIVE_WORDS = ("qui", "que", "qu'", "qu’", "dont", "où")
_ENCLOSING = ("«", "»", "(", ")", '"', "—")


def may_own(s: Sentence, k: int, verb: int) -> bool:
    """``k``, between ``verb`` and a complement after it, could own that complement: another
    verb (not a bare participle used as an adjective: « des marrons glacés »), a relative
    pronoun, a quotation or a parenthesis."""
    other = (s.pos[k] in ("VERB", "AUX") or s.finite[k]) and k != verb
    bare = s.dep[k] in ("acl", "amod") and not s.finite[k] and not s.children[k]
    return (other and not bare) or s.lower[k] in _RELATIVE_WORDS or s.text[k] in _ENCLOSING
