"""The sentences a deck may use: the short sentences of one or more finished results.

Flow: each result's sentences are read in order (``Source``: the result JSON as stored, and the
book's name); the book's names are found (``lemmas.book_names``); each distinct sentence text is
analysed once into its words and lemmas; the share of its words that the list knows is counted
(names and numbers count as known: a learner need not learn « Emma »). Whether a sentence stands
alone is issue 9's check (``pipeline.standalone.check``), run by the modes only on the sentences
they may pick, because it parses each one (about a millisecond a sentence).

A sentence is *dialogue* when it or its source opens with a dash or sits between guillemets:
a drill prefers narration, whose sentences need no speaker.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from frenchnovel.decks.lemmas import analyse, book_names
from frenchnovel.decks.wordlists import WordList
from frenchnovel.pipeline.words import count_words

DIALOGUE_OPENERS = ("—", "–", "-", "«", '"', "“")


@dataclass(frozen=True, slots=True)
class Source:
    """One finished result: its JSON (``sentences`` with ``text``, ``original``, maybe
    ``chapter``) and the book's name shown on each card."""

    book: str
    result: dict[str, Any]


@dataclass(slots=True)
class Candidate:
    """One distinct sentence of the books, analysed against a word list."""

    text: str
    original: str
    book: str
    chapter: int | None
    length: int  # words, as the rest of the project counts them (names and numbers too)
    lemmas: frozenset[str]  # every lemma it holds
    entries: frozenset[str]  # the keys of the list entries it holds
    known: float  # share of its words in the list (names and numbers known)
    dialogue: bool
    standalone: bool | None = None  # None until checked
    unknown_words: tuple[str, ...] = field(default=())


def collect(sources: Sequence[Source], words: WordList) -> list[Candidate]:
    """Every distinct sentence of ``sources`` (first one wins), analysed against ``words``."""
    texts = [s.get("text", "") for source in sources for s in source.result.get("sentences", [])]
    names = book_names(texts)
    single = {e.lemmas[0]: e.key for e in words.entries if len(e.lemmas) == 1}
    multi = [e for e in words.entries if len(e.lemmas) > 1]
    seen: set[str] = set()
    found: list[Candidate] = []
    for source in sources:
        for sentence in source.result.get("sentences", []):
            text = str(sentence.get("text", "")).strip()
            if not text or text in seen:
                continue
            seen.add(text)
            found.append(_candidate(text, sentence, source.book, names, single, multi))
    return found


def _candidate(
    text: str,
    sentence: dict[str, Any],
    book: str,
    names: frozenset[str],
    single: dict[str, str],
    multi: Iterable[Any],
) -> Candidate:
    words = analyse(text, names)
    lemmas = frozenset(lemma for word in words for lemma in word.lemmas)
    entries = {single[lemma] for lemma in lemmas if lemma in single}
    entries.update(e.key for e in multi if all(lemma in lemmas for lemma in e.lemmas))
    unknown = tuple(
        w.form for w in words if w.lemmas and not all(lemma in single for lemma in w.lemmas)
    )
    original = str(sentence.get("original") or text)
    chapter = sentence.get("chapter")
    return Candidate(
        text=text,
        original=original,
        book=book,
        chapter=int(chapter) if isinstance(chapter, int) else None,
        length=count_words(text),
        lemmas=lemmas,
        entries=frozenset(entries),
        known=1.0 - len(unknown) / len(words) if words else 0.0,
        dialogue=_dialogue(text) or _dialogue(original),
        unknown_words=unknown,
    )


def _dialogue(text: str) -> bool:
    stripped = text.lstrip()
    return stripped.startswith(DIALOGUE_OPENERS) or "«" in stripped or "»" in stripped


def card_text(text: str) -> str:
    """A sentence as a card shows it: without a guillemet whose partner is in another sentence
    (« Cela ne me suffit plus. » → « Cela ne me suffit plus. »)."""
    text = text.strip()
    if text.endswith("»") and "«" not in text:
        text = text[:-1].rstrip()
    if text.startswith("«") and "»" not in text:
        text = text[1:].lstrip()
    return text


def check_standalone(candidates: Sequence[Candidate]) -> None:
    """Run issue 9's checks on the candidates not yet checked (each parsed alone)."""
    from frenchnovel.pipeline.standalone import check

    todo = [c for c in candidates if c.standalone is None]
    for candidate, verdict in zip(todo, check([c.text for c in todo]), strict=True):
        candidate.standalone = verdict.passes
