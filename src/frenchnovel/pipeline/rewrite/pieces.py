"""A new sentence made of a source sentence's tokens, the checks it must pass, and its text.

A ``Piece`` is a set of the source's tokens, some of them left unwritten (an « et », a relative
pronoun), with the few words a transformation adds: a subject (a ``Mention``, written as a
pronoun only where it cannot be mistaken), a copula after it (« était »), an object clitic
(« l' »), a link (« En effet, »). ``problems`` says why a piece would not stand alone as a
sentence; a transformation whose pieces have any is not made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from frenchnovel.pipeline.rewrite.referents import PERSONAL, Mention, agreement
from frenchnovel.pipeline.rewrite.syntax import (
    AUX_DEPS,
    NEGATION_ENDS,
    NEGATION_STARTS,
    Sentence,
)

# A sentence cannot end on these: they lean on what follows.
_LEANING = {
    "ne", "n'", "n’", "se", "s'", "s’", "me", "m'", "m’", "te", "t'", "t’", "le", "la", "les",
    "l'", "l’", "lui", "leur", "y", "en", "ce", "c'", "c’", "que", "qu'", "qu’", "qui", "dont",
    "où", "très", "si", "plus", "moins", "aussi", "trop", "je", "j'", "j’", "tu", "il", "elle",
    "ils", "elles", "on", "nous", "vous",
}  # fmt: skip
_LEANING_POS = {"DET", "ADP", "CCONJ", "SCONJ"}
# A piece opened by one of these is a subordinate clause unless it holds its main clause.
_SUBORDINATING = {
    "que", "qu'", "qu’", "qui", "dont", "où", "lequel", "laquelle", "lesquels", "lesquelles",
    "parce", "quand", "lorsque", "lorsqu'", "lorsqu’", "puisque", "puisqu'", "puisqu’", "quoique",
    "afin", "tandis", "pendant", "comme", "si", "s'", "s’", "auquel", "duquel",
}  # fmt: skip
_RELATIVES = {"qui", "que", "qu'", "qu’", "dont", "où", "lequel", "laquelle", "lesquels",
              "lesquelles", "auquel", "duquel"}  # fmt: skip
_ELIDED = re.compile(r"\b([Jj])e ([aeiouyhéèêàâîôûœ])")
_FINAL = {".", "!", "?", "…", "?!", "!?", "..."}
_SUBORDINATOR_HEADS = {
    "pour", "afin", "avant", "sans", "bien", "depuis", "pendant", "tandis", "alors", "dès",
    "après", "aussitôt", "parce", "sitôt",
}  # fmt: skip
_PAIRS = (("«", "»"), ("(", ")"), ("[", "]"))
_LEADING = re.compile(r"^[\s,;:.—–\-)»”]+")
_TRAILING = re.compile(r"[\s,;:—–\-(«“]+$")
_ENDED = re.compile(r"[.!?…][»”\"')\]\s]*$")
_NOUNS = ("NOUN", "PROPN")


@dataclass(slots=True)
class Piece:
    """Tokens of the source and the words added to make them a sentence."""

    tokens: list[int]
    head: int = -1  # the clause this piece is about
    drop: frozenset[int] = frozenset()
    insert: dict[int, str] = field(default_factory=dict)  # words written before a token
    subject: Mention | None = None  # a subject written before ``subject_at``
    subject_at: int = -1
    copula: str = ""  # « était » after the written subject
    link: str = ""  # « En effet, » opening the piece
    anchor: float = -1.0  # where the piece goes in reading order (-1: at its first token)

    def without(self, tokens: set[int]) -> Piece:
        """This piece less ``tokens``, with the commas that set them off."""
        kept = [k for k in self.tokens if k not in tokens]
        return replace(self, tokens=kept, insert=dict(self.insert))

    def position(self) -> float:
        return self.anchor if self.anchor >= 0 else float(min(self.tokens, default=0))

    def words(self, s: Sentence) -> list[int]:
        return [k for k in self.tokens if k not in self.drop and not s.is_punct(k)]

    def about(self, s: Sentence) -> int:
        """The token this piece's subject names (for the next piece's pronouns), or -1."""
        if self.subject is not None:
            return self.subject.token
        if self.head >= 0:
            k = s.subject(self.head)
            if k in self.tokens:
                return k
        return -1


def problems(s: Sentence, piece: Piece, min_words: int) -> list[str]:
    """Why ``piece`` would not stand alone as a French sentence (empty when it would)."""
    out = []
    words = piece.words(s)
    added = (piece.subject is not None) + bool(piece.copula)
    if len(words) + added < max(2, min_words):
        out.append("short")
    if not words:
        return out
    if not _has_clause(s, piece):
        out.append("no clause")
    last = words[-1]
    if s.lower[last] in _LEANING or s.pos[last] in _LEANING_POS or s.dep[last] in AUX_DEPS:
        if not s.text[last].startswith("-"):  # « dit-il », « prends-le »
            out.append("leaning end")
    opening = words[1:] if s.pos[words[0]] == "CCONJ" and len(words) > 1 else words
    first = opening[0]
    if (
        (s.lower[first] in _SUBORDINATING or _two_word_subordinator(s, opening))
        and first not in piece.insert
        and (piece.subject is None or piece.subject_at > first)
        and not _main_follows(s, piece, first)
    ):
        out.append("subordinate")
    for i, k in enumerate(words):
        if s.lower[k] in NEGATION_STARTS and not any(
            s.lower[j] in NEGATION_ENDS for j in words[i + 1 : i + 12]
        ):
            out.append("ne alone")
    if any(_lost_subject(s, piece, k) or _lost_verb_subject(s, piece, k) for k in words):
        out.append("subject without verb")
    if any(_orphan_relative(s, piece, k) for k in words):
        out.append("relative without antecedent")
    texts = [s.text[k] for k in piece.tokens if k not in piece.drop]
    if any(texts.count(a) != texts.count(b) for a, b in _PAIRS):
        out.append("unbalanced")
    return out


def _two_word_subordinator(s: Sentence, words: list[int]) -> bool:
    """« pour que », « avant qu' », « sans que »… opening a piece."""
    return (
        len(words) > 1
        and s.lower[words[0]] in _SUBORDINATOR_HEADS
        and s.lower[words[1]] in ("que", "qu'", "qu’")
    )


