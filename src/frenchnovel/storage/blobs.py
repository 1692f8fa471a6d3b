"""The blob store: where uploads, results, OCR pages and decks live, by key.

A key is a relative, slash-separated name (``<job_id>/source.pdf``, ``<job_id>/result.json``,
``decks/<id>/deck.json``). Two backends answer the same few calls, chosen once from the settings
by ``blob_store``: ``LocalStore`` (a directory, ``STORAGE_DIR``, the default) and ``S3Store``
(``STORAGE_URL=s3://bucket/prefix``, an S3-compatible store reached with boto3). No caller
builds a path under ``STORAGE_DIR`` for what the store holds.

Files that must be local (PDFium opens a path; the API checks an upload before it keeps it) go
through scratch files under ``STORAGE_DIR/scratch``, each removed in a ``finally``: ``local_copy``
downloads an object for the time of a ``with`` (the local backend hands its own file instead).
Every failure of the store itself is a ``StorageError`` (``STORAGE_UNAVAILABLE``, 503), which
workers retry; an object that is not there is ``BlobMissing``.
"""

from __future__ import annotations

import io
import shutil
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from frenchnovel.config import Settings
from frenchnovel.errors import ErrorCode, FrenchNovelError

SCRATCH_DIR = "scratch"
READ_CHUNK = 1024 * 1024


class StorageError(FrenchNovelError):
    """The store refused or did not answer (after the client's own retries)."""

    code = ErrorCode.STORAGE_UNAVAILABLE


class BlobMissing(LookupError):
    """No object under this key."""


@dataclass(frozen=True, slots=True)
class Blob:
    """One stored object, as listed."""

    key: str
    size: int
    modified: datetime


def check_key(key: str) -> str:
    """A key is relative and never climbs out of the store (``..``), whatever a row says."""
    parts = PurePosixPath(key).parts
    if not parts or key.startswith("/") or ".." in parts or "\\" in key:
        raise ValueError(f"not a storage key: {key!r}")
    return key


class BlobStore(ABC):
    """What every backend offers; ``scratch_dir`` is this process's local scratch space."""

    scratch_dir: Path

    @abstractmethod
    def put(self, key: str, stream: BinaryIO) -> None:
        """Store what ``stream`` reads, read piece by piece (never whole in memory)."""

    @abstractmethod
    def put_file(self, key: str, path: Path) -> None:
        """Move the local file ``path`` into the store (it is gone from ``path`` after)."""

    @abstractmethod
    def get(self, key: str) -> bytes:
        """A small object whole (a result, an OCR page); ``BlobMissing`` when absent."""

    @abstractmethod
    def chunks(self, key: str) -> Iterator[bytes]:
        """An object read piece by piece, to stream it to a client."""

    @abstractmethod
    def download(self, key: str, target: Path) -> None:
        """Copy an object to the local file ``target``."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def delete_prefix(self, prefix: str) -> int:
        """Delete every object whose key starts with ``prefix``; how many went."""

    @abstractmethod
    def list(self, prefix: str = "") -> Iterator[Blob]:
        """Every object under ``prefix`` (for cleanup)."""

    def prepare(self) -> None:  # noqa: B027 (most backends have nothing to load)
        """Load what the first request would (an API calls it at start-up)."""

    def presign(self, key: str, seconds: int, *, filename: str, media_type: str) -> str | None:
        """A URL that downloads ``key`` for ``seconds`` without credentials; None where the
        backend has no such thing (the local directory)."""
        return None

    def put_bytes(self, key: str, data: bytes) -> None:
        self.put(key, io.BytesIO(data))

    def staging_dir(self, name: str) -> Path:
        """A local directory where an upload is written and checked before ``put_file``."""
        return self.scratch_dir / name

    def remove_staging(self, name: str) -> None:
        """Remove a staged upload that is not kept (refused, reused, or an estimate's)."""
        shutil.rmtree(self.staging_dir(name), ignore_errors=True)

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        """A local file with the object's bytes (and its name's suffix) for the ``with``'s
        time, always removed after."""
        name = PurePosixPath(key).name
        target = self.scratch_dir / f"{uuid.uuid4().hex}-{name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.download(key, target)
            yield target
        finally:
            target.unlink(missing_ok=True)


class PageFiles:
    """The OCR cache's view of the store: small files under one prefix (``pipeline.ocr``)."""

    def __init__(self, store: BlobStore, prefix: str) -> None:
        self.store, self.prefix = store, prefix.rstrip("/")

    def read(self, name: str) -> bytes | None:
        try:
            return self.store.get(f"{self.prefix}/{name}")
        except (BlobMissing, StorageError):
            return None  # a cache: a page not found is read again

    def write(self, name: str, data: bytes) -> None:
        self.store.put_bytes(f"{self.prefix}/{name}", data)


def blob_store(settings: Settings) -> BlobStore:
    """The store the settings name (one per process and configuration)."""
    return _store(
        settings.storage_url,
        settings.s3_endpoint_url,
        settings.storage_dir.resolve(),
        settings.s3_timeout_seconds,
    )


@lru_cache(maxsize=8)
def _store(url: str | None, endpoint: str | None, storage_dir: Path, timeout: float) -> BlobStore:
    scratch = storage_dir / SCRATCH_DIR
    if url is None:
        from frenchnovel.storage.local_store import LocalStore

        return LocalStore(storage_dir, scratch)
    from frenchnovel.storage.s3_store import S3Store

    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    return S3Store(bucket, prefix, scratch, endpoint_url=endpoint, timeout=timeout)
