"""Which provider failures are final, which are retried, and after how long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from frenchnovel.errors import EngineError, ErrorCode
from frenchnovel.pipeline.rewrite.retry import (
    RetryableError,
    RetryPolicy,
    failure,
    parse_retry_after,
    retry_delay_from_details,
)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_a_refused_request_is_final_and_fails_the_job_with_engine_error(status: int) -> None:
    error = failure(status, "no", None)
    assert isinstance(error, EngineError)
    assert error.code is ErrorCode.ENGINE_ERROR


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_throttling_and_server_errors_are_retried(status: int) -> None:
    error = failure(status, "later", 3.0)
    assert isinstance(error, RetryableError)
    assert error.retry_after == 3.0


def test_retry_after_is_read_as_seconds_or_as_a_date() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("0.5") == 0.5
    in_ten = format_datetime(datetime.now(UTC) + timedelta(seconds=10), usegmt=True)
    assert 5 < (parse_retry_after(in_ten) or 0) <= 10
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None


def test_geminis_retry_info_is_understood() -> None:
    body = {"error": {"details": [{"@type": "RetryInfo", "retryDelay": "12s"}]}}
    assert retry_delay_from_details(body) == 12.0
    assert retry_delay_from_details({"error": {"message": "x"}}) is None
    assert retry_delay_from_details(None) is None


def test_the_providers_hint_is_honoured_within_a_bound() -> None:
    policy = RetryPolicy(max_retry_after=60.0)
    assert policy.delay(0, 2.5) == 2.5
    assert policy.delay(0, 3600.0) == 60.0


def test_without_a_hint_the_backoff_doubles_up_to_its_ceiling() -> None:
    policy = RetryPolicy(backoff=1.0, max_backoff=8.0)
    assert 0.5 <= policy.delay(0, None) <= 1.0
    assert 2.0 <= policy.delay(2, None) <= 4.0
    assert 4.0 <= policy.delay(10, None) <= 8.0


def test_a_request_gives_up_when_its_attempts_are_spent() -> None:
    policy = RetryPolicy(attempts=3, budget=120.0)
    assert not policy.gives_up(2, failing_for=5.0, delay=1.0)
    assert policy.gives_up(3, failing_for=5.0, delay=1.0)


def test_a_request_gives_up_rather_than_wait_past_its_budget() -> None:
    policy = RetryPolicy(attempts=5, budget=10.0)
    assert not policy.gives_up(0, failing_for=8.0, delay=2.0)
    assert policy.gives_up(0, failing_for=8.0, delay=2.5)
    assert policy.gives_up(0, failing_for=0.0, delay=0.1) is False
    assert RetryPolicy(budget=0.0).gives_up(0, failing_for=0.0, delay=0.1)
