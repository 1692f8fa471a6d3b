"""The blob store as a local directory (``STORAGE_DIR``): today's layout, one file per key.

Writes go to a temporary sibling renamed into place, so a reader never sees half an object. An
upload is staged in its job's own directory, so that keeping it is a rename, not a copy; and
``local_copy`` hands the stored file itself: nothing is copied on one machine.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from frenchnovel.storage.blobs import READ_CHUNK, Blob, BlobMissing, BlobStore, check_key


class LocalStore(BlobStore):
    def __init__(self, root: Path, scratch_dir: Path) -> None:
        self.root = root
        self.scratch_dir = scratch_dir

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, stream: BinaryIO) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            with temporary.open("wb") as handle:
                shutil.copyfileobj(stream, handle, READ_CHUNK)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)

    def put_file(self, key: str, path: Path) -> None:
        target = self.path(key)
        if path.resolve() == target.resolve():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)

    def get(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            raise BlobMissing(key) from None

    def chunks(self, key: str) -> Iterator[bytes]:
        try:
            handle = self.path(key).open("rb")
        except FileNotFoundError:
            raise BlobMissing(key) from None
        with handle:
            while block := handle.read(READ_CHUNK):
                yield block

    def download(self, key: str, target: Path) -> None:
        try:
            shutil.copyfile(self.path(key), target)
        except FileNotFoundError:
            raise BlobMissing(key) from None

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        path = self.path(key)
        if not path.is_file():
            raise BlobMissing(key)
        yield path

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete_prefix(self, prefix: str) -> int:
        blobs = list(self.list(prefix))
        for blob in blobs:
            self.path(blob.key).unlink(missing_ok=True)
        if prefix.endswith("/"):
            shutil.rmtree(self.path(prefix), ignore_errors=True)  # the emptied directories
        return len(blobs)

    def list(self, prefix: str = "") -> Iterator[Blob]:
        folder = prefix.rpartition("/")[0]
        base = self.path(folder) if folder else self.root
        if not base.is_dir():
            return
        for directory, _, names in os.walk(base):
            for name in names:
                path = Path(directory, name)
                key = path.relative_to(self.root).as_posix()
                if not key.startswith(prefix):
                    continue
                try:
                    stat = path.stat()
                except FileNotFoundError:
                    continue  # removed meanwhile
                yield Blob(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC))

    def staging_dir(self, name: str) -> Path:
        return self.root / check_key(name)
