"""The offline, deterministic rewriting engine, on spaCy's French dependency parse.

Each sentence over the limit is parsed (``fr_core_news_sm``, loaded once per process, batched
with ``nlp.pipe``), folded into whitespace units (``analysis``), cut where a reader would cut
(``cuts``: semicolons, colons, coordinated and subordinate clauses, relatives, appositions,
incises, and failing those the phrase boundary that the fewest dependency arcs cross), and written
back as sentences (``surface``). No word is invented except a subject reused from the source
(il, elle, ils, elles, on, or the name); none is dropped except an « et » at a cut, and a subject
« qui » opening a piece is replaced by its antecedent's pronoun. A verbless complement set off
by commas may repeat its clause's subject and verb (``cuts``), words the source already has, and
so may an object or attribute coordinated with the verb's own; a participle or adjective cut from
the noun it describes gets a pronoun and « était » / « est » (``attributes``).

``ignore_dialogue`` leaves a sentence of dialogue (opened by a dash, or holding « » or quotes)
exactly as it is, even over the limit: cutting a character's words changes who says what, and a
reader who asks to skip dialogue wants it verbatim. ``preserve_formatting=False`` writes « » as
" and … as ... in every other output sentence. When ``cancelled()`` turns true the engine stops
between two batches and the sentences it did not reach come back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from frenchnovel.billing.pricing import estimate_tokens
from frenchnovel.pipeline.nlp import get_nlp
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import CancelCheck, RewriteOutcome
from frenchnovel.pipeline.rewrite.analysis import analyse
from frenchnovel.pipeline.rewrite.cuts import plan
from frenchnovel.pipeline.rewrite.surface import plain_typography, render
from frenchnovel.pipeline.words import count_words

BATCH = 256  # sentences per nlp.pipe call; a cancelled job stops between two batches
WINDOW = 5000  # characters: longer run-on "sentences" are parsed in parts (spaCy's cost grows)
_DIALOGUE = re.compile(r"^\s*(?:--|—|–|-\s)|[«»“”\"]")


class LocalRewriter:
    """Rewrites long sentences offline; the same input always gives the same output."""

    engine = "local"
    model = "local"

    def rewrite(
        self,
        sentences: Sequence[str],
        options: JobOptions,
        *,
        cancelled: CancelCheck | None = None,
    ) -> RewriteOutcome:
        """Rewrite each sentence over the limit; the others pass through untouched."""
        limit = options.sentence_length_limit
        pieces: list[list[str]] = [[s] for s in sentences]
        verbatim: set[int] = set()  # speech the reader asked to keep as it is
        if options.ignore_dialogue:
            verbatim = {i for i, s in enumerate(sentences) if is_dialogue(s)}
        todo = [
            (i, part)
            for i, s in enumerate(sentences)
            if count_words(s) > limit and i not in verbatim
            for part in windows(s)
        ]
        done: set[int] = set()
        for first in range(0, len(todo), BATCH):
            if cancelled is not None and cancelled():
                break
            batch = todo[first : first + BATCH]
            docs = get_nlp().pipe([part for _, part in batch], batch_size=64)
            for (i, part), doc in zip(batch, docs, strict=True):
                if i not in done:  # the first window of a sentence replaces it
                    pieces[i] = []
                    done.add(i)
                pieces[i].extend(split(part, doc, options))
        if not options.preserve_formatting:
            pieces = [
                group if i in verbatim else [plain_typography(p) for p in group]
                for i, group in enumerate(pieces)
            ]
        return RewriteOutcome(pieces, tokens=estimate_tokens(sum(len(s) for s in sentences)))


def windows(sentence: str) -> list[str]:
    """``sentence`` itself, or for a run-on text longer than ``WINDOW`` characters (a table, a
    list without stops), consecutive parts cut at spaces, each short enough to parse."""
    if len(sentence) <= WINDOW:
        return [sentence]
    parts, start = [], 0
    while start < len(sentence):
        end = len(sentence) if len(sentence) - start <= WINDOW else start + WINDOW
        if end < len(sentence):
            space = sentence.rfind(" ", start + 1, end)
            end = space if space > start else end
        if sentence[start:end].strip():
            parts.append(sentence[start:end].strip())
        start = end
    return parts


def split(sentence: str, doc: object, options: JobOptions) -> list[str]:
    """The short sentences that ``sentence`` (parsed as ``doc``) becomes."""
    analysis = analyse(sentence, doc)
    chosen = plan(analysis, options.sentence_length_limit, options.min_sentence_length)
    return render(analysis, chosen) or [sentence]


def is_dialogue(sentence: str) -> bool:
    """True for a line of dialogue or a sentence that quotes speech."""
    return bool(_DIALOGUE.search(sentence))
