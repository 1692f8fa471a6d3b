"""Lemma matching scored on the (word, sentence) pairs of ``bench/data/lemma_gold.tsv``.

For each pair the reader's lemmas G (two for « du », none for a name) meet a matcher's P for the
same word in its sentence: a lemma in both is a true positive, one only in P a false positive,
one only in G a false negative; precision and recall are summed over the pairs. Matchers:
``ours`` (``decks.lemmas``: simplemma, its table and context rules), ``simplemma`` alone, and
spaCy's ``fr_core_news_sm`` lemmatizer (a PROPN is a name).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lemma_sample import CORPUS, sentence_at  # noqa: E402

from frenchnovel.decks.lemmas import analyse, book_names  # noqa: E402
from frenchnovel.decks.tokens import tokens  # noqa: E402

GOLD = HERE / "data" / "lemma_gold.tsv"


@dataclass(frozen=True, slots=True)
class Pair:
    book: str
    offset: int
    form: str
    gold: frozenset[str]
    sample: str  # the « # seed N: … » line above it


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / max(1, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.tp / max(1, self.tp + self.fn)


def load_pairs() -> list[Pair]:
    pairs = []
    sample = ""
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.startswith("# seed"):
            sample = line[2:]
        if not line or line.startswith("#"):
            continue
        book, offset, form, gold = [*line.split("\t"), ""][:4]
        lemmas = frozenset(filter(None, gold.split(",")))
        pairs.append(Pair(book, int(offset), form, lemmas, sample))
    return pairs


def score(pairs: list[Pair], matcher: Callable[[str, int, str, str], frozenset[str]]) -> Score:
    total = Score()
    for pair in pairs:
        text = (CORPUS / pair.book).read_text(encoding="utf-8")
        found = matcher(pair.book, pair.offset, pair.form, text)
        total.tp += len(found & pair.gold)
        total.fp += len(found - pair.gold)
        total.fn += len(pair.gold - found)
    return total


_names: dict[str, frozenset[str]] = {}


def ours(book: str, offset: int, form: str, text: str) -> frozenset[str]:
    if book not in _names:
        _names[book] = book_names(text.split("\n"))
    start, sentence = sentence_at(text, offset)
    lead = len(text[start:]) - len(text[start:].lstrip())
    # The word is the n-th of its sentence, n counted on the text up to it (the sentence is
    # analysed whole: the words after it are context too).
    before = tokens(text[start + lead : offset + len(form)])
    words = analyse(sentence, _names[book])
    return frozenset(words[len(before) - 1].lemmas) if words and before else frozenset()


def simplemma_alone(book: str, offset: int, form: str, text: str) -> frozenset[str]:
    import simplemma

    if form[0].isupper() and offset > 0 and text[offset - 2 : offset].strip() not in {".", ""}:
        return frozenset()
    return frozenset({simplemma.lemmatize(form.lower().replace("’", "'"), lang="fr").lower()})


def spacy_lemmatizer(book: str, offset: int, form: str, text: str) -> frozenset[str]:
    import spacy

    nlp = _spacy(spacy)
    start, sentence = sentence_at(text, offset)
    lead = len(text[start:offset]) - len(text[start:offset].lstrip())
    relative = offset - start - lead
    doc = nlp(sentence.replace("’", "'"))
    for token in doc:
        if token.idx <= relative < token.idx + len(token.text) + 1:
            if token.pos_ == "PROPN":
                return frozenset()
            return frozenset({token.lemma_.lower()})
    return frozenset()


_nlp: list[object] = []


def _spacy(spacy: object) -> object:
    if not _nlp:
        _nlp.append(spacy.load("fr_core_news_sm", exclude=["ner"]))  # type: ignore[attr-defined]
    return _nlp[0]


MATCHERS = {"ours": ours, "simplemma": simplemma_alone, "spacy": spacy_lemmatizer}


def main() -> None:
    pairs = load_pairs()
    samples = list(dict.fromkeys(pair.sample for pair in pairs))
    print(f"lemma matching on {len(pairs)} (word, sentence) pairs checked by reading")
    for sample in samples:
        print(f"  {sample}")
    for name, matcher in MATCHERS.items():
        figures = []
        for sample in samples:
            result = score([p for p in pairs if p.sample == sample], matcher)  # type: ignore[arg-type]
            figures.append(f"P {result.precision:.3f} R {result.recall:.3f}")
        total = score(pairs, matcher)  # type: ignore[arg-type]
        by_sample = " | ".join(figures)
        print(f"  {name:10s} {by_sample} | all P {total.precision:.3f} R {total.recall:.3f}")


if __name__ == "__main__":
    main()
