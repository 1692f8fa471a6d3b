"""The Celery configuration derived from the settings, and the worker's small pure helpers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from frenchnovel.config import Settings
from frenchnovel.errors import Cancelled
from frenchnovel.jobs.events import event_for_status, redis_py_url
from frenchnovel.worker.celery_app import broker_url, create_celery_app
from frenchnovel.worker.chunk_flow import backoff
from frenchnovel.worker.faults import ALWAYS, Faults, InjectedFault


def _conf(**values: Any) -> Any:
    settings = Settings(redis_url="redis://127.0.0.1:6379/3", **values)
    return create_celery_app(settings).conf


def test_the_memory_limit_is_given_to_celery_in_kibibytes() -> None:
    conf = _conf(worker_memory_limit_mb=2048)
    assert conf.worker_max_memory_per_child == 2048 * 1024


def test_chunks_are_acknowledged_late_given_back_when_a_worker_dies_and_taken_one_at_a_time() -> (
    None
):
    conf = _conf(max_workers=3)
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.worker_max_tasks_per_child == 50
    assert conf.worker_concurrency == 3


def test_time_limits_follow_the_task_timeout_and_the_broker_waits_out_the_hard_one() -> None:
    conf = _conf(task_timeout_seconds=600)
    soft, hard = conf.task_soft_time_limit, conf.task_time_limit
    assert soft == 600 and hard > soft
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert visibility > hard


def test_beat_cleans_up_every_hour_and_reaps_often_enough_to_notice_a_timeout() -> None:
    schedule = _conf(task_timeout_seconds=600).beat_schedule
    assert schedule["cleanup-old-jobs"]["schedule"] == timedelta(hours=1)
    assert schedule["reap-stuck-jobs"]["schedule"] <= timedelta(seconds=600)


def test_a_worker_without_a_broker_is_refused_with_a_clear_message() -> None:
    with pytest.raises(Exception, match="REDIS_URL"):
        broker_url(Settings(redis_url=None))


def test_a_unix_socket_broker_url_becomes_a_redis_py_url() -> None:
    assert redis_py_url("redis+socket:///tmp/r/redis.sock") == "unix:///tmp/r/redis.sock?db=0"
    assert redis_py_url("redis://127.0.0.1:6379/4") == "redis://127.0.0.1:6379/4"


def test_a_job_status_names_its_event() -> None:
    assert event_for_status("processing") == "progress"
    assert event_for_status("pending") == "progress"
    assert event_for_status("cancelled") == "cancelled"


def test_retries_back_off_exponentially_with_jitter() -> None:
    for attempt, base in [(1, 1.0), (2, 2.0), (3, 4.0)]:
        delays = [backoff(attempt) for _ in range(50)]
        assert all(base <= delay <= 2 * base for delay in delays)
        assert len(set(delays)) > 1


def test_the_fault_hook_reads_failures_and_slowness() -> None:
    faults = Faults.parse("fail:1:2, fail:3:*, slow:0.5")
    assert faults.failures == {1: 2, 3: ALWAYS} and faults.slow_seconds == 0.5
    assert Faults.parse("") == Faults()


def test_an_injected_fault_fails_the_first_attempts_then_lets_the_chunk_through() -> None:
    faults = Faults.parse("fail:1:2")
    for attempt in (1, 2):
        with pytest.raises(InjectedFault):
            faults.before_chunk(1, attempt, lambda: False)
    faults.before_chunk(1, 3, lambda: False)
    faults.before_chunk(0, 1, lambda: False)


def test_a_slow_chunk_stops_waiting_when_its_job_is_cancelled() -> None:
    with pytest.raises(Cancelled):
        Faults.parse("slow:30").before_chunk(0, 1, lambda: True)
