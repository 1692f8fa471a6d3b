"""The real thing: ``frenchnovel db upgrade``, ``users create``, ``credits grant`` and ``serve``
as subprocesses, and Candide uploaded over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.redis_databases import claim_redis_database, release_redis_database

CLI = [sys.executable, "-m", "frenchnovel.cli"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def environment(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A one-machine configuration: SQLite under a fresh STORAGE_DIR, Candide answered at once,
    and a Redis database claimed for this test alone."""
    redis_url = claim_redis_database()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        STORAGE_DIR=str(tmp_path / "var"),
        REDIS_URL=redis_url,
        ASYNC_PROCESSING_ENABLED="false",
        CHUNKING_THRESHOLD_PAGES="100",
    )
    try:
        yield env
    finally:
        release_redis_database(redis_url)


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*CLI, *args], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


@pytest.fixture
def server(environment: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.25)
        else:
            pytest.fail("frenchnovel serve did not answer /health")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_commands_create_a_reader_who_gets_candide_back_as_sentences(
    environment: dict[str, str], server: str, corpus: Path
) -> None:
    assert "up to date" in _run(environment, "db", "upgrade")
    token = _run(environment, "users", "create", "candide@example.org").splitlines()[-1]
    granted = _run(environment, "credits", "grant", "candide@example.org", "250")
    headers = {"Authorization": f"Bearer {token}"}
    candide = corpus / "pdf" / "voltaire_candide_ligaran2015.pdf"

    with candide.open("rb") as handle:
        answer = httpx.post(
            f"{server}/api/v1/process-pdf",
            headers=headers,
            files={"pdf_file": (candide.name, handle, "application/pdf")},
            data={"sentence_length_limit": "8"},
            timeout=600,
        )

    assert "balance 10250" in granted
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["page_count"] == 90 and body["stats"]["image_only_pages"] == 5
    texts = [s["text"] for s in body["sentences"]]
    assert len(texts) > 1000
    assert any("Candide" in text for text in texts)
    job = httpx.get(f"{server}/api/v1/jobs/{body['job_id']}", headers=headers).json()
    assert job["status"] == "completed"
    balance = httpx.get(f"{server}/api/v1/me/credits", headers=headers).json()["balance"]
    assert balance == 10_250 - job["actual_credits"]


def _two_gigabytes() -> Iterator[bytes]:
    yield (
        b'--b\r\nContent-Disposition: form-data; name="pdf_file"; filename="huge.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    )
    block = b"0" * 65536
    for _ in range(2 * 1024**3 // len(block)):
        yield block
    yield b"\r\n--b--\r\n"


def test_a_two_gigabyte_upload_is_refused_while_it_streams(
    environment: dict[str, str], server: str
) -> None:
    token = _run(environment, "users", "create", "huge@example.org").splitlines()[-1]

    answer = httpx.post(
        f"{server}/api/v1/process-pdf",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "multipart/form-data; boundary=b",
        },
        content=_two_gigabytes(),
        timeout=120,
    )

    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "FILE_TOO_LARGE"
    storage = Path(environment["STORAGE_DIR"])
    assert [p.name for p in storage.iterdir() if p.is_dir()] == []
