"""The engine behind ``gemini`` and ``openai``: batches, a shared schedule, checks and fallbacks.

Only sentences over the limit go to the model, ``batch_size`` per request, up to ``concurrency``
requests in flight. Every request waits for its place and its slot in the provider's limits
(ratelimit.py), and checks for cancel just before it leaves. A sentence whose answer fails the
checks (answers.py) is sent once more, then rewritten by ``local`` and counted as a fallback.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Protocol

from frenchnovel.errors import Cancelled, TransientEngineError
from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import CancelCheck, RewriteOutcome
from frenchnovel.pipeline.rewrite.answers import judge
from frenchnovel.pipeline.rewrite.local import LocalRewriter, is_dialogue
from frenchnovel.pipeline.rewrite.prompt import INSTRUCTIONS, estimate_request_tokens, user_message
from frenchnovel.pipeline.rewrite.ratelimit import Limiter, Reservation
from frenchnovel.pipeline.rewrite.retry import RetryableError, RetryPolicy
from frenchnovel.pipeline.words import count_words

_CANCEL_POLL_SECONDS = 0.25  # how often a waiting request asks whether its job was cancelled
_BOOKING_HORIZON_SECONDS = 0.25  # how far ahead a request books its slot


@dataclass(frozen=True, slots=True)
class Reply:
    """A provider's answer: the raw text and the usage it reported."""

    text: str | None
    tokens: int


class Provider(Protocol):
    engine: str
    model: str

    def send(self, instructions: str, message: str) -> Reply:
        """One request; raises ``RetryableError`` or ``EngineError`` on failure."""
        ...


Batch = list[tuple[int, str]]  # (index of the sentence in the call, its text)


def needs_model(sentence: str, options: JobOptions) -> bool:
    """Whether ``sentence`` is sent to the model: over the limit, and not dialogue left alone."""
    if count_words(sentence) <= options.sentence_length_limit:
        return False
    # Dialogue left alone is kept verbatim, exactly as the local engine keeps it.
    return not (options.ignore_dialogue and is_dialogue(sentence))


def plan_batches(sentences: Sequence[str], options: JobOptions, batch_size: int) -> list[Batch]:
    """The requests a call makes: the sentences to send, ``batch_size`` at a time, in order."""
    todo = [(i, s) for i, s in enumerate(sentences) if needs_model(s, options)]
    return [todo[k : k + batch_size] for k in range(0, len(todo), batch_size)]


def estimate_llm_tokens(sentences: Sequence[str], options: JobOptions, *, batch_size: int) -> int:
    """Tokens a job is expected to use: prompt and answer of each request it will send.

    Sentences within the limit are not sent, so they cost nothing.
    """
    return sum(
        estimate_request_tokens(_keyed(batch), options)
        for batch in plan_batches(sentences, options, batch_size)
    )


def _keyed(batch: Batch) -> list[tuple[str, str]]:
    # Ids are positions in the request: short, and the answer maps back without a lookup table.
    return [(str(k), text) for k, (_, text) in enumerate(batch)]


