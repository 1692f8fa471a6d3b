"""The offline, deterministic rewriting engine.

Placeholder (cuts at commas, then every N words) until the dependency-parse engine lands; the
interface is final.
"""

from __future__ import annotations

from collections.abc import Sequence

from frenchnovel.billing.pricing import estimate_tokens
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import CancelCheck, RewriteOutcome
from frenchnovel.pipeline.words import count_words


class LocalRewriter:
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
        pieces = [
            [s] if count_words(s) <= limit else _cut(s, limit) for s in sentences
        ]
        return RewriteOutcome(pieces, tokens=estimate_tokens(sum(len(s) for s in sentences)))


def _cut(sentence: str, limit: int) -> list[str]:
    tokens = sentence.split()
    out: list[str] = []
    for i in range(0, len(tokens), limit):
        piece = " ".join(tokens[i : i + limit]).rstrip(",;:")
        piece = piece[:1].upper() + piece[1:]
        out.append(piece if piece[-1:] in ".!?…»" else piece + ".")
    return out
