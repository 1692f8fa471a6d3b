"""Workers that share nothing: two machines (network namespaces) that reach the API, Redis,
PostgreSQL and the object store over a network, and no directory of the host.

The tests skip, saying why, only where network namespaces cannot be made (not root, no
iproute2, a container that refuses them).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from celery import Celery
from sqlalchemy import update

from frenchnovel.storage.blobs import SCRATCH_DIR
from frenchnovel.storage.models import Job, utcnow
from frenchnovel.worker.celery_app import create_celery_app
from tests.e2e.spread import SpreadStack, spread_service
from tests.e2e.stack import REPO, Process, wait_for
from tests.support import netns
from tests.support.s3 import MotoServer

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

# 300 pages in chunks of 25: twelve chunks, several for each machine. Each machine runs two
# pool processes, so that the survivor alone still uses both cores. A chunk that lost its
# worker is handed out again once the broker's visibility timeout (the task's hard limit
# + 10 s: 65 s here) is over; the limit stays well above a 25-page chunk's time (12-17 s with
# four pool processes on two cores, up to 28 s with the reference reading beside them on a
# machine shared with other test runs), or the chunk would fail the job with TASK_TIMEOUT.
MACHINE = {"MAX_WORKERS": "2", "TASK_TIMEOUT_SECONDS": "50"}
# The reader's cap of chunks in flight lets all four pool processes work on the one job.
CHUNKS = {
    "CHUNKING_THRESHOLD_PAGES": "50",
    "CHUNK_SIZE_PAGES": "25",
    "MAX_CHUNKS_IN_FLIGHT_PER_USER": "4",
}


@pytest.fixture(scope="module")
def spread(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[SpreadStack]:
    """The spread service; after it, nothing of its network may be left on the host."""
    reason = netns.unavailable()
    if reason:
        pytest.skip(f"network namespaces cannot be made here: {reason}")
    # Asked for only now: a machine that skips starts neither moto nor a copy of the code.
    pythonpath: str = request.getfixturevalue("pythonpath")
    moto: MotoServer = request.getfixturevalue("s3_server")
    root = tmp_path_factory.mktemp("spread")
    with spread_service(root, pythonpath, moto, **CHUNKS, **MACHINE) as stack:
        yield stack
    assert stack.network.leftovers() == []
    assert [p.pid for p in stack.spawned if p.popen.poll() is None] == []


@pytest.fixture
def machines(spread: SpreadStack) -> Iterator[SpreadStack]:
    """The spread service; the workers a test starts are killed after it."""
    yield spread
    spread.stop_workers()


def _address(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}"


def _host_addresses(hub: str) -> list[str]:
    """The host's IPv4 addresses other than loopback and the private network's."""
    shown = subprocess.run(["ip", "-o", "-4", "addr", "show"], capture_output=True, text=True)
    found = re.findall(r"inet (\d+\.\d+\.\d+\.\d+)/", shown.stdout)
    network = hub.rsplit(".", 1)[0] + "."
    return [a for a in found if not a.startswith(("127.", network))]


def _seen_from(stack: SpreadStack, machine: int, addresses: list[str]) -> dict[str, Any]:
    """What machine ``machine`` reaches, asked by ``tests.support.reach`` run there."""
    env = stack.env(API_URL=stack.api_url)
    command = [*stack.network.exec_prefix(stack.network.namespaces[machine - 1])]
    command += [sys.executable, "-m", "tests.support.reach", *addresses]
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    seen: dict[str, Any] = json.loads(done.stdout)
    return seen


def test_a_machine_reaches_the_services_over_the_network_and_nothing_of_the_host_else(
    machines: SpreadStack,
) -> None:
    net = machines.network
    assert machines.store is not None
    services = [
        _address(machines.redis_url),
        _address(machines.database_url),
        _address(machines.api_url),
        _address(machines.store.endpoint),
    ]
    # The host's own Redis and PostgreSQL listen on its 127.0.0.1, which a machine does not
    # share; the host's other addresses and the other machine have no route from here.
    host_only = ["127.0.0.1:6379", "127.0.0.1:5432"]
    elsewhere = [f"{address}:5432" for address in _host_addresses(net.hub)]

    for machine, other in ((1, 2), (2, 1)):
        beyond = [*elsewhere, f"{net.address(other)}:22"]
        seen = _seen_from(machines, machine, [*services, *host_only, *beyond])

        assert {a: seen["tcp"][a] for a in services} == dict.fromkeys(services, "open")
        assert {a: seen["tcp"][a] for a in host_only} == dict.fromkeys(host_only, "refused")
        assert {a: seen["tcp"][a] for a in beyond} == dict.fromkeys(beyond, "unreachable")
        assert seen["services"] == {"redis": "PONG", "postgresql": 1, "api": 200}


def _chunks_held(stack: SpreadStack, app: Celery, worker: Process, job_id: str) -> list[int]:
    """The chunks of ``job_id`` that ``worker`` is processing right now (claimed in the
    database by a task that worker runs)."""
    active = app.control.inspect(timeout=1).active() or {}
    mine = {
        task["id"]
        for name, tasks in active.items()
        if name.startswith(f"worker{worker.pid}@")
        for task in tasks
    }
    return [
        chunk.index
        for chunk in stack.chunks(job_id)
        if chunk.status == "processing" and chunk.task_id in mine
    ]


def _files_under(*directories: Path) -> list[Path]:
    return [path for d in directories for path in d.rglob("*") if path.is_file()]


def test_two_machines_sharing_nothing_turn_a_300_page_novel_into_the_sentences_of_the_cli(
    machines: SpreadStack, novels: dict[str, Path], reference: Any
) -> None:
    pool = ThreadPoolExecutor(1)
    # The CLI's own reading is made meanwhile, on cores the job leaves idle: while the workers
    # load spaCy, and while the broker waits out the dead worker's visibility timeout.
    expected = pool.submit(reference, novels["long"])
    pool.shutdown(wait=False)
    owner = machines.reader()
    first, _ = machines.start_machines(1, 2)

    answer = machines.submit(owner, novels["long"])
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]
    app = create_celery_app(machines.settings)
    held = wait_for(
        lambda: _chunks_held(machines, app, first, job_id), timeout=120, what="a chunk on machine 1"
    )
    first.kill()  # SIGKILL of its process group: the worker and its pool, mid-chunk

    job = machines.wait_status(owner, job_id, {"completed", "failed", "cancelled"}, timeout=300)
    assert job["status"] == "completed", job
    chunks = machines.chunks(job_id)
    assert len(chunks) == 12 and {c.status for c in chunks} == {"completed"}
    assert all(chunks[index].attempts >= 2 for index in held), [c.attempts for c in chunks]
    assert machines.sentences(owner, job_id) == expected.result()
    ledger = machines.ledger(job_id)
    assert [kind for kind, _ in ledger] in (["reservation"], ["reservation", "adjustment"])
    assert -sum(amount for _, amount in ledger) == job["actual_credits"] > 0
    # Nothing on the API's disk or the survivor's; the killed machine may keep the scratch copy
    # of the novel it was reading (on its own disk, swept by its maintenance after an hour).
    assert _files_under(machines.storage_dir, machines.machine_dirs[2]) == []
    killed = machines.machine_dirs[1]
    assert {path.parent for path in _files_under(killed)} <= {killed / SCRATCH_DIR}
    assert any(job_id in key for key in machines.object_keys())

    with machines.sessions() as session, session.begin():
        finished = utcnow() - timedelta(days=2)
        session.execute(update(Job).where(Job.id == job_id).values(finished_at=finished))
    app.send_task("frenchnovel.cleanup_old_jobs")
    wait_for(
        lambda: machines.job_row(job_id).files_purged_at is not None,
        timeout=60,
        what="the cleanup, on machine 2",
    )
    assert machines.object_keys() == []
