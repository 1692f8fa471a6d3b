"""A new sentence made of a source sentence's tokens, the checks it must pass, and its text.

A ``Piece`` is a set of the source's tokens, some of them left unwritten (an « et », a relative
pronoun), with the few words a transformation adds: a subject (a ``Mention``, written as a
pronoun only where it cannot be mistaken), a copula after it (« était »), an object clitic
(« l' »), a link (« En effet, »). ``checks.problems`` says why a piece would not stand alone
as a sentence; a transformation whose pieces have any is not made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from frenchnovel.pipeline.rewrite.referents import PERSONAL, Mention, agreement
from frenchnovel.pipeline.rewrite.syntax import (
    Sentence,
)

# The openings of a circumstance or a purpose made a sentence (« C'était dans un salon. »),
# by the tense of the clause it leaves.
LINKS = ("C'était", "Ce fut", "C'est", "Ce sera")
# A sentence cannot end on these: they lean on what follows.
_ELIDED = re.compile(r"\b([Jj])e ([aeiouyhéèêàâîôûœ])")
_FINAL = {
    ".",
    "!",
    "?",
    "…",
    "?!",
    "!?",
    "...",
    ":",
}  # « il disait, en parlant vite : » (speech next)
_LEADING = re.compile(r"^[\s,;:.—–\-)»”]+")
_DASHES = {"—", "–", "--"}  # a line of dialogue opens with one
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
        nxt = next((j for j in piece.tokens[n + 1 :] if j not in piece.drop), -1)
        space = s.space[k] if nxt in (k + 1, -1) else (s.space[k] or " ")
        out.append(word + space)
        written = written or not s.is_punct(k)
    text = re.sub(r"\s+", " ", "".join(out))
    text = _ELIDED.sub(r"\1'\2", text)  # a subject « je » written before « en », « ai »
    text = re.sub(r" ([,.])", r"\1", text) if "« " not in text else text
    text = _LEADING.sub("", text)
    opening = previous is None and not piece.link and piece.tokens and piece.tokens[0] == 0
    if opening and s.text[0] in _DASHES:
        text = f"{s.text[0]} {text}"  # « — Tu as raison. »: the first piece opens the speech
    if previous is not None:
        text = re.sub(r"^[Ee]t\b[\s,]*", "", text)  # « Et, pour qu'on ne la vît pas… » mid-text
    text = _TRAILING.sub("", text).strip()
    if not text:
        return ""
    if not _ENDED.search(text):
        question = s.text[last] == "?" and piece.head >= 0 and s.inverted(piece.head)
        # « il disait : » ends on a stop: a sentence of the deck stands alone (the rubric's form)
        if final and last >= 0 and s.text[last] != ":":  # « collection ! »
            spaced = s.text[last] in ("!", "?", "?!", "!?") and last > 0 and s.space[last - 1]
            text += (" " if spaced else "") + s.text[last]
        else:
            text += "?" if question else "."
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
    written = previous.subject
    if written is not None and written.token != mention.token and written.agree == mention.agree:
        return False  # « Elle s'offrait en la fille … » : « elle » is the other one
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
