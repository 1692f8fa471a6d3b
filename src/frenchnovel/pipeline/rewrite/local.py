"""The offline, deterministic rewriting engine: syntactic transformations on spaCy's parse.

A sentence over the limit is parsed (``nlp.get_nlp``, loaded once per process, batched with
``nlp.pipe``) and read as clauses (``syntax``). While a piece is over the limit, the engine makes
it two sentences by the first transformation (``transforms``) whose pieces all stand alone
(``checks.problems``): coordinated clauses with their subject written again, a relative clause
with its antecedent, a cause or a time clause with its link, a description with « il était ».
A piece that no transformation can shorten without a fragment stays whole, over the limit: the
result marks it (``over_limit``), and no fragment is ever made to meet the limit. Words are the
source's; only subjects, « le / la / lui », « était » and the links are added.

``ignore_dialogue`` leaves a sentence of dialogue (opened by a dash, or holding « » or quotes)
exactly as it is, even over the limit: cutting a character's words changes who says what, and a
reader who asks to skip dialogue wants it verbatim. ``preserve_formatting=False`` writes « » as
" and … as ... in every other output sentence. When ``cancelled()`` turns true the engine stops
between two batches and the sentences it did not reach come back unchanged. A sentence on which
a transformation fails (a bug of the rules) comes back whole, and the failure is logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from frenchnovel.pipeline.nlp import get_nlp, parsable
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import CancelCheck, RewriteOutcome
from frenchnovel.pipeline.rewrite.checks import problems
from frenchnovel.pipeline.rewrite.pieces import Piece, render
from frenchnovel.pipeline.rewrite.surface import plain_typography
from frenchnovel.pipeline.rewrite.syntax import Sentence
from frenchnovel.pipeline.rewrite.transforms import candidates, top_clause
from frenchnovel.pipeline.words import count_words, estimate_tokens

BATCH = 256  # sentences per nlp.pipe call; a cancelled job stops between two batches
WINDOW = 5000  # characters: longer run-on "sentences" are parsed in parts (spaCy's cost grows)
log = logging.getLogger(__name__)
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
            docs = get_nlp().pipe([parsable(part) for _, part in batch], batch_size=64)
            for (i, part), doc in zip(batch, docs, strict=True):
                if i not in done:  # the first window of a sentence replaces it
                    pieces[i] = []
                    done.add(i)
                pieces[i].extend(_guarded(part, doc, options))
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


def _guarded(sentence: str, doc: object, options: JobOptions) -> list[str]:
    """``split``, or the sentence whole when a transformation fails on it: one sentence the rules
    cannot handle must not fail a book of a thousand pages (the failure is logged)."""
    try:
        return split(sentence, doc, options)
    except Exception:
        log.exception("a sentence stays whole: the rewriting failed on it: %.80r", sentence)
        return [sentence]


def split(sentence: str, doc: object, options: JobOptions) -> list[str]:
    """The short sentences that ``sentence`` (parsed as ``doc``) becomes."""
    s = Sentence.of(doc, sentence)
    if not len(s):
        return [sentence]
    everything = list(range(len(s)))
    whole = Piece(everything, top_clause(s, everything))
    limit, min_words = options.sentence_length_limit, options.min_sentence_length
    pieces = sorted(_shorten(s, whole, limit, min_words, DEPTH, [SEARCH]), key=Piece.position)
    if len(pieces) == 1:
        return [sentence]
    out: list[str] = []
    previous: Piece | None = None
    curly = "’" in sentence and "'" not in sentence  # the added « l' », « j' » as the book writes
    for n, piece in enumerate(pieces):
        text = render(s, piece, previous, final=n == len(pieces) - 1)
        if text:
            out.append(text.replace("'", "’") if curly else text)
            previous = piece
    return out or [sentence]


DEPTH = 16  # how deep transformations of one sentence may nest (each piece is halved again)
ALTERNATIVES = 3  # transformations of one piece compared, when the first leaves words over
SEARCH = 24  # alternatives tried in all for one sentence, past the first of each piece


def _shorten(
    s: Sentence, piece: Piece, limit: int, min_words: int, budget: int, search: list[int]
) -> list[Piece]:
    """``piece`` as sentences within ``limit`` words where transformations allow: the first
    transformation whose pieces all stand alone, or, when its sentences still run over the
    limit, the one of the next few that leaves the fewest words over it (``search`` holds how
    many more the sentence may try)."""
    if budget <= 0 or _length(s, piece) <= limit:
        return [piece]
    best: list[Piece] = [piece]
    best_excess = _excess(s, best, limit)
    tried = 0
    for option in candidates(s, piece):
        if any(problems(s, p, min_words) for p in option):
            continue
        result = [q for p in option for q in _shorten(s, p, limit, min_words, budget - 1, search)]
        excess = _excess(s, result, limit)
        if excess < best_excess or tried == 0:
            best, best_excess = result, excess
        tried += 1
        if best_excess == 0 or tried >= ALTERNATIVES or search[0] <= 0:
            break
        search[0] -= 1
    return best


def _excess(s: Sentence, pieces: list[Piece], limit: int) -> int:
    return sum(max(0, _length(s, p) - limit) for p in pieces)


def _length(s: Sentence, piece: Piece) -> int:
    """Words of ``piece`` once written (a subject counted as its longer form)."""
    added = len(piece.link.split()) + len(piece.insert) + bool(piece.copula)
    if piece.subject is not None:
        added += len((piece.subject.phrase or piece.subject.pronoun()).split())
    return len(piece.words(s)) + added


def is_dialogue(sentence: str) -> bool:
    """True for a line of dialogue or a sentence that quotes speech."""
    return bool(_DIALOGUE.search(sentence))
