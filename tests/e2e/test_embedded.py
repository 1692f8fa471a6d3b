"""``frenchnovel serve`` with nothing configured: SQLite, the embedded Redis, a worker and beat."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from frenchnovel.storage.db import dispose_engines
from tests.e2e.conftest import SMALL_CHUNKS
from tests.e2e.stack import Stack, read_events, wait_for


@pytest.fixture
def bare_service(tmp_path: Path, pythonpath: str) -> Iterator[Stack]:
    """``frenchnovel serve`` without REDIS_URL or DATABASE_URL: everything of its own."""
    (tmp_path / "storage").mkdir()
    (tmp_path / "logs").mkdir()
    storage, logs = tmp_path / "storage", tmp_path / "logs"
    stack = Stack("embedded", "", "", storage, logs, SMALL_CHUNKS, pythonpath)
    stack.start_api()
    yield stack
    stack.stop()
    dispose_engines()


def test_serve_alone_runs_a_large_novel_through_its_own_redis_worker_and_beat(
    bare_service: Stack, novels: dict[str, Path], reference: Any
) -> None:
    owner = bare_service.reader()
    assert bare_service.api is not None
    server = psutil.Process(bare_service.api.pid)
    children = server.children(recursive=True)
    names = " ".join(" ".join(child.cmdline()) for child in children)
    assert "redis-server" in names and "cli worker" in names and "cli beat" in names
    # A worker that dies (a broker gone away can end one) is started again by the server.
    worker = next(c for c in server.children() if "cli worker" in " ".join(c.cmdline()))
    worker.kill()
    replacement = wait_for(
        lambda: _worker_other_than(server, worker.pid), timeout=60, what="a new worker"
    )
    children = server.children(recursive=True)

    accepted = bare_service.submit(owner, novels["short"])

    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["job_id"]
    # Progress pushed through the embedded Redis's unix socket.
    stream = f"{bare_service.api_url}/api/v1/jobs/{job_id}/events?token={owner.token}"
    received = read_events(stream, timeout=180)
    assert received[-1][0] == "completed", received[-1]
    assert bare_service.sentences(owner, job_id) == reference(novels["short"])

    bare_service.api.popen.send_signal(signal.SIGTERM)
    bare_service.api.popen.wait(60)
    _, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, [" ".join(p.cmdline()) for p in alive]
    assert not replacement.is_running()


def _worker_other_than(server: psutil.Process, pid: int) -> psutil.Process | None:
    for child in server.children():
        try:
            if child.pid != pid and "cli worker" in " ".join(child.cmdline()):
                return child
        except psutil.NoSuchProcess:
            continue
    return None
