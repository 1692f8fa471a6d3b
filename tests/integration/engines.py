"""Rewriting engines registered for tests: each fails the way a real engine can."""

from __future__ import annotations

import threading
import time
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


class SlowEngine:
    """An engine that takes its time and counts how many of its calls run at once."""

    engine = "local"
    model = "local"

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()

    def rewrite(
        self, sentences: Sequence[str], options: JobOptions, *, cancelled: CancelCheck | None = None
    ) -> RewriteOutcome:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.3)
        with self._lock:
            self.running -= 1
        return RewriteOutcome([[sentence] for sentence in sentences])
