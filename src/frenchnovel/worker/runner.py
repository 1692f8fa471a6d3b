"""The processes of the async path: ``frenchnovel worker``, ``beat`` and ``flower``."""

from __future__ import annotations

import os

from frenchnovel.config import Settings, get_settings
from frenchnovel.storage.db import ensure_schema
from frenchnovel.worker.celery_app import QUEUES, broker_url, get_celery


def require_broker(settings: Settings) -> str:
    """The broker URL, or a clear error: these processes need a Redis to talk to."""
    return broker_url(settings)


def run_worker() -> None:
    """A Celery worker (prefork, concurrency MAX_WORKERS) on every queue; blocks."""
    settings = get_settings()
    require_broker(settings)
    ensure_schema(settings)
    get_celery(settings).worker_main(worker_argv(settings))


def worker_argv(settings: Settings) -> list[str]:
    """The arguments of ``frenchnovel worker`` (and so of the worker ``serve`` starts)."""
    return [
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
