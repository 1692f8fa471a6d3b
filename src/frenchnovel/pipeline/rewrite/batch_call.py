"""One ``rewrite`` call of an LLM engine, as its threads see it: send, check, resend, stop.

Every request waits for its place and its slot in the provider's limits (ratelimit.py) and checks
for cancel just before it leaves; 429 and 5xx are retried with backoff, and a sentence whose
answer fails the checks (answers.py) is sent once more before it is handed back as refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from frenchnovel.errors import Cancelled, TransientEngineError
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import CancelCheck
from frenchnovel.pipeline.rewrite.answers import judge
from frenchnovel.pipeline.rewrite.prompt import INSTRUCTIONS, estimate_request_tokens, user_message
from frenchnovel.pipeline.rewrite.provider import Batch, Provider, Reply, keyed
from frenchnovel.pipeline.rewrite.ratelimit import Limiter, Reservation
from frenchnovel.pipeline.rewrite.retry import RetryableError, RetryPolicy

_CANCEL_POLL_SECONDS = 0.25  # how often a waiting request asks whether its job was cancelled
_BOOKING_HORIZON_SECONDS = 0.25  # how far ahead a request books its slot


class Halted(Exception):
    """Another batch of the same call failed for good: stop without sending."""


class BatchCall:
    """The state one ``rewrite`` call shares between its threads."""

    def __init__(
        self,
        provider: Provider,
        limiter: Limiter,
        policy: RetryPolicy,
        options: JobOptions,
        cancelled: CancelCheck | None,
    ) -> None:
        self.provider, self.limiter, self.policy = provider, limiter, policy
        self.options = options
        self.cancelled = cancelled
        self.halt = threading.Event()
        self.tokens = 0
        self._lock = threading.Lock()

    def run(self, batch: Batch) -> tuple[dict[int, list[str]], Batch]:
        """Send ``batch``, resend what came back wrong once; return accepted and refused."""
        try:
            return self._run(batch)
        except BaseException:
            self.halt.set()  # the other batches stop before their next request
            raise

    def _run(self, batch: Batch) -> tuple[dict[int, list[str]], Batch]:
        accepted: dict[int, list[str]] = {}
        for _ in range(2):
            pairs = keyed(batch)
            reply = self.send(pairs)
            verdict = judge(reply.text, dict(pairs), self.options)
            for key, rewritten in verdict.accepted.items():
                accepted[batch[int(key)][0]] = rewritten
            batch = [batch[int(key)] for key in verdict.refused]
            if not batch:
                break
        return accepted, batch

    def send(self, pairs: list[tuple[str, str]]) -> Reply:
        """One request for the ``(id, text)`` pairs through the limiter, retried when transient."""
        policy = self.policy
        message = user_message(pairs, self.options)
        expected = estimate_request_tokens(pairs, self.options)
        last: RetryableError | None = None
        for attempt in range(policy.attempts):
            if attempt:
                assert last is not None
                self.pause(policy.delay(attempt - 1, last.retry_after))
            try:
                with self.limiter.permit(self.stopped):
                    booking = self.book(expected)
                    reply = self._send_at(booking, message)
            except InterruptedError:
                self.check()
                raise Halted from None
            except RetryableError as exc:
                last = exc
                if exc.status == 429 and exc.retry_after:
                    # The provider throttles everyone: every worker waits, not only this request.
                    self.limiter.hold(min(exc.retry_after, policy.max_retry_after))
                continue
            with self._lock:
                self.tokens += reply.tokens
            return reply
        raise TransientEngineError(
            f"the model provider kept failing after {policy.attempts} attempts: {last}"
        )

    def book(self, expected: int) -> Reservation:
        """A slot in the provider's limits, booked only once it is near (see ratelimit.py)."""
        while True:
            booking = self.limiter.reserve(expected, horizon=_BOOKING_HORIZON_SECONDS)
            if booking.booked:
                return booking
            self.pause(booking.delay)
            self.check()

    def _send_at(self, booking: Reservation, message: str) -> Reply:
        spent = 0
        try:
            self.pause(booking.delay)
            self.check()  # the last moment a cancel can stop this request
            reply = self.provider.send(INSTRUCTIONS, message)
            spent = reply.tokens
            return reply
        finally:
            # A failed request cost no tokens; the provider still counted it as a request.
            self.limiter.settle(booking, spent)

    def stopped(self) -> bool:
        """Whether this call must not send anything more."""
        return self.halt.is_set() or bool(self.cancelled and self.cancelled())

    def check(self) -> None:
        """Raise when the job was cancelled or another batch failed for good."""
        if self.cancelled and self.cancelled():
            self.halt.set()
            raise Cancelled("the job was cancelled")
        if self.halt.is_set():
            raise Halted

    def pause(self, seconds: float) -> None:
        """Sleep ``seconds``, waking early when the call is halted or the job cancelled."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self.halt.wait(min(left, _CANCEL_POLL_SECONDS)):
                return
            if left > _CANCEL_POLL_SECONDS and self.cancelled and self.cancelled():
                return

    def raise_first_error(self, futures: Sequence[Future[Any]]) -> None:
        """Re-raise the failure that stopped the call (not the ``Halted`` it caused)."""
        errors = [e for f in futures if (e := f.exception()) is not None]
        real = [e for e in errors if not isinstance(e, Halted)]
        if real:
            raise real[0]
        if errors:
            raise Cancelled("the job was cancelled")
