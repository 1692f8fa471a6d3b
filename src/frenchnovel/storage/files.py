"""Uploaded novels and results in the blob store, under keys ``<job_id>/...``.

An upload is parsed from the raw request stream and written to a local staging file as it
arrives, so the size limit is enforced while reading: a 2 GB upload is refused after
``MAX_FILE_SIZE_MB`` without ever being buffered in memory. The API checks the staged file (PDFium
needs a path), then ``keep_source`` moves it into the store (a rename on the local directory, a
multipart upload to S3). A novel is stored as ``source.pdf``, or as ``source.txt`` when it is a
plain text (``is_text``): the pipeline reads either by its suffix.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import IO

from python_multipart.multipart import MultipartParser, parse_options_header

from frenchnovel.errors import ErrorCode, InputError
from frenchnovel.pipeline.result import Result
from frenchnovel.storage.blobs import BlobStore, PageFiles

SOURCE_NAME = "source.pdf"
TEXT_SOURCE_NAME = "source.txt"
TEXT_SUFFIXES = (".txt", ".text")
_SNIFF_BYTES = 64 * 1024
RESULT_NAME = "result.json"
OCR_DIR = "ocr"
MAX_FIELD_BYTES = 16 * 1024
MAX_FIELDS = 32
# A part's headers (Content-Disposition and the like): a few hundred bytes from any real client.
MAX_PART_HEADER_BYTES = 16 * 1024
# Multipart headers and the settings fields travel beside the file.
ENVELOPE_BYTES = 256 * 1024


def upload_path(store: BlobStore, job_id: str) -> Path:
    """Where an upload is written and checked before the store keeps it (``keep_source``)."""
    return store.staging_dir(job_id) / SOURCE_NAME


def source_key(job_id: str, *, text: bool = False) -> str:
    return f"{job_id}/{TEXT_SOURCE_NAME if text else SOURCE_NAME}"


def find_source(store: BlobStore, job_id: str) -> str:
    """The key of a job's novel (PDF or text): workers find it by the job id alone."""
    text = source_key(job_id, text=True)
    return text if store.exists(text) else source_key(job_id)


def keep_source(store: BlobStore, job_id: str, path: Path) -> None:
    """Move a checked upload into the store, under the name its kind gives it."""
    store.put_file(source_key(job_id, text=path.name == TEXT_SOURCE_NAME), path)
    try:
        path.parent.rmdir()  # a scratch directory now empty (on the local directory, kept)
    except OSError:
        pass


def is_text(path: Path, filename: str, content_type: str) -> bool:
    """Whether an upload is a plain-text novel: sent as one (a ``.txt`` name or ``text/plain``),
    and its bytes say so too (no PDF header, no NUL byte, which binary files are full of)."""
    declared = filename.lower().endswith(TEXT_SUFFIXES) or content_type.startswith("text/plain")
    if not declared:
        return False
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    return b"%PDF-" not in head[:1024] and b"\x00" not in head


def discard(store: BlobStore, job_id: str) -> None:
    """Delete everything of a job (its novel, OCR pages and result) and its staged upload."""
    store.delete_prefix(f"{job_id}/")
    store.remove_staging(job_id)


def ocr_pages(store: BlobStore, job_id: str) -> PageFiles:
    """The OCR'd pages of a job, shared by its chunks (``pipeline.ocr.OcrCache``)."""
    return PageFiles(store, f"{job_id}/{OCR_DIR}")


def write_result(store: BlobStore, job_id: str, result: Result) -> str:
    """Store a job's result JSON (whole or not at all); returns its key."""
    key = f"{job_id}/{RESULT_NAME}"
    store.put_bytes(key, json.dumps(result.to_dict(), ensure_ascii=False).encode())
    return key


def read_result(store: BlobStore, key: str) -> Result:
    """Load a stored result."""
    return Result.from_dict(json.loads(store.get(key)))


@dataclass(slots=True)
class StoredUpload:
    """A file written to disk and the other form fields that came with it."""

    path: Path
    filename: str = ""
    content_type: str = ""
    size: int = 0
    sha256: str = ""
    fields: dict[str, str] = field(default_factory=dict)


def too_large(max_bytes: int) -> InputError:
    return InputError(
        f"the file is larger than the limit of {max_bytes // (1024 * 1024)} MB",
        code=ErrorCode.FILE_TOO_LARGE,
    )