def _lost_subject(s: Sentence, piece: Piece, k: int) -> bool:
    """``k`` is a subject whose verb is not in ``piece``, or whose « verb » the parse read as
    finite and the lexicon knows only as a participle (« la lumière …, rabattue … »)."""
    if s.dep[k] not in ("nsubj", "nsubj:pass"):
        return False
    h = s.head[k]
    if h not in piece.tokens or h in piece.drop:
        return True
    tagged = s.pos[h] in ("VERB", "AUX") and "Fin" in s.morph[h].get("VerbForm")
    return tagged and not s.is_clause(h)


def _lost_verb_subject(s: Sentence, piece: Piece, k: int) -> bool:
    """``k`` heads a clause whose own subject is not in ``piece`` (« … cherchaient le bateau »
    once « ses yeux » went elsewhere)."""
    if not s.is_clause(k) or (piece.subject is not None and k == piece.head):
        return False
    own = s.own_subject(k)
    return own >= 0 and (own not in piece.tokens or own in piece.drop) and s.lower[own] != "qui"


def _orphan_relative(s: Sentence, piece: Piece, k: int) -> bool:
    """``k`` is a relative pronoun whose antecedent is not in ``piece`` (« … et qu'on allait
    juger » once the first relative became « On l'instruisait »)."""
    if s.lower[k] not in _RELATIVES or s.dep[k] in ("mark", "fixed") or s.pos[k] != "PRON":
        return False
    c = s.head[k]
    if not s.is_clause(c) and not s.finite[c]:
        return True  # « la salle à manger qui, nous l'avons dit » : its verb went elsewhere
    for _ in range(8):
        if s.dep[c] != "conj":
            break
        c = s.head[c]
    return s.dep[c] == "acl:relcl" and (s.head[c] not in piece.tokens or c == piece.head)


def _has_clause(s: Sentence, piece: Piece) -> bool:
    if piece.copula and piece.subject is not None:
        return True
    members = set(piece.tokens) - piece.drop
    for k in members:
        if not s.finite[k]:
            continue
        h = s.head[k] if s.dep[k] in AUX_DEPS else k
        if piece.subject is not None and h == piece.head:
            return True
        subject = s.subject(h)
        if subject in members or s.inverted(h) or "Imp" in s.morph[k].get("Mood"):
            return True
    return _surface_clause(s, piece)


