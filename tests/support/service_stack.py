"""The end-to-end ``Stack`` made sturdier for tests that break things on purpose: its wait for a
new worker survives a broker restarted by an earlier test, and it can keep its workers running
the way a service manager (systemd's ``Restart=always``) would."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import redis

from frenchnovel.worker.celery_app import create_celery_app
from tests.e2e.stack import STARTUP_SECONDS, Process, Stack, wait_for

# 300 pages in chunks of 10: thirty chunks, a job long enough to break things in its middle.
# A short task timeout makes the broker hand a lost message out again, and the reaper act,
# within a test's patience.
FAULT_ENV = {
    "CHUNKING_THRESHOLD_PAGES": "50",
    "CHUNK_SIZE_PAGES": "10",
    "TASK_TIMEOUT_SECONDS": "30",
}


@dataclass
class ServiceStack(Stack):
    """API, workers and beat as processes; ``restarts`` counts the workers started again."""

    worker_overrides: dict[int, dict[str, str]] = field(default_factory=dict)
    restarts: int = 0
    supervising: bool = False
    supervisor_lock: threading.Lock = field(default_factory=threading.Lock)

    def start_worker(self, **overrides: str) -> Process:
        """A worker, once it answers pings (a pooled connection to a restarted broker fails
        once: that is no answer yet, not an error)."""
        process = self._spawn(["worker"], self.env(**overrides), "worker")
        name = f"worker{process.pid}@"

        def answered() -> bool:
            if process.popen.poll() is not None:
                raise AssertionError(f"the worker exited: {process.log.read_text()[-3000:]}")
            try:
                replies = create_celery_app(self.settings).control.ping(timeout=0.5) or []
            except (redis.RedisError, OSError):
                return False
            return any(name in key for reply in replies for key in reply)

        wait_for(answered, timeout=STARTUP_SECONDS, what="the worker", every=0.5)
        self.worker_overrides[process.pid] = overrides
        return process

    def supervise(self) -> None:
        """Start again, as systemd's ``Restart=always`` would, every worker that exits."""
        self.supervising = True

        def watch() -> None:
            while True:
                with self.supervisor_lock:
                    if not self.supervising:
                        return
                    self._restart_exited_workers()
                time.sleep(0.5)

        threading.Thread(target=watch, daemon=True).start()

    def _restart_exited_workers(self) -> None:
        for process in list(self.processes):
            overrides = self.worker_overrides.get(process.pid)
            if overrides is None or process.popen.poll() is None:
                continue
            self.processes.remove(process)
            del self.worker_overrides[process.pid]
            again = self._spawn(["worker"], self.env(**overrides), "worker")
            self.worker_overrides[again.pid] = overrides
            self.restarts += 1

    def stop(self) -> None:
        with self.supervisor_lock:
            self.supervising = False
        super().stop()
