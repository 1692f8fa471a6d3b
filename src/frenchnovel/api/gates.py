"""Where expensive requests wait: a bounded line that holds no thread of the server's pool.

The server runs blocking work in one pool of threads (anyio's, 40 by default), and so do the
cheap routes: ``/health``, the token check of every route, the polls. A PDF check waits for
PDFium, which serves one thread at a time, and a small job waits for a processing slot; waiting
inside that pool, 40 of them took every thread and the cheap routes stalled for a minute.

A ``Gate`` runs its work in threads of its own (its own ``CapacityLimiter``), and those waiting
for a turn wait as coroutines: they hold no thread at all. At most ``waiting`` of them wait;
the next one is refused at once with ``SERVER_BUSY`` (429, ``Retry-After``).
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from weakref import WeakKeyDictionary

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request

from frenchnovel.config import Settings
from frenchnovel.errors import ErrorCode, FrenchNovelError

T = TypeVar("T")
CHECK_SLOTS = 2  # PDFium serves one thread at a time: a second one only keeps it busy
RETRY_AFTER_SECONDS = 10
# The gates' threads compute (a check, a small job's rewriting) while the event loop answers:
# asked for the interpreter lock, they hand it over after this long rather than Python's 5 ms.
# Under the load of issue 12 on two busy cores, /health's slowest answer went from 0.7-2.0 s to
# 0.4-0.7 s (bench/load.py, four runs each).
SWITCH_INTERVAL = 0.001


class ServerBusy(FrenchNovelError):
    """Every slot of a gate is taken and its waiting line is full."""

    code = ErrorCode.SERVER_BUSY

    def __init__(self, message: str, *, retry_after: int = RETRY_AFTER_SECONDS) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Gate:
    """At most ``slots`` calls run at once, in threads of the gate's own; at most ``waiting``
    more wait for a turn without a thread; beyond that, ``ServerBusy``.

    The count is kept per event loop: Uvicorn runs one, so it is the server's. (A test client
    that sends requests from several threads runs a loop for each; a limiter cannot be shared
    between loops.)
    """

    what: str
    slots: int
    waiting: int
    _limiters: WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = field(
        default_factory=WeakKeyDictionary, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _tokens(self) -> anyio.CapacityLimiter:
        loop = asyncio.get_running_loop()
        with self._lock:
            limiter = self._limiters.get(loop)
            if limiter is None:
                limiter = self._limiters[loop] = anyio.CapacityLimiter(self.slots)
            return limiter

    def ensure_room(self) -> None:
        """Raise ``ServerBusy`` now when a new call would find the line full."""
        limiter = self._tokens()
        if limiter.available_tokens < 1 and limiter.statistics().tasks_waiting >= self.waiting:
            raise ServerBusy(
                f"the server is busy: {self.slots} {self.what} running and {self.waiting} "
                f"waiting; try again in {RETRY_AFTER_SECONDS} s"
            )

    async def run(self, func: Callable[..., T], *args: object) -> T:
        """``func(*args)`` in a thread of this gate, once a slot is free (or ``ServerBusy``)."""
        self.ensure_room()
        return await anyio.to_thread.run_sync(func, *args, limiter=self._tokens())


@dataclass(frozen=True, slots=True)
class Gates:
    """The gates of one application: PDF checks (estimates and uploads) and small jobs."""

    checks: Gate
    processing: Gate


def install_gates(app: FastAPI, settings: Settings) -> None:
    """The application's gates; and the interpreter's switch interval, for the event loop."""
    from frenchnovel.jobs.sync import SLOT_COUNT

    sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
    app.state.gates = Gates(
        checks=Gate("PDF checks", CHECK_SLOTS, settings.max_waiting_requests),
        processing=Gate("small jobs", SLOT_COUNT, settings.max_waiting_requests),
    )


def gates_of(request: Request) -> Gates:
    gates: Gates = request.app.state.gates
    return gates
