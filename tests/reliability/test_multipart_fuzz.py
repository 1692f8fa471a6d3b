"""The multipart layer under fuzz, over real HTTP: one ``frenchnovel serve`` on 127.0.0.1 gets
every case of ``multipart_cases`` (boundaries, heads, part headers, encodings, truncation, odd
values) as raw bytes on a socket of its own. No answer may be a 5xx, the server must keep
answering, and no refused upload may leave a file behind."""

from __future__ import annotations

import re
import socket
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from frenchnovel.storage.models import Job
from tests.e2e.stack import Reader
from tests.integration.pdfs import render_pdf
from tests.reliability.helpers import Losses, files_in
from tests.reliability.multipart_bodies import all_cases
from tests.reliability.multipart_cases import Builder, Case
from tests.support.redis_server import RedisServer
from tests.support.service_stack import ServiceStack

SEED = 12
RANDOM_CASES = 900
SOCKET_SECONDS = 30
STORY = [
    "Le meunier du village ouvrait sa porte chaque matin avant le jour, et il saluait les "
    "voisins qui passaient sur la route avec leurs charrettes pleines de blé.",
    "Sa fille chantait dans la cour pendant que le vent faisait tourner les grandes ailes.",
]


@pytest.fixture(scope="module")
def api(
    database_url: str, redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceStack]:
    """One real API for every case of the module."""
    root = tmp_path_factory.mktemp("multipart-fuzz")
    (root / "storage").mkdir()
    (root / "logs").mkdir()
    stack = ServiceStack("fuzz", database_url, redis_server.url(6), root / "storage", root / "logs")
    stack.start_api()
    yield stack
    stack.stop()


@pytest.fixture(scope="module")
def reader(api: ServiceStack) -> Reader:
    return api.reader()


@pytest.fixture(scope="module")
def tiny_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return render_pdf(STORY, tmp_path_factory.mktemp("tiny") / "tiny.pdf", pages=1).read_bytes()


def exchange(url: str, case: Case) -> int | None:
    """Send one raw request; the status of the answer, or None when none came."""
    host, port = url.removeprefix("http://").split(":")
    data = b""
    try:
        with socket.create_connection((host, int(port)), timeout=SOCKET_SECONDS) as connection:
            try:
                connection.sendall(case.request)
                if case.truncated:
                    connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the server answered and closed before reading everything: read it
            while b"\r\n" not in data:
                piece = connection.recv(65536)
                if not piece:
                    break
                data += piece
    except ConnectionResetError:
        pass
    found = re.match(rb"HTTP/1\.[01] (\d{3}) ", data)
    return int(found.group(1)) if found else None


def _left_behind(api: ServiceStack) -> list[Path]:
    """Files under STORAGE_DIR that belong to no job (refused or interrupted uploads)."""
    with api.sessions() as session:
        jobs = set(session.scalars(select(Job.id)))
    return [p for p in files_in(api.storage_dir) if p.relative_to(api.storage_dir).parts[0]
            not in jobs]  # fmt: skip


def _healthy(api: ServiceStack) -> bool:
    return httpx.get(f"{api.api_url}/health", timeout=10).status_code == 200


def test_a_boundary_over_256_characters_is_refused_with_a_400(
    api: ServiceStack, reader: Reader, tiny_pdf: bytes
) -> None:
    builder = Builder(tiny_pdf, reader.token, "127.0.0.1")
    boundary = b"B" * 5000
    body = builder.body(boundary, [builder.file_part()])
    for path in ("/api/v1/estimate", "/api/v1/process-pdf"):
        request = builder.request(
            body, content_type=b"multipart/form-data; boundary=" + boundary, path=path
        )
        assert exchange(api.api_url, Case("long boundary", request)) == 400, path


def test_no_malformed_upload_gets_a_5xx_and_none_leaves_a_file(
    api: ServiceStack, reader: Reader, tiny_pdf: bytes, lost: Losses
) -> None:
    cases = all_cases(tiny_pdf, reader.token, "127.0.0.1", seed=SEED, random_cases=RANDOM_CASES)
    statuses: Counter[int | None] = Counter()
    server_errors: list[str] = []
    unanswered: list[str] = []
    started = time.monotonic()
    for case in cases:
        status = exchange(api.api_url, case)
        statuses[status] += 1
        if status is not None and status >= 500:
            server_errors.append(f"{case.name}: {status}")
        if status is None and not case.truncated:
            unanswered.append(case.name)
    seconds = time.monotonic() - started
    lost.notes.append(
        f"{len(cases)} cases in {seconds:.0f} s, {len(server_errors)} × 5xx; statuses "
        + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str))
    )
    left = _left_behind(api)
    lost.files_left = len(left)

    assert len(cases) >= 1000
    assert server_errors == [], server_errors[:20]
    assert unanswered == [], unanswered[:20]  # only a client that gave up gets no answer
    assert api.api is not None
    log = api.api.log.read_text(errors="replace")
    assert "Traceback" not in log, log[log.find("Traceback") :][:3000]
    assert _healthy(api)
    assert left == [], left[:10]
