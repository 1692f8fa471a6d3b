"""The metrics of a worker host: each ``frenchnovel worker`` serves them on ``WORKER_METRICS_PORT``.

Why a port per worker rather than one exporter of Celery's events: what an operator needs (pages,
words, LLM tokens, credits, OCR pages) is known only inside a task, and Celery's events carry
task states alone, through a lossy broadcast. A scrape target per worker is what Prometheus
expects, and a worker that dies takes only its own target with it (``up`` says so).

How: before any metric exists, the worker's main process points ``PROMETHEUS_MULTIPROC_DIR`` at
a fresh directory of its own. Every prefork pool process then keeps its counters and histograms
in memory-mapped files there, and the main process's HTTP server adds them up at each scrape
(prometheus_client's ``MultiProcessCollector``), those of pool processes already recycled
(``worker_max_tasks_per_child``) included: counters never go back. What is true *now* is read at
scrape time instead: the depth of each queue this worker consumes (``LLEN`` on the broker,
priority sub-queues included), this worker's pool processes, and how many are busy. The
directory is removed when the worker exits. ``WORKER_METRICS_PORT=0`` (the default) turns it all
off: no directory, no server, no thread.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

METRICS_MODULE = "frenchnovel.observe.metrics"
LIVE_METRICS = (
    "frenchnovel_queue_depth",
    "frenchnovel_worker_pool_processes",
    "frenchnovel_worker_busy_processes",
)
PRIORITY_STEPS = (3, 6, 9)  # kombu's Redis transport keeps priorities 3, 6, 9 in lists of their own
PRIORITY_SEPARATOR = "\x06\x16"


def use_multiprocess_dir() -> Path:
    """A fresh ``PROMETHEUS_MULTIPROC_DIR`` for this worker and the pool processes it forks.

    Must run before ``observe.metrics`` is imported: a metric keeps the storage it was made with.
    """
    if METRICS_MODULE in sys.modules:
        raise RuntimeError(f"{METRICS_MODULE} was imported before its multiprocess directory")
    directory = Path(tempfile.mkdtemp(prefix="frenchnovel-metrics-"))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    from prometheus_client import values

    values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:  # a forked pool process runs the handlers it inherited
            shutil.rmtree(directory, ignore_errors=True)

    atexit.register(remove)
    return directory


class LiveCollector:
    """Gauges read at scrape time in the worker's main process."""

    def __init__(self, redis_url: str, queues: Iterable[str] | None = None) -> None:
        self.redis_url = redis_url
        self.queues = list(queues) if queues is not None else None

    def describe(self) -> list[Any]:
        return []  # registered without a first collect (that would ask Redis at start-up)

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        depth = GaugeMetricFamily(
            LIVE_METRICS[0], "Messages waiting in a Celery queue (Redis LLEN)", labels=["queue"]
        )
        for queue, length in self._depths():
            depth.add_metric([queue], length)
        yield depth
        pool, busy = _pool()
        yield GaugeMetricFamily(LIVE_METRICS[1], "Pool processes of this worker", value=pool)
        yield GaugeMetricFamily(LIVE_METRICS[2], "Pool processes running a task", value=busy)

    def _queues(self) -> list[str]:
        if self.queues is not None:
            return self.queues
        from frenchnovel.worker.celery_app import QUEUES, get_celery

        return sorted({*QUEUES, *get_celery().amqp.queues.keys()})

    def _depths(self) -> list[tuple[str, int]]:
        import redis

        client = redis.Redis.from_url(self.redis_url, socket_timeout=2, socket_connect_timeout=2)
        try:
            with client.pipeline(transaction=False) as pipe:
                queues = self._queues()
                for queue in queues:
                    pipe.llen(queue)
                    for step in PRIORITY_STEPS:
                        pipe.llen(f"{queue}{PRIORITY_SEPARATOR}{step}")
                lengths = pipe.execute()
        except redis.RedisError:
            return []  # no sample rather than a wrong one; the worker logs its broker trouble
        finally:
            client.close()
        per_queue = len(PRIORITY_STEPS) + 1
        return [
            (queue, sum(lengths[i * per_queue : (i + 1) * per_queue]))
            for i, queue in enumerate(queues)
        ]


def _pool() -> tuple[int, int]:
    import psutil
    from celery.worker import state

    try:
        pool = len(psutil.Process().children())
    except psutil.Error:
        pool = 0
    return pool, len(state.active_requests)


def serve_worker_metrics(redis_url: str, host: str, port: int) -> Any:
    """Serve this worker's metrics (its pool processes' and the live ones) on ``host:port``."""
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    registry.register(LiveCollector(redis_url))
    server, _ = start_http_server(port, addr=host, registry=registry)
    return server
