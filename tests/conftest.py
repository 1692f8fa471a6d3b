"""Fixtures shared by every layer of tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.s3 import CREDENTIALS, MotoServer

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("FRENCHNOVEL_CORPUS", REPO.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of real novels, gold segmentations and malformed PDFs."""
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS} (set FRENCHNOVEL_CORPUS)")
    return CORPUS


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """moto's S3 server, a process of its own on 127.0.0.1, shared by every test that needs an
    object store (each takes a bucket of its own). The test process gets its credentials."""
    server = MotoServer.start(log=tmp_path_factory.mktemp("moto") / "moto.log")
    for name, value in CREDENTIALS.items():
        os.environ.setdefault(name, value)
    yield server
    server.stop()
