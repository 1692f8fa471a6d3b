"""Requests per minute, tokens per minute and a concurrency cap, per provider and model.

The schedule: each request gets a send time (a "slot") that is
- paced: at least 1/RPM of the window after the previous slot, and the previous request's tokens
  / TPM of the window after it, so work flows at a steady rate instead of a burst that providers
  answer with 429 (they enforce per-minute limits over shorter periods);
- safe: any window of ``window`` seconds ending at a slot holds at most RPM requests and TPM
  tokens, which is exactly how the provider (and the fake servers) count;
- monotonic: slots never go back in time, so checking the window that ends at the new slot is
  enough to keep every later window within the limits too.
The window is a little longer than a minute so that a request that leaves a few milliseconds late
still lands in the right minute at the provider. Callers book only slots that are near (the
horizon): the cost of a request is a guess until its answer reports the real usage, and booking
late lets every guess already corrected move the schedule forward.

``MemoryLimiter`` serves one process (the CLI); ``RedisLimiter`` (ratelimit_redis.py) shares the
same schedule between every worker process through Redis.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Protocol

WINDOW_SECONDS = 60.6  # one minute plus a 1 % guard against late sends


@dataclass(frozen=True, slots=True)
class Limits:
    """The provider's quotas for one model."""

    requests_per_minute: int
    tokens_per_minute: int
    concurrency: int
    window: float = WINDOW_SECONDS


@dataclass(frozen=True, slots=True)
class Reservation:
    """A slot in the schedule: wait ``delay`` seconds, then send.

    When the next free slot is further away than the caller's horizon nothing is booked
    (``booked`` is False) and ``delay`` says when to ask again.
    """

    key: str
    delay: float
    tokens: int
    booked: bool = True


class Limiter(Protocol):
    def permit(self, stop: Callable[[], bool]) -> AbstractContextManager[None]:
        """Hold one of the ``concurrency`` places while a request is in flight."""
        ...

    def reserve(self, tokens: int, horizon: float | None = None) -> Reservation:
        """Book the next slot for a request expected to cost ``tokens``, if within ``horizon``."""
        ...

    def settle(self, reservation: Reservation, tokens: int) -> None:
        """Replace the expected cost of a sent request by what it really cost."""
        ...

    def hold(self, seconds: float) -> None:
        """Let no request leave before ``seconds`` from now (the provider asked to wait)."""
        ...


def next_slot(
    entries: Iterator[tuple[float, int]], start: float, tokens: int, limits: Limits
) -> float:
    """The earliest slot ≥ ``start`` where a request of ``tokens`` fits in the window.

    ``entries`` are the booked ``(slot, tokens)`` of the window ending at ``start``, oldest first.
    """
    booked = list(entries)
    count, used = len(booked), sum(cost for _, cost in booked)
    slot = start
    for when, cost in booked:
        if count + 1 <= limits.requests_per_minute and used + tokens <= limits.tokens_per_minute:
            break
        slot = max(slot, when + limits.window)  # wait until the oldest booking leaves the window
        count, used = count - 1, used - cost
    return slot


class MemoryLimiter:
    """The schedule of one process, shared by its threads."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._places = threading.BoundedSemaphore(limits.concurrency)
        self._log: deque[tuple[float, str]] = deque()
        self._costs: dict[str, int] = {}
        self._ids = itertools.count()
        self._last = self._next_request = self._next_tokens = 0.0

    @contextmanager
    def permit(self, stop: Callable[[], bool]) -> Iterator[None]:
        while not self._places.acquire(timeout=0.05):
            if stop():
                raise InterruptedError("stopped while waiting for a place")
        try:
            yield
        finally:
            self._places.release()

    def reserve(self, tokens: int, horizon: float | None = None) -> Reservation:
        limits = self.limits
        tokens = min(tokens, limits.tokens_per_minute)  # a giant request goes alone
        with self._lock:
            now = self._clock()
            while self._log and self._log[0][0] <= now - limits.window:
                _, key = self._log.popleft()
                self._costs.pop(key, None)
            start = max(now, self._last, self._next_request, self._next_tokens)
            window = (
                (when, self._costs[key]) for when, key in self._log if when > start - limits.window
            )
            slot = next_slot(window, start, tokens, limits)
            if horizon is not None and slot - now > horizon:
                return Reservation("", slot - now - horizon, tokens, booked=False)
            key = str(next(self._ids))
            self._log.append((slot, key))
            self._costs[key] = tokens
            self._last = slot
            self._next_request = slot + limits.window / limits.requests_per_minute
            self._next_tokens = slot + tokens * limits.window / limits.tokens_per_minute
            return Reservation(key, max(0.0, slot - now), tokens)

    def settle(self, reservation: Reservation, tokens: int) -> None:
        limits = self.limits
        with self._lock:
            if reservation.key in self._costs:
                self._costs[reservation.key] = tokens
            shift = (tokens - reservation.tokens) * limits.window / limits.tokens_per_minute
            self._next_tokens = max(self._next_tokens + shift, self._last)

    def hold(self, seconds: float) -> None:
        with self._lock:
            self._last = max(self._last, self._clock() + seconds)
