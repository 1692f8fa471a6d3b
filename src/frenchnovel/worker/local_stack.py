"""Everything ``frenchnovel serve`` needs besides the API on one machine: the embedded Redis,
one worker and beat, started as child processes and stopped with the server."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from frenchnovel.config import Settings, get_settings
from frenchnovel.storage.db import ensure_schema
from frenchnovel.worker.embedded import EmbeddedRedis, die_with_parent, start_embedded_redis

log = logging.getLogger(__name__)

STOP_SECONDS = 15


def _spawn(command: str) -> subprocess.Popen[bytes]:
    # ``python -m frenchnovel.cli`` rather than the console script: the same interpreter and
    # environment as this server, whatever PATH says. Same process group as the server, so
    # that a signal to the group reaches them too.
    return subprocess.Popen(
        [sys.executable, "-m", "frenchnovel.cli", command], preexec_fn=die_with_parent
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # a worker's warm shutdown also stops its pool
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def local_stack(settings: Settings | None = None) -> Iterator[Settings]:
    """Run the embedded Redis (when ``REDIS_URL`` is unset), a worker and beat meanwhile.

    Yields the settings to serve with: ``REDIS_URL`` now names the embedded server, in this
    process's environment too, so that the children inherit it.
    """
    settings = settings or get_settings()
    embedded: EmbeddedRedis | None = None
    children: list[subprocess.Popen[bytes]] = []
    try:
        if not settings.redis_url:
            embedded = start_embedded_redis(settings.storage_dir)
            os.environ["REDIS_URL"] = embedded.url
            get_settings.cache_clear()
            settings = get_settings()
        # Migrate before the children start, so that no two processes race to do it.
        ensure_schema(settings)
        children = [_spawn("worker"), _spawn("beat")]
        yield settings
    finally:
        for child in children:
            _stop(child)
        if embedded is not None:
            embedded.stop()
            os.environ.pop("REDIS_URL", None)
            get_settings.cache_clear()
