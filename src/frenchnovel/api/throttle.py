"""Per-user limits on estimates: an hourly rate and a cap on estimates checked at once.

An estimate stores nothing, so unlike a submission it leaves no row to count: the counts live
in this API process (a sliding hour of timestamps per user). With several API processes each
allows ``RATE_LIMIT_ESTIMATES``; the point is that one account cannot queue the PDF checks of
this process for everyone else, which is a per-process matter too.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager

from frenchnovel.jobs.limits import RateLimited

WINDOW_SECONDS = 3600.0
BUSY_RETRY_SECONDS = 5


class EstimateThrottle:
    """``RATE_LIMIT_ESTIMATES`` an hour per user, ``at_once`` of them at the same time."""

    def __init__(self, per_hour: int, at_once: int) -> None:
        self.per_hour = per_hour
        self.at_once = at_once
        self._lock = threading.Lock()
        self._recent: defaultdict[int, deque[float]] = defaultdict(deque)
        self._running: defaultdict[int, int] = defaultdict(int)

    @contextmanager
    def admitted(self, user_id: int) -> Iterator[None]:
        """Count one estimate of ``user_id`` for the hour and hold one of its places while it
        runs; raise ``RateLimited`` (429, ``Retry-After``) when either limit is reached."""
        now = time.monotonic()
        with self._lock:
            recent = self._recent[user_id]
            while recent and recent[0] <= now - WINDOW_SECONDS:
                recent.popleft()
            if len(recent) >= self.per_hour:
                retry_after = max(1, math.ceil(recent[0] + WINDOW_SECONDS - now))
                raise RateLimited(
                    f"at most {self.per_hour} estimates an hour; try again in {retry_after} s",
                    retry_after=retry_after,
                )
            if self._running[user_id] >= self.at_once:
                raise RateLimited(
                    f"at most {self.at_once} estimates at once; wait for one to answer",
                    retry_after=BUSY_RETRY_SECONDS,
                )
            recent.append(now)
            self._running[user_id] += 1
        try:
            yield
        finally:
            with self._lock:
                self._running[user_id] -= 1
                if not self._running[user_id]:
                    del self._running[user_id]
