"""Rewriting engines registered for tests: each fails the way a real engine can."""

from __future__ import annotations

from collections.abc import Sequence

from frenchnovel.config import Settings
from frenchnovel.errors import EngineError
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import CancelCheck, RewriteOutcome, Rewriter


class RefusingEngine:
    """An engine whose provider refuses the work for good (a revoked key, say)."""

    engine = "local"
    model = "local"

    def rewrite(
        self, sentences: Sequence[str], options: JobOptions, *, cancelled: CancelCheck | None = None
    ) -> RewriteOutcome:
        raise EngineError("the provider refused the request: invalid API key")


class CrashingEngine:
    """An engine with a bug: its exception text must never reach the user."""

    engine = "local"
    model = "local"

    def rewrite(
        self, sentences: Sequence[str], options: JobOptions, *, cancelled: CancelCheck | None = None
    ) -> RewriteOutcome:
        raise RuntimeError("secret internals at /srv/frenchnovel/engine.py line 42")


def refusing(options: JobOptions, settings: Settings) -> Rewriter:
    return RefusingEngine()


def crashing(options: JobOptions, settings: Settings) -> Rewriter:
    return CrashingEngine()
