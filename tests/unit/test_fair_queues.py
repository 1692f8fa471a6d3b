"""The queues of the size classes: which one a chunk goes to, and that every worker consumes
both, the small-job queue first, polled in that order."""

from __future__ import annotations

from frenchnovel.config import Settings
from frenchnovel.worker.celery_app import QUEUE, SMALL_QUEUE, create_celery_app, queue_for
from frenchnovel.worker.faults import Faults
from frenchnovel.worker.runner import worker_argv


def test_a_job_up_to_the_small_job_size_goes_to_the_small_queue_and_a_bigger_one_does_not() -> None:
    settings = Settings(small_job_max_pages=200)
    assert queue_for(20, settings) == SMALL_QUEUE
    assert queue_for(200, settings) == SMALL_QUEUE
    assert queue_for(201, settings) == QUEUE


def test_a_worker_consumes_the_small_queue_first_then_the_others() -> None:
    argv = worker_argv(Settings(max_workers=3))
    assert f"--queues={SMALL_QUEUE},{QUEUE}" in argv
    assert "--concurrency=3" in argv


def test_the_broker_is_polled_in_the_order_the_worker_lists_its_queues() -> None:
    conf = create_celery_app(Settings(redis_url="redis://127.0.0.1:6379/3")).conf
    assert conf.broker_transport_options["queue_order_strategy"] == "priority"


def test_the_default_cap_keeps_two_worker_processes_busy_for_one_reader() -> None:
    assert Settings().max_chunks_in_flight_per_user == 2


def test_the_crash_fault_names_the_chunks_after_which_the_worker_dies() -> None:
    faults = Faults.parse("slow:1,crash-after-store:0,crash-after-store:2")
    assert faults.crash_after_store == {0, 2}
    faults.after_store(1)  # not one of them: nothing happens
