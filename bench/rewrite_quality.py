"""Rewriting quality of the ``local`` engine and of a naive baseline, on the four novels.

The long sentences (over the limit) of ``corpus/text/`` are rewritten, then every output sentence
is parsed again with spaCy's French model to measure: within the limit, holding a finite verb,
content-word recall (source NOUN/VERB/ADJ/ADV/PROPN lemmas found again in the rewrite), and words
the source does not have.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite.local import LocalRewriter
from frenchnovel.pipeline.segment import split_sentences
from frenchnovel.pipeline.words import count_words, words

CONTENT = {"NOUN", "VERB", "ADJ", "ADV", "PROPN"}
# A sentence that ends on one of these was cut in the middle of a phrase (« … au bord de. »).
DANGLING = set(
    "de d à et ou ni mais le la les l un une des du au aux que qu en sur dans par pour avec sans "
    "sous vers chez comme il elle ils elles je j nous vous on se s ne n ce c sa son ses mon ma "
    "mes ton ta tes leur leurs cette ces cet tandis lorsque quand".split()
)  # as ``_norm`` writes them: « d' » is « d »
_EDGE_PUNCT = re.compile(r"^\W+|\W+$")

Engine = Callable[[list[str], JobOptions], list[list[str]]]


@dataclass(slots=True)
class Quality:
    sentences: int = 0
    outputs: int = 0
    within: int = 0
    finite: int = 0
    content: int = 0
    recalled: int = 0
    out_words: int = 0
    absent: int = 0
    dangling: int = 0

    def row(self) -> dict[str, float]:
        return {
            "within limit": self.within / self.outputs,
            "finite verb": self.finite / self.outputs,
            "content recall": self.recalled / self.content,
            "absent tokens": self.absent / self.out_words,
            "dangling ends": self.dangling / self.outputs,
        }


def paragraphs(path: Path) -> Iterator[str]:
    """The paragraphs of a novel of ``corpus/text`` (ELTeC: one a line; Gutenberg: blocks)."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    if "gutenberg" not in path.name:
        yield from (line.strip() for line in text.split("\n") if line.strip())
        return
    first = text.find("Livre premier--Un juste")
    start = text.find("Livre premier--Un juste", first + 1)
    end = text.find("End of the Project Gutenberg")
    for block in re.split(r"\n\s*\n", text[start:end]):
        if block.strip():
            yield " ".join(block.split())


def novels(corpus: Path) -> dict[str, list[str]]:
    return {
        p.name.split("_")[0]: list(paragraphs(p)) for p in sorted((corpus / "text").glob("*.txt"))
    }


def long_sentences(paras: Sequence[str], limit: int, every: int) -> list[str]:
    """Every ``every``-th sentence over ``limit`` words (a sample spread over the whole novel)."""
    found = [s for p in paras for s in split_sentences(p) if count_words(s) > limit]
    return found[::every]


def local_engine(sentences: list[str], options: JobOptions) -> list[list[str]]:
    return LocalRewriter().rewrite(sentences, options).pieces


def naive_engine(sentences: list[str], options: JobOptions) -> list[list[str]]:
    """Cut every ``limit`` words, at the last punctuation of the window when there is one."""
    limit = options.sentence_length_limit
    out = []
    for sentence in sentences:
        tokens, pieces = sentence.split(), []
        while tokens:
            count, cut, last_punct = 0, len(tokens), 0
            for i, token in enumerate(tokens):
                count += bool(re.search(r"\w", token))
                if count > limit:
                    cut = i
                    break
                if token[-1] in ",;:" and count > limit // 2:
                    last_punct = i + 1
            if cut < len(tokens) and last_punct:
                cut = last_punct
            piece = " ".join(tokens[:cut]).strip(" ,;:")
            tokens = tokens[cut:]
            if piece:
                piece = piece[0].upper() + piece[1:]
                pieces.append(piece if piece[-1] in ".!?…»" else piece + ".")
        out.append(pieces)
    return out


@cache
def _full_nlp() -> Any:
    import spacy

    return spacy.load("fr_core_news_sm", exclude=["ner"])


def _norm(word: str) -> str:
    return _EDGE_PUNCT.sub("", word.lower().replace("’", "'"))


def as_in_source(piece: str, source: str) -> str:
    """``piece`` with its first letter as the source writes it, for parsing only.

    The capital that opens every output sentence is the rewriter's, and the small French model
    reads a capitalised verb as a name (« Demanda », « Parurent »): undo it where the source has
    the word in lower case and not capitalised.
    """
    match = re.search(r"\w+", piece)
    if match is None or not match.group().istitle():
        return piece
    word = match.group()
    lower = word[0].lower() + word[1:]
    if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", source) or not re.search(
        rf"(?<!\w){re.escape(lower)}(?!\w)", source
    ):
        return piece
    return piece[: match.start()] + lower + piece[match.end() :]


def measure(sentences: list[str], outputs: list[list[str]], limit: int) -> Quality:
    """The quality figures of ``outputs`` (one list of pieces per source sentence)."""
    nlp = _full_nlp()
    q = Quality(sentences=len(sentences))
    flat = [
        as_in_source(piece, source)
        for source, pieces in zip(sentences, outputs, strict=True)
        for piece in pieces
    ]
    piece_docs = iter(list(nlp.pipe(flat, batch_size=128)))
    for source_doc, source, pieces in zip(
        nlp.pipe(sentences, batch_size=128), sentences, outputs, strict=True
    ):
        source_words = {_norm(w) for w in words(source)}
        seen: set[str] = set()
        for piece in pieces:
            doc = next(piece_docs)
            q.outputs += 1
            q.within += count_words(piece) <= limit
            last = words(piece)[-1:]
            q.dangling += bool(last) and _norm(last[0]) in DANGLING
            q.finite += any("Fin" in t.morph.get("VerbForm") for t in doc)
            seen.update(t.lemma_.lower() for t in doc)
            seen.update(t.lower_ for t in doc)
            for w in words(piece):
                q.out_words += 1
                q.absent += _norm(w) not in source_words
        for tok in source_doc:
            if tok.pos_ in CONTENT:
                q.content += 1
                q.recalled += tok.lemma_.lower() in seen or tok.lower_ in seen
    return q


def speed(paras: Sequence[str], options: JobOptions) -> tuple[int, float, float]:
    """Words, CPU seconds and wall seconds of the local engine (segment, rewrite) on ``paras``.

    CPU time is the figure for "one core": the bench machine's cores are shared, so wall time
    also counts other processes.
    """
    cpu, wall = time.process_time(), time.perf_counter()
    sentences = [s for p in paras for s in split_sentences(p)]
    LocalRewriter().rewrite(sentences, options)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return sum(count_words(p) for p in paras), cpu, wall
