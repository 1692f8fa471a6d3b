"""A test hook: faults that the chunk task injects into itself, read from ``FRENCHNOVEL_FAULTS``.

The end-to-end tests prove retries, failures, cancels and crashes against real worker processes,
so the fault has to come from inside the worker, not from a mock. Unset (always, in production),
this module does nothing. The value is a comma-separated list of:

- ``fail:<index>:<n>``: chunk ``index`` fails its first ``n`` attempts with a transient error;
- ``fail:<index>:*``: chunk ``index`` fails every attempt;
- ``slow:<seconds>``: every chunk waits that long before working, checking for a cancel
  (to give a test time to cancel or kill a worker in the middle of a chunk);
- ``crash-after-store:<index>``: once chunk ``index`` is stored, the whole worker (its process
  group: main process and pool) is killed, before it sends its user's next chunks.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from frenchnovel.errors import Cancelled, TransientEngineError

ENV = "FRENCHNOVEL_FAULTS"
ALWAYS = -1


class InjectedFault(TransientEngineError):
    """The transient failure injected by ``fail:...``."""


@dataclass(frozen=True, slots=True)
class Faults:
    failures: dict[int, int] = field(default_factory=dict)
    slow_seconds: float = 0.0
    crash_after_store: frozenset[int] = frozenset()

    @classmethod
    def parse(cls, text: str) -> Faults:
        failures: dict[int, int] = {}
        slow = 0.0
        crashes: set[int] = set()
        for item in filter(None, (part.strip() for part in text.split(","))):
            kind, _, rest = item.partition(":")
            if kind == "fail":
                index, _, count = rest.partition(":")
                failures[int(index)] = ALWAYS if count == "*" else int(count or "1")
            elif kind == "slow":
                slow = float(rest)
            elif kind == "crash-after-store":
                crashes.add(int(rest))
            else:
                raise ValueError(f"{ENV}: unknown fault {item!r}")
        return cls(failures, slow, frozenset(crashes))

    def before_chunk(self, index: int, attempt: int, cancelled: Callable[[], bool]) -> None:
        """Sleep and fail as configured for attempt ``attempt`` (1-based) of chunk ``index``."""
        deadline = time.monotonic() + self.slow_seconds
        while time.monotonic() < deadline:
            if cancelled():
                raise Cancelled("cancelled while waiting")
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
        count = self.failures.get(index)
        if count is not None and (count == ALWAYS or attempt <= count):
            raise InjectedFault(f"injected failure of chunk {index}, attempt {attempt}")

    def after_store(self, index: int) -> None:
        """Kill the whole worker once chunk ``index`` is stored (a crash, as a power cut)."""
        if index in self.crash_after_store:
            os.killpg(os.getpgid(0), signal.SIGKILL)


def from_environment() -> Faults:
    """The faults configured for this process (none when ``FRENCHNOVEL_FAULTS`` is unset)."""
    return Faults.parse(os.environ.get(ENV, ""))
