"""One ``rewrite`` call of an LLM engine, as its threads see it: send, check, resend, stop.

Every request waits for its place and its slot in the provider's limits (ratelimit.py) and checks
for cancel just before it leaves; 429, 5xx and network failures are retried within the retry
policy's attempts and time budget, after which the batch is handed back as refused (``local``
rewrites it) rather than failing the job. A sentence whose answer fails the checks (answers.py) is
sent once more, with the reason (« this piece has 12 words »), before it is handed back as refused.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from typing import Any

from frenchnovel.errors import Cancelled
from frenchnovel.pipeline import probes
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import CancelCheck
from frenchnovel.pipeline.rewrite.answers import judge
from frenchnovel.pipeline.rewrite.prompt import INSTRUCTIONS, estimate_request_tokens, user_message
from frenchnovel.pipeline.rewrite.provider import Batch, Provider, Reply, keyed
from frenchnovel.pipeline.rewrite.ratelimit import Limiter, Reservation
from frenchnovel.pipeline.rewrite.retry import RetryableError, RetryPolicy

log = logging.getLogger(__name__)

_CANCEL_POLL_SECONDS = 0.25  # how often a waiting request asks whether its job was cancelled
_BOOKING_HORIZON_SECONDS = 0.25  # how far ahead a request books its slot


class Halted(Exception):
    """Another batch of the same call failed for good: stop without sending."""


class Unavailable(Exception):
    """The provider kept failing one request past the retry policy: its batch goes to ``local``."""


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
        notes: dict[str, str] = {}
        for _ in range(2):
            pairs = keyed(batch)
            try:
                reply = self.send(pairs, notes)
            except Unavailable as exc:
                log.warning("%s; the local engine rewrites %d sentences", exc, len(batch))
                break
            verdict = judge(reply.text, dict(pairs), self.options)
            for key, rewritten in verdict.accepted.items():
                accepted[batch[int(key)][0]] = rewritten
            refused = list(verdict.refused.items())
            batch = [batch[int(key)] for key, _ in refused]
            # The second request tells the model what was wrong, under each sentence's new id.
            notes = {str(k): reason for k, (_, reason) in enumerate(refused)}
            if not batch:
                break
        return accepted, batch

    def send(self, pairs: list[tuple[str, str]], notes: Mapping[str, str] | None = None) -> Reply:
        """One request for the ``(id, text)`` pairs through the limiter, retried when transient.

        ``notes`` are the reasons an earlier answer was refused, by id. Raises ``Unavailable``
        when the provider fails past the policy's attempts or time budget.
        """
        policy = self.policy
        message = user_message(pairs, self.options, notes=notes)
        expected = estimate_request_tokens(pairs, self.options, notes=notes)
        sent = failures = 0  # requests sent; failures the provider did not say when to retry
        first_failure: float | None = None
        while True:
            sent += 1
            try:
                with self.limiter.permit(self.stopped):
                    booking = self.book(expected)
                    reply = self._send_at(booking, message)
            except InterruptedError:
                self.check()
                raise Halted from None
            except RetryableError as exc:
                now = time.monotonic()
                first_failure = now if first_failure is None else first_failure
                if not exc.retry_after:
                    failures += 1
                elif exc.status == 429:
                    # The provider throttles everyone: every worker waits, not only this request.
                    self.limiter.hold(min(exc.retry_after, policy.max_retry_after))
                delay = policy.delay(max(failures - 1, 0), exc.retry_after)
                if policy.gives_up(failures, now - first_failure, delay):
                    raise Unavailable(
                        f"the model provider kept failing for {now - first_failure:.1f} s "
                        f"({sent} attempts): {exc}"
                    ) from None
                self.pause(delay)
                continue
            with self._lock:
                self.tokens += reply.tokens
            return reply

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
            reply = self._request(message)
            spent = reply.tokens
            return reply
        finally:
            # A failed request cost no tokens; the provider still counted it as a request.
            self.limiter.settle(booking, spent)

    def _request(self, message: str) -> Reply:
        engine, model = self.provider.engine, self.provider.model
        try:
            reply = self.provider.send(INSTRUCTIONS, message)
        except RetryableError:
            probes.llm_request(engine, model, "retryable")
            raise
        except Exception:
            probes.llm_request(engine, model, "error")
            raise
        probes.llm_request(engine, model, "ok", reply.tokens)
        return reply

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
