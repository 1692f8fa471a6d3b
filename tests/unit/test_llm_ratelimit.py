"""The schedule of requests: paced, never over a provider's per-minute limits, shared by threads."""

from __future__ import annotations

import itertools
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frenchnovel.pipeline.rewrite.ratelimit import Limits, MemoryLimiter

MINUTE = 60.0  # how the provider counts: any 60-second window


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _schedule(limiter: MemoryLimiter, clock: Clock, costs: list[int]) -> list[tuple[float, int]]:
    """Book every request as soon as the previous one leaves; return (send time, cost)."""
    sent = []
    for cost in costs:
        booking = limiter.reserve(cost)
        clock.now += booking.delay
        sent.append((clock.now, cost))
    return sent


def _worst_minute(sent: list[tuple[float, int]]) -> tuple[int, int]:
    """The most requests and tokens any 60-second window ending at a send holds."""
    worst_requests = worst_tokens = 0
    for end, _ in sent:
        inside = [cost for when, cost in sent if end - MINUTE < when <= end]
        worst_requests = max(worst_requests, len(inside))
        worst_tokens = max(worst_tokens, sum(inside))
    return worst_requests, worst_tokens


def test_requests_are_paced_at_the_rate_instead_of_sent_in_a_burst() -> None:
    clock = Clock()
    limiter = MemoryLimiter(Limits(300, 10**9, 8), clock=clock)
    sent = _schedule(limiter, clock, [1] * 10)
    gaps = [b - a for (a, _), (b, _) in itertools.pairwise(sent)]
    assert all(abs(gap - limiter.limits.window / 300) < 1e-9 for gap in gaps)


def test_a_large_request_delays_the_next_one_by_its_share_of_the_token_budget() -> None:
    clock = Clock()
    limiter = MemoryLimiter(Limits(10**6, 60_000, 8, window=60.0), clock=clock)
    sent = _schedule(limiter, clock, [6_000, 10])
    assert sent[1][0] - sent[0][0] == 6.0  # 6,000 tokens of 60,000 a minute: 6 seconds


@settings(max_examples=60, deadline=None)
@given(
    costs=st.lists(st.integers(1, 5_000), min_size=1, max_size=400),
    rpm=st.integers(1, 400),
    tpm=st.integers(5_000, 200_000),
)
def test_no_minute_ever_holds_more_than_the_limits(costs: list[int], rpm: int, tpm: int) -> None:
    clock = Clock()
    sent = _schedule(MemoryLimiter(Limits(rpm, tpm, 8), clock=clock), clock, costs)
    requests, tokens = _worst_minute(sent)
    assert requests <= rpm
    assert tokens <= tpm


@settings(max_examples=30, deadline=None)
@given(costs=st.lists(st.integers(1, 3_000), min_size=1, max_size=200))
def test_bookings_made_all_at_once_by_many_workers_stay_within_the_limits(costs: list[int]) -> None:
    clock = Clock()
    limiter = MemoryLimiter(Limits(50, 20_000, 8), clock=clock)
    sent = [(booking.delay, cost) for cost in costs if (booking := limiter.reserve(cost))]
    assert [when for when, _ in sent] == sorted(when for when, _ in sent)
    requests, tokens = _worst_minute(sent)
    assert requests <= 50
    assert tokens <= 20_000


def test_a_request_cheaper_than_expected_gives_its_budget_back() -> None:
    clock = Clock()
    limiter = MemoryLimiter(Limits(10**6, 60_000, 8, window=60.0), clock=clock)
    first = limiter.reserve(6_000)
    limiter.settle(first, 600)
    assert limiter.reserve(10).delay == pytest.approx(0.6)


def test_a_request_dearer_than_expected_pushes_the_next_ones_back() -> None:
    clock = Clock()
    limiter = MemoryLimiter(Limits(10**6, 60_000, 8, window=60.0), clock=clock)
    first = limiter.reserve(600)
    limiter.settle(first, 6_000)
    assert limiter.reserve(10).delay == pytest.approx(6.0)


def test_a_request_bigger_than_the_whole_budget_still_goes_alone() -> None:
    clock = Clock()
    limiter = MemoryLimiter(Limits(100, 1_000, 8, window=60.0), clock=clock)
    assert limiter.reserve(5_000).delay == 0.0
    assert limiter.reserve(10).delay == 60.0


def test_no_more_than_the_concurrency_cap_are_in_flight() -> None:
    limiter = MemoryLimiter(Limits(10**6, 10**9, 3))
    inside, most, lock = 0, 0, threading.Lock()
    release = threading.Event()

    def work() -> None:
        nonlocal inside, most
        with limiter.permit(lambda: False):
            with lock:
                inside += 1
                most = max(most, inside)
            release.wait(0.05)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=work) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 3


def test_a_slot_beyond_the_horizon_is_not_booked_and_says_when_to_ask_again() -> None:
    clock = Clock()
    limiter = MemoryLimiter(Limits(6, 10**9, 8, window=60.0), clock=clock)
    limiter.reserve(1)
    early = limiter.reserve(1, horizon=0.5)
    assert not early.booked
    assert early.delay == pytest.approx(9.5)
    clock.now = 9.5
    later = limiter.reserve(1, horizon=0.5)
    assert later.booked
    assert later.delay == pytest.approx(0.5)


def test_a_hold_asked_by_the_provider_delays_every_later_request() -> None:
    clock = Clock()
    limiter = MemoryLimiter(Limits(10**6, 10**9, 8), clock=clock)
    limiter.hold(5.0)
    assert limiter.reserve(10).delay == pytest.approx(5.0)