class LLMRewriter:
    """A ``Rewriter`` that sends batches to ``provider`` within ``limiter``'s schedule."""

    def __init__(
        self,
        provider: Provider,
        limiter: Limiter,
        *,
        batch_size: int,
        concurrency: int,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.provider = provider
        self.limiter = limiter
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.policy = policy or RetryPolicy()
        self.engine = provider.engine
        self.model = provider.model

    def rewrite(
        self,
        sentences: Sequence[str],
        options: JobOptions,
        *,
        cancelled: CancelCheck | None = None,
    ) -> RewriteOutcome:
        """Rewrite every sentence over the limit through the model; the others pass through."""
        pieces = [[s] for s in sentences]
        batches = plan_batches(sentences, options, self.batch_size)
        if not batches:
            return RewriteOutcome(pieces)
        call = _Call(self, options, cancelled)
        with ThreadPoolExecutor(min(self.concurrency, len(batches)), "llm") as pool:
            futures = [pool.submit(call.run, batch) for batch in batches]
            wait(futures)
        call.raise_first_error(futures)
        failed: Batch = []
        for future in futures:
            accepted, refused = future.result()
            for index, rewritten in accepted.items():
                pieces[index] = rewritten
            failed.extend(refused)
        if failed:
            local = LocalRewriter().rewrite([text for _, text in failed], options)
            for (index, _), rewritten in zip(failed, local.pieces, strict=True):
                pieces[index] = rewritten
        return RewriteOutcome(pieces, tokens=call.tokens, fallbacks=len(failed))


class _Halted(Exception):
    """Another batch of the same call failed for good: stop without sending."""


class _Call:
    """The state one ``rewrite`` call shares between its threads."""

    def __init__(self, rewriter: LLMRewriter, options: JobOptions, cancelled: CancelCheck | None):
        self.rewriter = rewriter
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
            keyed = _keyed(batch)
            reply = self.send(keyed)
            verdict = judge(reply.text, dict(keyed), self.options)
            for key, rewritten in verdict.accepted.items():
                accepted[batch[int(key)][0]] = rewritten
            batch = [batch[int(key)] for key in verdict.refused]
            if not batch:
                break
        return accepted, batch

    def send(self, keyed: list[tuple[str, str]]) -> Reply:
        """One request through the limiter, retried on transient failures."""
        rewriter, policy = self.rewriter, self.rewriter.policy
        message = user_message(keyed, self.options)
        expected = estimate_request_tokens(keyed, self.options)
        last: RetryableError | None = None
        for attempt in range(policy.attempts):
            if attempt:
                assert last is not None
                self.pause(policy.delay(attempt - 1, last.retry_after))
            try:
                with rewriter.limiter.permit(self.stopped):
                    booking = self.book(expected)
                    reply = self._send_at(booking, message)
            except InterruptedError:
                self.check()
                raise _Halted from None
            except RetryableError as exc:
                last = exc
                if exc.status == 429 and exc.retry_after:
                    # The provider throttles everyone: every worker waits, not only this request.
                    rewriter.limiter.hold(min(exc.retry_after, policy.max_retry_after))
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
            booking = self.rewriter.limiter.reserve(expected, horizon=_BOOKING_HORIZON_SECONDS)
            if booking.booked:
                return booking
            self.pause(booking.delay)
            self.check()

    def _send_at(self, booking: Reservation, message: str) -> Reply:
        spent = 0
        try:
            self.pause(booking.delay)
            self.check()  # the last moment a cancel can stop this request
            reply = self.rewriter.provider.send(INSTRUCTIONS, message)
            spent = reply.tokens
            return reply
        finally:
            # A failed request cost no tokens; the provider still counted it as a request.
            self.rewriter.limiter.settle(booking, spent)

    def stopped(self) -> bool:
        """Whether this call must not send anything more."""
        return self.halt.is_set() or bool(self.cancelled and self.cancelled())

    def check(self) -> None:
        """Raise when the job was cancelled or another batch failed for good."""
        if self.cancelled and self.cancelled():
            self.halt.set()
            raise Cancelled("the job was cancelled")
        if self.halt.is_set():
            raise _Halted

    def pause(self, seconds: float) -> None:
        """Sleep ``seconds``, waking early when the call is halted or the job cancelled."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self.halt.wait(min(left, _CANCEL_POLL_SECONDS)):
                return
            if left > _CANCEL_POLL_SECONDS and self.cancelled and self.cancelled():
                return

    def raise_first_error(self, futures: Sequence[Future[Any]]) -> None:
        """Re-raise the failure that stopped the call (not the ``_Halted`` it caused)."""
        errors = [e for f in futures if (e := f.exception()) is not None]
        real = [e for e in errors if not isinstance(e, _Halted)]
        if real:
            raise real[0]
        if errors:
            raise Cancelled("the job was cancelled")
