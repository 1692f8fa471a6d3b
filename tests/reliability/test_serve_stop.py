"""``frenchnovel serve`` with nothing configured (SQLite, the embedded Redis, a worker and beat),
stopped as a service manager or a terminal would: SIGTERM to the server, Ctrl-C to its process
group. It stops its children within their grace period, the embedded Redis last, leaves no
process and nothing in the temporary folder, and exits 0."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from frenchnovel.worker.local_stack import STOP_SECONDS
from tests.e2e.stack import REPO, free_port, wait_for
from tests.reliability.helpers import Losses

# The children's grace, then the embedded Redis's own stop, and a margin for two shared cores.
PATIENCE = STOP_SECONDS + 10 + 15
# What a worker says when its broker went away before it: Redis must stop last.
BROKER_GONE = ("Restoring", "Connection refused", "Error 2 connecting", "ConnectionError")


def _serve(tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path, Path]:
    temporary, log = tmp_path / "tmp", tmp_path / "serve.log"
    temporary.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DATABASE_"))}
    env.update(STORAGE_DIR=str(tmp_path / "var"), TMPDIR=str(temporary), PYTHONPATH=str(REPO))
    port = free_port()
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "frenchnovel.cli", "serve", "--port", str(port)],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=tmp_path,
        )

    def ready() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"serve exited: {log.read_text(errors='replace')[-3000:]}")
        try:
            healthy = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False
        return healthy and "ready." in log.read_text(errors="replace")  # the worker's banner

    wait_for(ready, timeout=120, what="serve, its worker and beat", every=0.5)
    return process, temporary, log


@pytest.mark.parametrize("how", ["SIGTERM to the server", "SIGINT to its process group"])
def test_serve_stops_its_children_and_the_embedded_redis_last_leaving_nothing_behind(
    tmp_path: Path, lost: Losses, how: str
) -> None:
    process, temporary, log = _serve(tmp_path)
    family = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    names = " ".join(" ".join(member.cmdline()) for member in family)
    assert "redis-server" in names and "cli worker" in names and "cli beat" in names
    assert [p.name for p in temporary.iterdir()] != []  # the embedded Redis's socket folder
    said_before = len(log.read_text(errors="replace"))

    started = time.monotonic()
    if how.startswith("SIGTERM"):
        process.send_signal(signal.SIGTERM)
    else:
        os.killpg(process.pid, signal.SIGINT)
    try:
        status = process.wait(PATIENCE)
    finally:
        _, alive = psutil.wait_procs(family, timeout=1)
        left = [_describe(member) for member in alive]
        for member in alive:
            try:
                member.kill()
            except psutil.Error:
                pass
    seconds = time.monotonic() - started
    lost.notes.append(f"{how}: stopped in {seconds:.1f} s")
    said_after = log.read_text(errors="replace")[said_before:]

    assert left == []
    assert list(temporary.iterdir()) == []
    assert status == 0, said_after[-3000:]
    assert "Traceback" not in said_after, said_after[-3000:]
    assert not [line for line in said_after.splitlines() if any(s in line for s in BROKER_GONE)]
    assert "the embedded Redis are gone" in said_after


def _describe(process: psutil.Process) -> str:
    try:
        return f"{process.pid} {' '.join(process.cmdline())}"
    except psutil.Error as exc:
        return f"{process.pid} ({exc.__class__.__name__})"
