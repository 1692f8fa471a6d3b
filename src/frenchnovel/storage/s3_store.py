"""The blob store in an S3-compatible object store (``STORAGE_URL=s3://bucket/prefix``), by boto3.

Credentials and region come from the usual AWS variables (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION``), the endpoint from ``S3_ENDPOINT_URL`` (MinIO,
Ceph, moto…; unset: AWS): a process needs nothing else, no shared disk.

Files go up with boto3's transfer manager: one PUT below ``PART_SIZE``, a multipart upload of
``PART_SIZE`` parts above it, read from the file part by part (at most ``CONCURRENCY`` parts in
memory, so a 50 MB upload costs the API a couple of parts, not 50 MB). An interrupted multipart
upload is aborted by the transfer manager, so a half object is never visible. Downloads are
ranged GETs of the same size written to a temporary file renamed at the end. Each request
waits ``S3_TIMEOUT_SECONDS`` at most and is retried by botocore's standard mode (3 attempts,
backoff) on 5xx, throttling and connection errors; what still fails is a ``StorageError``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import boto3
from boto3.exceptions import Boto3Error
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from frenchnovel.storage.blobs import (
    READ_CHUNK,
    Blob,
    BlobMissing,
    BlobStore,
    StorageError,
    check_key,
)

T = TypeVar("T")
MB = 1024 * 1024
PART_SIZE = 8 * MB
CONCURRENCY = 2
ATTEMPTS = 3
POOL = 16  # connections kept to the store, shared by the threads of a process
_MISSING = {"404", "NoSuchKey", "NotFound"}


def _transfer_config() -> TransferConfig:
    config = TransferConfig(
        multipart_threshold=PART_SIZE,
        multipart_chunksize=PART_SIZE,
        max_concurrency=CONCURRENCY,
        io_chunksize=256 * 1024,
    )
    # Parts read ahead of the uploads (10 by default: 80 MB) bound the memory of a stream's upload.
    config.max_in_memory_upload_chunks = CONCURRENCY
    return config


class S3Store(BlobStore):
    def __init__(
        self,
        bucket: str,
        prefix: str,
        scratch_dir: Path,
        *,
        endpoint_url: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.scratch_dir = scratch_dir
        self.endpoint_url = endpoint_url
        self.timeout = timeout
        self.transfer = _transfer_config()
        self._client: Any = None
        self._session: Any = None
        self._pid = 0
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        """One client for every thread of a process (a boto3 client is thread-safe, a session
        is not; a client per thread would load botocore's S3 model, some 10 MB, in each), made
        again in a forked child (a worker's pool process) rather than share its sockets, from
        the session the parent prepared, whose loaded model the child inherits."""
        with self._lock:
            if self._client is None or self._pid != os.getpid():
                if self._session is None:
                    self._session = boto3.session.Session()
                config = Config(
                    connect_timeout=min(self.timeout, 10.0),
                    read_timeout=self.timeout,
                    retries={"max_attempts": ATTEMPTS, "mode": "standard"},
                    s3={"addressing_style": "path"},
                    signature_version="s3v4",
                    max_pool_connections=POOL,
                )
                self._client = self._session.client(
                    "s3", endpoint_url=self.endpoint_url, config=config
                )
                self._pid = os.getpid()
            return self._client

    def prepare(self) -> None:
        self.client  # noqa: B018 (botocore's model loaded at start-up, not by the first upload)

    def name(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _key_of(self, name: str) -> str:
        return name[len(self.prefix) + 1 :] if self.prefix else name

    def _call(self, what: str, key: str, call: Callable[[], T]) -> T:
        try:
            return call()
        except ClientError as exc:
            error = exc.response.get("Error", {})
            if str(error.get("Code")) in _MISSING:
                raise BlobMissing(key) from None
            raise StorageError(f"the object store refused to {what} {key}: {error}") from None
        except (BotoCoreError, Boto3Error, OSError) as exc:
            raise StorageError(
                f"the object store did not answer to {what} {key}: {exc.__class__.__name__}"
            ) from None

    def put(self, key: str, stream: BinaryIO) -> None:
        self._call(
            "store",
            key,
            lambda: self.client.upload_fileobj(
                stream, self.bucket, self.name(key), Config=self.transfer
            ),
        )

    def put_file(self, key: str, path: Path) -> None:
        self._call(
            "store",
            key,
            lambda: self.client.upload_file(
                str(path), self.bucket, self.name(key), Config=self.transfer
            ),
        )
        path.unlink(missing_ok=True)

    def get(self, key: str) -> bytes:
        def read() -> bytes:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.name(key))
            data: bytes = answer["Body"].read()
            return data

        return self._call("read", key, read)

    def chunks(self, key: str) -> Iterator[bytes]:
        answer = self._call(
            "read", key, lambda: self.client.get_object(Bucket=self.bucket, Key=self.name(key))
        )
        body = answer["Body"]
        try:
            while True:
                block = self._call("read", key, lambda: body.read(READ_CHUNK))
                if not block:
                    return
                yield block
        finally:
            body.close()

    def download(self, key: str, target: Path) -> None:
        self._call(
            "read",
            key,
            lambda: self.client.download_file(
                self.bucket, self.name(key), str(target), Config=self.transfer
            ),
        )

    def exists(self, key: str) -> bool:
        try:
            self._call(
                "look up",
                key,
                lambda: self.client.head_object(Bucket=self.bucket, Key=self.name(key)),
            )
        except BlobMissing:
            return False
        return True

    def delete_prefix(self, prefix: str) -> int:
        names = [self.name(blob.key) for blob in self.list(prefix)]
        for start in range(0, len(names), 1000):  # the most one request deletes
            batch = {"Objects": [{"Key": name} for name in names[start : start + 1000]]}
            answer: dict[str, Any] = self._call("delete", prefix, partial(self._delete, batch))
            if answer.get("Errors"):
                raise StorageError(f"the object store kept objects of {prefix}: {answer['Errors']}")
        return len(names)

    def _delete(self, batch: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = self.client.delete_objects(Bucket=self.bucket, Delete=batch)
        return answer

    def list(self, prefix: str = "") -> Iterator[Blob]:
        full = f"{self.prefix}/{prefix}" if self.prefix else prefix
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=full
        )
        iterator = iter(pages)
        while True:
            page = self._call("list", prefix or "/", lambda: next(iterator, None))
            if page is None:
                return
            for item in page.get("Contents", []):
                yield Blob(self._key_of(item["Key"]), int(item["Size"]), item["LastModified"])

    def presign(self, key: str, seconds: int, *, filename: str, media_type: str) -> str | None:
        params = {
            "Bucket": self.bucket,
            "Key": self.name(key),
            "ResponseContentDisposition": f"attachment; filename*=UTF-8''{filename}",
            "ResponseContentType": media_type,
        }
        url: str = self._call(
            "sign",
            key,
            lambda: self.client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=seconds
            ),
        )
        return url
