"""A rewriter that changes nothing: isolates extraction and chunking from the engines."""

from __future__ import annotations

from collections.abc import Sequence

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import CancelCheck, RewriteOutcome


class IdentityRewriter:
    """Every sentence passes through unchanged; picklable, so it can go to a process pool."""

    engine = "identity"
    model = "identity"

    def rewrite(
        self,
        sentences: Sequence[str],
        options: JobOptions,
        *,
        cancelled: CancelCheck | None = None,
    ) -> RewriteOutcome:
        return RewriteOutcome([[sentence] for sentence in sentences])