class _UploadWriter:
    """multipart callbacks: the file part goes to disk, small fields to memory."""

    def __init__(self, path: Path, file_field: str, max_bytes: int) -> None:
        self.path = path
        self.file_field = file_field
        self.max_bytes = max_bytes
        self.upload = StoredUpload(path=path)
        self.digest = hashlib.sha256()
        self.error: InputError | None = None
        self.found_file = False
        self._handle: IO[bytes] | None = None
        self._headers: dict[bytes, bytes] = {}
        self._header_field = b""
        self._header_value = b""
        self._name = ""
        self._is_file = False
        self._buffer = bytearray()
        self._header_bytes = 0

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": self.header_field,
            "on_header_value": self.header_value,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def part_begin(self) -> None:
        self._headers, self._buffer, self._is_file = {}, bytearray(), False
        self._header_bytes = 0

    def header_field(self, data: bytes, start: int, end: int) -> None:
        if self._count_header_bytes(end - start):
            self._header_field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        if self._count_header_bytes(end - start):
            self._header_value += data[start:end]

    def _count_header_bytes(self, size: int) -> bool:
        """Whether a part's headers are still of a sane size (else the upload is refused)."""
        self._header_bytes += size
        if self._header_bytes > MAX_PART_HEADER_BYTES and self.error is None:
            self.error = InputError("the headers of a part of the form are too long")
        return self.error is None

    def header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field, self._header_value = b"", b""

    def headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = params.get(b"name", b"").decode("utf-8", "replace")
        filename = params.get(b"filename")
        if self._name == self.file_field and filename is not None and not self.found_file:
            self.found_file = self._is_file = True
            # Only the last component, whatever the sender's separator ("/" or "\\"), and no
            # control character (PostgreSQL refuses a NUL; a line break would split a header).
            sent = filename.decode("utf-8", "replace")
            name = PureWindowsPath(sent).name
            self.upload.filename = "".join(c for c in name if c.isprintable())[:255]
            sent_type = self._headers.get(b"content-type", b"")
            self.upload.content_type = sent_type.decode("latin-1").strip().lower()[:100]
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("wb")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None:
            return
        if self._is_file and self._handle is not None:
            self.upload.size += end - start
            if self.upload.size > self.max_bytes:
                self.error = too_large(self.max_bytes)
                return
            chunk = data[start:end]
            self.digest.update(chunk)
            self._handle.write(chunk)
        else:
            self._buffer += data[start:end]
            if len(self._buffer) > MAX_FIELD_BYTES:
                self.error = InputError(f"the form field {self._name!r} is too long")

    def part_end(self) -> None:
        if self._is_file:
            self.close()
        elif self._name and len(self.upload.fields) < MAX_FIELDS:
            self.upload.fields[self._name] = self._buffer.decode("utf-8", "replace")

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


async def receive_upload(
    content_type: str | None,
    content_length: str | None,
    stream: AsyncIterator[bytes],
    path: Path,
    *,
    max_bytes: int,
    file_field: str = "pdf_file",
) -> StoredUpload:
    """Stream a ``multipart/form-data`` body to ``path``; fields come back in ``fields``.

    Raises ``InputError``: ``FILE_TOO_LARGE`` as soon as the file passes ``max_bytes`` (or at once
    when Content-Length already says so), ``INVALID_PDF`` when no ``file_field`` part was sent.
    """
    mime, params = parse_options_header(content_type or "")
    boundary = params.get(b"boundary")
    if mime != b"multipart/form-data" or not boundary:
        raise InputError(f"send the PDF as multipart/form-data in a field named {file_field!r}")
    if (
        content_length
        and content_length.isdigit()
        and int(content_length) > max_bytes + ENVELOPE_BYTES
    ):
        raise too_large(max_bytes)
    writer = _UploadWriter(path, file_field, max_bytes)
    try:
        # Inside the ``try``: the parser itself refuses some boundaries (over 256 bytes).
        parser = MultipartParser(boundary, writer.callbacks())  # type: ignore[arg-type]
        async for chunk in stream:
            parser.write(chunk)
            if writer.error is not None:
                raise writer.error
        parser.finalize()
    except InputError:
        writer.close()
        path.unlink(missing_ok=True)
        raise
    except Exception as exc:  # a malformed multipart body
        writer.close()
        path.unlink(missing_ok=True)
        raise InputError(f"the upload could not be read: {exc.__class__.__name__}") from None
    writer.close()
    if not writer.found_file:
        raise InputError(f"no file in the form field {file_field!r}")
    writer.upload.sha256 = writer.digest.hexdigest()
    upload = writer.upload
    if is_text(upload.path, upload.filename, upload.content_type):
        upload.path = upload.path.rename(upload.path.with_name(TEXT_SOURCE_NAME))
    return upload
