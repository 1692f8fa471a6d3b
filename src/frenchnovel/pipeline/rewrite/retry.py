"""How the LLM engines treat a provider's failures: which are final, which are retried, and when.

400/401/403 (and other 4xx) mean the request or the key is wrong: retrying cannot help, the job
fails with ENGINE_ERROR. 408, 429, 5xx and network trouble may pass: retried with exponential
backoff, honouring the provider's ``Retry-After`` within a bound, for as long as the policy's time
budget lasts; a batch whose provider outlasts it is rewritten by ``local`` instead (batch_call.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from frenchnovel.errors import EngineError

RETRYABLE_STATUSES = frozenset({408, 409, 429})


class RetryableError(Exception):
    """A failure that a later attempt may cure, with the provider's hint of when to try again."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Attempts per request, the backoff between them, and how long a request may keep trying.

    A failure the provider dates (``Retry-After``) does not use up an attempt: the provider said
    when to come back, so the request comes back then, as long as ``budget`` allows.
    """

    attempts: int = 5
    backoff: float = 1.0  # first wait; doubles at each attempt
    max_backoff: float = 30.0
    max_retry_after: float = 60.0  # a provider asking for longer is treated as this
    budget: float = 120.0  # seconds from a request's first failure to giving it up

    def gives_up(self, failures: int, failing_for: float, delay: float) -> bool:
        """Whether to stop after ``failures`` undated failures, ``failing_for`` seconds in,
        rather than wait ``delay`` more seconds for another attempt."""
        return failures >= self.attempts or failing_for + delay > self.budget

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (0-based)."""
        if retry_after is not None:
            return float(min(max(retry_after, 0.0), self.max_retry_after))
        # Full jitter keeps workers that failed together from retrying together.
        return random.uniform(0.5, 1.0) * min(self.max_backoff, self.backoff * 2.0**attempt)


def failure(status: int, message: str, retry_after: float | None) -> Exception:
    """The exception for an HTTP error ``status`` from the provider."""
    if status in RETRYABLE_STATUSES or status >= 500:
        return RetryableError(f"HTTP {status}: {message}", status=status, retry_after=retry_after)
    return EngineError(f"the model provider refused the request (HTTP {status}): {message}")


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds: either a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def retry_delay_from_details(details: Any) -> float | None:
    """Gemini's ``google.rpc.RetryInfo`` hint (``"retryDelay": "12s"``) in an error body."""
    error = details.get("error", details) if isinstance(details, dict) else None
    for item in (error or {}).get("details", []) if isinstance(error, dict) else []:
        delay = item.get("retryDelay") if isinstance(item, dict) else None
        if isinstance(delay, str) and delay.endswith("s"):
            try:
                return float(delay[:-1])
            except ValueError:
                return None
    return None
