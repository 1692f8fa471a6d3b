"""Sentence-boundary F1 of French segmenters on the literary gold and the UD French files.

A boundary is the offset, in a paragraph's stream of non-space characters, where a sentence ends;
only boundaries strictly inside a paragraph count (corpus/literary/README.md, "How the scores are
computed"). Scores are micro-averaged over paragraphs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

Splitter = Callable[[list[str]], list[list[str]]]
"""Paragraphs in, sentences of each paragraph out."""


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[int], found: set[int]) -> None:
        self.tp += len(gold & found)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def boundaries(sentences: Iterable[str]) -> set[int]:
    """Offsets in non-space characters where each sentence but the last ends."""
    offsets, total = [], 0
    for sentence in sentences:
        total += sum(1 for ch in sentence if not ch.isspace())
        offsets.append(total)
    return set(offsets[:-1])


def literary_gold(corpus: Path) -> list[tuple[str, list[str]]]:
    """(paragraph, gold sentences) of ``literary/literary_dev_gold.jsonl``."""
    path = corpus / "literary" / "literary_dev_gold.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(row["paragraph"], row["sentences"]) for row in rows]


def literary_sources(corpus: Path) -> list[str]:
    """The novel each literary gold paragraph comes from, in file order."""
    path = corpus / "literary" / "literary_dev_gold.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["source"] for line in lines if line]


def conllu_gold(path: Path, group: int = 10) -> list[tuple[str, list[str]]]:
    """Each run of ``group`` gold sentences of a CoNLL-U file, joined by spaces into a paragraph."""
    texts = [
        line.removeprefix("# text =").strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# text =")
    ]
    groups = [texts[i : i + group] for i in range(0, len(texts), group)]
    return [(" ".join(g), g) for g in groups]


def score(gold: list[tuple[str, list[str]]], splitter: Splitter) -> Score:
    """Micro-averaged boundary counts of ``splitter`` on ``gold``."""
    result = Score()
    found = splitter([paragraph for paragraph, _ in gold])
    for (_, sentences), predicted in zip(gold, found, strict=True):
        result.add(boundaries(sentences), boundaries(predicted))
    return result


def ours(paragraphs: list[str]) -> list[list[str]]:
    from frenchnovel.pipeline.segment import split_sentences

    return [split_sentences(p) for p in paragraphs]


@cache
def _senter() -> Any:
    import spacy

    nlp = spacy.load("fr_core_news_sm", exclude=["parser", "ner", "lemmatizer"])
    nlp.enable_pipe("senter")
    return nlp


def spacy_senter(paragraphs: list[str]) -> list[list[str]]:
    return [[s.text for s in doc.sents] for doc in _senter().pipe(paragraphs, batch_size=64)]


@cache
def _pysbd() -> Any:
    import pysbd

    return pysbd.Segmenter(language="fr", clean=False)


def pysbd_fr(paragraphs: list[str]) -> list[list[str]]:
    return [_pysbd().segment(p) for p in paragraphs]


SYSTEMS: dict[str, Splitter] = {"ours": ours, "spacy senter": spacy_senter, "pysbd (fr)": pysbd_fr}
