"""One parsed sentence as the local engine reads it: tokens, their heads, and its clauses.

spaCy's attributes are read once into plain lists (attribute access is not free). Two facts are
corrected where the parse of literary French is known to go wrong: a word that a French full-form
lexicon knows only as a finite verb (« mangea », « traversa », « apportaient ») is a finite verb
whatever its tag, and a clause head is any token that is finite or carries a finite auxiliary or
copula (« est une manière » heads on « manière »).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from frenchnovel.pipeline.verbforms import is_finite, simple_past

VERBAL = ("VERB", "AUX")
SUBJECT_DEPS = ("nsubj", "nsubj:pass", "expl:subj", "csubj")
AUX_DEPS = ("aux", "aux:pass", "aux:tense", "aux:caus", "cop")
# The second half of a negation opened by « ne » (« ne … que » included).
NEGATION_ENDS = {
    "pas", "point", "plus", "jamais", "rien", "personne", "guère", "que", "qu'", "qu’", "ni",
    "aucun", "aucune", "nul", "nulle", "nullement", "goutte", "mie",
}  # fmt: skip
NEGATION_STARTS = {"ne", "n'", "n’"}
RELATIVE_PRONOUNS = {
    "qui", "que", "qu'", "qu’", "dont", "où", "lequel", "laquelle", "lesquels", "lesquelles",
    "auquel", "duquel",
}  # fmt: skip
OBJECT_CLITICS = {"lui", "leur", "le", "la", "les", "l'", "l’", "me", "m'", "te", "t'", "se", "s'"}


@dataclass
class Sentence:
    """A parsed sentence's tokens as plain lists, with the engine's corrections."""

    text: list[str]
    space: list[str]  # the whitespace after each token in the source
    lower: list[str]
    pos: list[str]
    dep: list[str]
    head: list[int]
    morph: list[Any]
    finite: list[bool]

    @classmethod
    def of(cls, doc: Any, source: str | None = None) -> Sentence:
        """The facts of ``doc``; its words are written as ``source`` has them when the parse
        read a copy with plain apostrophes (``nlp.parsable``)."""
        toks = list(doc)
        pos = [t.pos_ for t in toks]
        lower = [t.lower_ for t in toks]
        morph = [t.morph for t in toks]
        finite = [is_finite(t) for t in toks]
        for i in range(1, len(toks)):  # « en lui accordant »: a gerund is never finite
            if lower[i].endswith("ant") and "en" in lower[max(0, i - 3) : i]:
                finite[i] = False
        text = doc.text if source is None else source
        return cls(
            [text[t.idx : t.idx + len(t.text)] for t in toks],
            [t.whitespace_ for t in toks],
            lower,
            pos,
            [t.dep_ for t in toks],
            [t.head.i for t in toks],
            morph,
            finite,
        )

    def __len__(self) -> int:
        return len(self.text)

    @cached_property
    def children(self) -> list[list[int]]:
        kids: list[list[int]] = [[] for _ in self.text]
        for i, h in enumerate(self.head):
            if h != i:
                kids[h].append(i)
        return kids

    @cached_property
    def depth(self) -> list[int]:
        out = []
        for i in range(len(self.text)):
            d, k = 0, i
            while self.head[k] != k and d < len(self.text):
                k, d = self.head[k], d + 1
            out.append(d)
        return out

    def subtree(self, i: int) -> set[int]:
        """``i`` and every token below it (a copy: callers may change it)."""
        return set(self._subtrees[i])

    @cached_property
    def _subtrees(self) -> list[frozenset[int]]:
        out: list[frozenset[int]] = [frozenset()] * len(self.text)
        for i in sorted(range(len(self.text)), key=lambda k: -self.depth[k]):
            below = {i}
            for k in self.children[i]:
                below |= out[k]
            out[i] = frozenset(below)
        return out

    def feature(self, i: int, name: str) -> str:
        values = self.morph[i].get(name)
        return values[0] if len(values) == 1 else ""

    def is_punct(self, i: int) -> bool:
        return self._punct[i]

    @cached_property
    def _punct(self) -> list[bool]:
        return [
            pos == "PUNCT" or not any(c.isalnum() for c in text)
            for pos, text in zip(self.pos, self.text, strict=True)
        ]

    # -- clauses ---------------------------------------------------------------------------

    def finite_of(self, h: int) -> int:
        """The finite token of the clause headed by ``h`` (itself or its auxiliary), or -1."""
        return self._finite_of[h]

    @cached_property
    def _finite_of(self) -> list[int]:
        out = []
        for h in range(len(self.text)):
            aux = [
                k for k in self.children[h] if self.dep[k] in AUX_DEPS and self.finite[k] and k < h
            ]
            out.append(aux[0] if aux else h if self.finite[h] else -1)
        return out

    def is_clause(self, h: int) -> bool:
        """``h`` heads a finite clause (and is not itself an auxiliary)."""
        return self.dep[h] not in AUX_DEPS and self._finite_of[h] >= 0

    def subject(self, h: int) -> int:
        """The subject token of clause ``h``, following coordinated verbs back; -1 if none."""
        for _ in range(8):
            for k in self.children[h]:
                if self._subject_of(k):
                    return k
            if self.dep[h] != "conj" or self.head[h] == h:
                return -1
            h = self.head[h]
        return -1

    def own_subject(self, h: int) -> int:
        return next((k for k in self.children[h] if self._subject_of(k)), -1)

    def _subject_of(self, k: int) -> bool:
        """``k`` is a subject: « lui » or « le » right before a verb is its object, whatever
        the parse says (« et lui avait dit »); a noun « called » before a verb in the third
        person is its subject."""
        if self.dep[k] == "vocative":  # « Madame la baronne, qui …, s'attirait »: not a call
            h = self.head[k]
            return k < h and self.pos[k] in ("NOUN", "PROPN") and self.feature(h, "Person") == "3"
        return self.dep[k] in SUBJECT_DEPS and self.lower[k] not in OBJECT_CLITICS

    def inverted(self, h: int) -> bool:
        """« dit-il », « viendra-t-on », « ajouta Harris »: the subject comes after the verb."""
        v = self.finite_of(h)
        if v < 0 or v + 1 >= len(self):
            return False
        after = self.text[v + 1]
        own = self.own_subject(h)
        name_after = self.pos[v + 1] == "PROPN" and after[:1].isupper()
        return after.startswith("-") or own > v or name_after

    def tense(self, h: int) -> str:
        """ "Pres" or "Past" for the clause headed by ``h`` (the ending decides where the
        small model reads « vivaient » or « parlèrent » as a present)."""
        v = self.finite_of(h)
        if v < 0:
            return ""
        word = self.lower[v]
        if word.endswith(("ait", "aient", "ais", "èrent", "irent", "urent", "ât")):
            return "Past"
        if (word.endswith("a") and len(word) > 3) or simple_past(word):
            return "Past"  # « répondit », « prit », which the small model reads as presents
        if self.feature(v, "Tense") == "Pres" or self.lower[v] in ("est", "sont", "a", "ont"):
            return "Pres"
        return "Past"

    def clause_heads(self) -> list[int]:
        return [h for h in range(len(self)) if self.is_clause(h)]
