"""The Celery application, configured from ``Settings`` (broker and result backend: ``REDIS_URL``).

``celery -A frenchnovel.worker.celery_app worker`` finds ``app`` here; the package's own code uses
``get_celery(settings)``, which builds one app per broker URL (the API of a test may talk to a
broker other than the one of the process environment).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from celery import Celery
from celery.signals import worker_init, worker_process_init

from frenchnovel.config import Settings, get_settings
from frenchnovel.errors import SettingsError
from frenchnovel.observe import celery_hooks  # noqa: F401  (log ids, trace context, log setup)

QUEUE = "frenchnovel"
SMALL_QUEUE = "frenchnovel.small"
QUEUES = (SMALL_QUEUE, QUEUE)
"""Every queue a worker consumes, in the order it serves them (``queue_order_strategy``)."""
SWEEP_SECONDS = 10.0
"""How often beat sends the held chunks that nobody else sent (``dispatch.send_all_waiting``)."""
# Where a configuration without REDIS_URL points, so that importing this module never fails;
# ``frenchnovel worker`` refuses to start on it (see ``runner.require_broker``).
UNCONFIGURED_BROKER = "redis://127.0.0.1:6379/0"

_apps: dict[str, Celery] = {}
_apps_lock = threading.Lock()


def broker_url(settings: Settings) -> str:
    """The broker URL of ``settings``; raises ``SettingsError`` when there is none."""
    if not settings.redis_url:
        raise SettingsError(
            "REDIS_URL is not set: point it at a Redis server "
            "(`frenchnovel serve` starts an embedded one when it is unset)"
        )
    return settings.redis_url


def time_limits(settings: Settings) -> tuple[int, int]:
    """(soft, hard) limits of one chunk task: the soft one lets the task fail the job cleanly
    with TASK_TIMEOUT; the hard one, a little later, kills a task that ignored it."""
    soft = settings.task_timeout_seconds
    return soft, soft + max(5, min(60, soft // 10))


def transport_options(settings: Settings) -> dict[str, Any]:
    """Redis transport options: a message whose worker died becomes visible again once the
    longest possible task is over (the hard limit), so a live task is not delivered twice."""
    _, hard = time_limits(settings)
    return {
        "visibility_timeout": hard + 10,
        "unacked_restore_interval": 5,
        "unacked_restore_throttle": 1,
        # Poll the queues in the order a worker lists them (QUEUES), small jobs first.
        "queue_order_strategy": "priority",
    }


def queue_for(page_count: int, settings: Settings) -> str:
    """The queue of a chunk: its job's size class.

    One queue per size class rather than Celery priorities, which Redis only emulates with
    hidden extra lists: two named queues show up as they are in ``celery inspect
    active_queues``, Flower and a plain ``LLEN``, and an operator can give the small one workers
    of its own (``celery ... worker -Q frenchnovel.small``). Workers list the small queue first
    and poll in that order (``queue_order_strategy: priority``), so a free worker takes a small
    job's chunk before a big one's; a flood of small jobs cannot starve the big ones for long,
    as submissions per user are rate-limited and each user's chunks in flight are capped.
    """
    return SMALL_QUEUE if page_count <= settings.small_job_max_pages else QUEUE


def reaper_interval(settings: Settings) -> float:
    """How often beat looks for stuck jobs: often enough to notice one within a timeout."""
    return float(max(5, min(300, settings.task_timeout_seconds // 2)))


def create_celery_app(settings: Settings) -> Celery:
    """A Celery app for ``settings`` (tasks from ``frenchnovel.worker.tasks``)."""
    url = settings.redis_url or UNCONFIGURED_BROKER
    tasks = ["frenchnovel.worker.tasks", "frenchnovel.worker.deck_tasks"]
    app = Celery("frenchnovel", broker=url, backend=url, include=tasks)
    soft, hard = time_limits(settings)
    options = transport_options(settings)
    app.conf.update(
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        # A chunk is acknowledged only once done; a worker that dies mid-chunk gives it back.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_concurrency=settings.max_workers,
        worker_max_tasks_per_child=50,
        # Celery counts this limit in KiB.
        worker_max_memory_per_child=settings.worker_memory_limit_mb * 1024,
        task_soft_time_limit=soft,
        task_time_limit=hard,
        broker_transport_options=options,
        result_backend_transport_options=options,
        broker_connection_retry_on_startup=True,
        worker_send_task_events=True,
        task_send_sent_event=True,
        worker_hijack_root_logger=False,
        beat_schedule={
            "cleanup-old-jobs": {
                "task": "frenchnovel.cleanup_old_jobs",
                "schedule": timedelta(hours=1),
            },
            "reap-stuck-jobs": {
                "task": "frenchnovel.reap_stuck_jobs",
                "schedule": timedelta(seconds=reaper_interval(settings)),
            },
            "send-waiting-chunks": {  # issue 15: held chunks that no finished chunk sent
                "task": "frenchnovel.send_waiting_chunks",
                "schedule": timedelta(seconds=SWEEP_SECONDS),
                # Sweeps that waited for busy workers are dropped: the next one does their work.
                "options": {"expires": SWEEP_SECONDS},
            },
            "decks-maintenance": {  # issue 13: stuck decks fail, old decks lose their file
                "task": "frenchnovel.decks_maintenance",
                "schedule": timedelta(seconds=reaper_interval(settings)),
            },
        },
        timezone="UTC",
    )
    return app


def get_celery(settings: Settings | None = None) -> Celery:
    """The app for ``settings`` (default: the process settings), one per broker URL."""
    settings = settings or get_settings()
    key = settings.redis_url or UNCONFIGURED_BROKER
    with _apps_lock:
        if key not in _apps:
            _apps[key] = app if key == _app_key else create_celery_app(settings)
        return _apps[key]


def _preload_models(**_: Any) -> None:
    # Load spaCy once in the parent worker so that forked children share its memory
    # instead of each paying the load time on its first chunk.
    from frenchnovel.jobs.maintenance import remove_old_scratch
    from frenchnovel.pipeline.nlp import get_nlp
    from frenchnovel.storage.blobs import blob_store

    get_nlp()
    store = blob_store(get_settings())
    store.prepare()  # boto3's S3 model too, when STORAGE_URL is set
    # a worker of this machine killed while reading left its scratch copy: swept at start too,
    # since this machine may never run the hourly cleanup
    remove_old_scratch(store.scratch_dir, datetime.now(UTC))


def _fresh_connections(**_: Any) -> None:
    # Database and Redis connections must never cross a fork.
    from frenchnovel.jobs.events import forget_clients
    from frenchnovel.storage.db import dispose_engines

    dispose_engines()
    forget_clients()


worker_init.connect(_preload_models)
worker_process_init.connect(_fresh_connections)


_settings = get_settings()
_app_key = _settings.redis_url or UNCONFIGURED_BROKER
app = create_celery_app(_settings)
