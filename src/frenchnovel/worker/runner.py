"""The processes of the async path: ``frenchnovel worker``, ``beat`` and ``flower``."""

from __future__ import annotations

import os

from frenchnovel.config import Settings, get_settings
from frenchnovel.storage.db import ensure_schema
from frenchnovel.worker.celery_app import QUEUES, broker_url, get_celery


def require_broker(settings: Settings) -> str:
    """The broker URL, or a clear error: these processes need a Redis to talk to."""
    return broker_url(settings)


def run_worker(metrics_port: int | None = None) -> None:
    """A Celery worker (prefork, concurrency MAX_WORKERS) on every queue; blocks.

    With a metrics port (``metrics_port``, else ``WORKER_METRICS_PORT``; 0 is off) it serves the
    metrics of all its pool processes there (``observe.exporter``).
    """
    from frenchnovel.observe import celery_hooks, exporter, start_observing

    settings = get_settings()
    url = require_broker(settings)
    port = settings.worker_metrics_port if metrics_port is None else metrics_port
    if port:
        exporter.use_multiprocess_dir()  # before any metric is made
    start_observing("frenchnovel-worker", settings)
    celery_hooks.quiet_celery_received_line()
    ensure_schema(settings)
    if port:
        exporter.serve_worker_metrics(url, settings.worker_metrics_host, port)
    get_celery(settings).worker_main(worker_argv(settings))


def worker_argv(settings: Settings) -> list[str]:
    """The arguments of ``frenchnovel worker`` (and so of the worker ``serve`` starts)."""
    # Celery's banner is not a log line: left out when every line must be JSON.
    quiet = ["--quiet"] if settings.log_format == "json" else []
    return [
        *quiet,
        "worker",
        "--loglevel=INFO",
        f"--concurrency={settings.max_workers}",
        # Every queue, the small-job one first (see ``celery_app.queue_for``).
        f"--queues={','.join(QUEUES)}",
        f"--hostname=worker{os.getpid()}@%h",
    ]


def run_beat() -> None:
    """Celery beat: hourly cleanup and the reaper; its schedule file lives in STORAGE_DIR."""
    settings = get_settings()
    require_broker(settings)
    settings.storage_dir.mkdir(parents=True, exist_ok=True)
    schedule = settings.storage_dir / "celerybeat-schedule"
    get_celery(settings).start(["beat", "--loglevel=INFO", f"--schedule={schedule}"])


def run_flower(port: int = 5555, address: str = "127.0.0.1") -> None:
    """Flower, Celery's monitoring page, on ``address:port``."""
    settings = get_settings()
    require_broker(settings)
    get_celery(settings).start(["flower", f"--port={port}", f"--address={address}"])
