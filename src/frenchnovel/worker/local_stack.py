"""Everything ``frenchnovel serve`` needs besides the API on one machine: the embedded Redis,
one worker and beat, started as child processes, restarted when they exit on their own (a
worker can exit when its broker goes away), and stopped with the server: the worker and beat
together, with ``STOP_SECONDS`` of grace to finish their work, then the embedded Redis they
talk to."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psutil

from frenchnovel.config import Settings, get_settings
from frenchnovel.storage.db import ensure_schema
from frenchnovel.worker.embedded import EmbeddedRedis, die_with_parent, start_embedded_redis

log = logging.getLogger(__name__)

STOP_SECONDS = 15
"""The grace period of the worker and beat: a warm shutdown finishes the chunks in hand."""
RESTART_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)
"""Seconds before restarting a child that exited, growing while it keeps exiting."""
STEADY_SECONDS = 60.0
"""A child that ran this long before exiting is restarted after the first delay again."""


def _spawn(command: str) -> subprocess.Popen[bytes]:
    # ``python -m frenchnovel.cli`` rather than the console script: the same interpreter and
    # environment as this server, whatever PATH says. A process group of its own: a terminal's
    # Ctrl-C reaches the server alone, which stops its children in order (the broker last);
    # ``die_with_parent`` covers a server that is killed.
    return subprocess.Popen(
        [sys.executable, "-m", "frenchnovel.cli", command],
        preexec_fn=die_with_parent,
        process_group=0,
    )


def stop_processes(processes: Iterable[subprocess.Popen[bytes]], grace: float) -> None:
    """SIGTERM every process at once, give them ``grace`` seconds together, then SIGKILL what
    is left, their own children (a worker's pool) included."""
    running = [process for process in processes if process.poll() is None]
    family: list[psutil.Process] = []
    for process in running:
        try:
            family += psutil.Process(process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            pass
        process.terminate()
    deadline = time.monotonic() + grace
    for process in running:
        try:
            process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("process %s did not stop within %.0f s: killed", process.pid, grace)
            process.kill()
            process.wait()
    _, left = psutil.wait_procs(family, timeout=max(0.1, deadline - time.monotonic()))
    for child in left:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(left, timeout=5)


class Supervisor:
    """Keeps ``serve``'s children running: one that exits is started again, after a delay that
    grows while it keeps failing, until ``stop``."""

    def __init__(self, commands: list[str]) -> None:
        self.children = {command: _spawn(command) for command in commands}
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="supervisor", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        failures = dict.fromkeys(self.children, 0)
        started = {command: time.monotonic() for command in self.children}
        while not self._stopping.wait(0.5):
            for command, process in list(self.children.items()):
                if process.poll() is None:
                    continue
                if time.monotonic() - started[command] > STEADY_SECONDS:
                    failures[command] = 0
                delay = RESTART_DELAYS[min(failures[command], len(RESTART_DELAYS) - 1)]
                log.warning(
                    "the %s exited with status %s; starting it again in %.0f s",
                    command,
                    process.returncode,
                    delay,
                )
                if self._stopping.wait(delay):
                    return
                failures[command] += 1
                started[command] = time.monotonic()
                self.children[command] = _spawn(command)

    def stop_watching(self) -> None:
        """Restart nothing from now on (the server is shutting down: its children get its
        signal too, and must not be started again)."""
        self._stopping.set()

    def stop(self) -> None:
        """Stop watching, then stop every child (together, within ``STOP_SECONDS``)."""
        self.stop_watching()
        self._thread.join()
        stop_processes(self.children.values(), STOP_SECONDS)


@dataclass(frozen=True, slots=True)
class LocalStack:
    """The settings to serve with and the supervisor of the worker and beat."""

    settings: Settings
    supervisor: Supervisor


@contextmanager
def local_stack(settings: Settings | None = None) -> Iterator[LocalStack]:
    """Run the embedded Redis (when ``REDIS_URL`` is unset), a worker and beat meanwhile.

    Its settings are the ones to serve with: ``REDIS_URL`` now names the embedded server, in
    this process's environment too, so that the children inherit it.
    """
    settings = settings or get_settings()
    embedded: EmbeddedRedis | None = None
    supervisor: Supervisor | None = None
    try:
        if not settings.redis_url:
            embedded = start_embedded_redis(settings.storage_dir)
            os.environ["REDIS_URL"] = embedded.url
            get_settings.cache_clear()
            settings = get_settings()
        # Migrate before the children start, so that no two processes race to do it.
        ensure_schema(settings)
        supervisor = Supervisor(["worker", "beat"])
        yield LocalStack(settings, supervisor)
    finally:
        if supervisor is not None:
            supervisor.stop()
        if embedded is not None:
            embedded.stop()
            os.environ.pop("REDIS_URL", None)
            get_settings.cache_clear()