def _surface_clause(s: Sentence, piece: Piece) -> bool:
    """A second opinion where the parse went wrong: a finite verb form with a subject pronoun
    or a bare noun before it, no comma between (« Les cailloux du trottoir la blessaient »)."""
    seen_subject = False
    for k in piece.tokens:
        if k in piece.drop:
            continue
        if s.text[k] in (",", ";", ":", "—", "–"):
            seen_subject = False
        elif s.finite[k] and seen_subject:
            return True
        elif s.lower[k] in PERSONAL or (
            s.pos[k] in ("NOUN", "PROPN") and not any(s.dep[j] == "case" for j in s.children[k])
        ):
            seen_subject = True
    return False


def _main_follows(s: Sentence, piece: Piece, first: int) -> bool:
    """True if ``piece``, opened by the subordinating ``first``, also holds a main clause (one in
    parentheses does not count: « Pour qu'on ne la vît pas (il y avait du monde) »)."""
    inner = s.subtree(s.head[first])
    depth, found = 0, False
    for k in piece.tokens:
        depth += (s.text[k] in ("(", "[")) - (s.text[k] in (")", "]"))
        if depth == 0 and s.finite[k] and k not in inner and s.dep[k] != "acl:relcl":
            found = True
    return found


def render(s: Sentence, piece: Piece, previous: Piece | None, *, final: bool) -> str:
    """The text of ``piece``; ``previous`` decides if a pronoun is safe for its subject, and the
    ``final`` piece ends as the source sentence does (« ! », « ? »)."""
    last = len(s) - 1 if s.text[-1] in _FINAL else -1
    out: list[str] = []
    if piece.link:
        out.append(piece.link + " ")
    subject = _subject_text(s, piece, previous) if piece.subject is not None else ""
    written = False
    for n, k in enumerate(piece.tokens):
        if k == piece.subject_at:
            out.append(subject + " " + (piece.copula + " " if piece.copula else ""))
            written = True
        if k in piece.insert:
            word = piece.insert[k]
            out.append(word if word.endswith(("'", "’")) else word + " ")
            written = True
        if k in piece.drop or k == last:
            continue
        word = s.text[k]
        if k == 0 and (written or piece.link) and s.pos[k] != "PROPN" and word[1:].islower():
            word = word.lower()
        nxt = piece.tokens[n + 1] if n + 1 < len(piece.tokens) else -1
        space = s.space[k] if nxt in (k + 1, -1) else (s.space[k] or " ")
        out.append(word + space)
        written = written or not s.is_punct(k)
    text = re.sub(r"\s+", " ", "".join(out))
    text = _ELIDED.sub(r"\1'\2", text)  # a subject « je » written before « en », « ai »
    text = re.sub(r" ([,.])", r"\1", text) if "« " not in text else text
    text = _LEADING.sub("", text)
    if previous is not None:
        text = re.sub(r"^[Ee]t\b[\s,]*", "", text)  # « Et, pour qu'on ne la vît pas… » mid-text
    text = _TRAILING.sub("", text).strip()
    if not text:
        return ""
    if not _ENDED.search(text):
        question = s.text[last] == "?" and piece.head >= 0 and s.inverted(piece.head)
        text += s.text[last] if final and last >= 0 else "?" if question else "."
    return _capitalise(text)


def _subject_text(s: Sentence, piece: Piece, previous: Piece | None) -> str:
    mention = piece.subject
    assert mention is not None
    pronoun = mention.pronoun()
    if mention.personal or (pronoun and not mention.phrase):
        return pronoun
    if pronoun and previous is not None and _clear(s, mention, previous):
        return pronoun
    return mention.phrase


def _clear(s: Sentence, mention: Mention, previous: Piece) -> bool:
    """A pronoun for ``mention`` cannot be mistaken after ``previous``: it is its subject, or
    the only noun there of that gender and number."""
    if previous.about(s) == mention.token:
        return True
    if mention.token not in previous.tokens:
        return False
    rivals = [
        k
        for k in previous.tokens
        if k != mention.token
        and (s.pos[k] in _NOUNS or s.lower[k] in PERSONAL)
        and agreement(s, k) in (mention.agree, "")
    ]
    return not rivals


def _capitalise(text: str) -> str:
    match = re.search(r"\w", text)
    if match is None:
        return text
    i = match.start()
    return text[:i] + text[i].upper() + text[i + 1 :]
