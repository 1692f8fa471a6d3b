"""The streamed multipart reader: fields, file name, size limit, malformed bodies."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest

from frenchnovel.errors import ErrorCode, InputError
from frenchnovel.storage.files import StoredUpload, receive_upload

BOUNDARY = "xyz"
T = TypeVar("T")


def _run(coroutine: Coroutine[object, object, T]) -> T:
    """Run on a loop of its own thread: a browser test may hold this thread's loop open."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _form(file_bytes: bytes, *, filename: str = "novel.pdf", **fields: str) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="pdf_file"; '
        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + file_bytes
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


async def _pieces(body: bytes, size: int = 7) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def _receive(body: bytes, path: Path, *, max_bytes: int = 1000) -> StoredUpload:
    return _run(
        receive_upload(
            f"multipart/form-data; boundary={BOUNDARY}",
            None,
            _pieces(body),
            path,
            max_bytes=max_bytes,
        )
    )


def test_the_file_goes_to_disk_and_the_fields_come_back(tmp_path: Path) -> None:
    content = b"%PDF-1.7 some bytes\r\n--not-a-boundary"
    path = tmp_path / "job" / "source.pdf"

    upload = _receive(_form(content, engine="local", sentence_length_limit="12"), path)

    assert path.read_bytes() == content
    assert upload.size == len(content)
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    assert upload.fields == {"engine": "local", "sentence_length_limit": "12"}
    assert upload.filename == "novel.pdf"


def test_a_file_name_with_directories_keeps_only_its_name(tmp_path: Path) -> None:
    upload = _receive(_form(b"%PDF-", filename="../../etc/passwd"), tmp_path / "a.pdf")

    assert upload.filename == "passwd"


def test_a_file_over_the_limit_stops_the_reading_and_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "source.pdf"

    with pytest.raises(InputError) as refused:
        _receive(_form(b"0" * 5000), path, max_bytes=1000)

    assert refused.value.code is ErrorCode.FILE_TOO_LARGE
    assert not path.exists()


def test_a_declared_length_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    async def never() -> AsyncIterator[bytes]:
        raise AssertionError("the body must not be read")
        yield b""

    with pytest.raises(InputError) as refused:
        _run(
            receive_upload(
                f"multipart/form-data; boundary={BOUNDARY}",
                str(10**9),
                never(),
                tmp_path / "x.pdf",
                max_bytes=1000,
            )
        )

    assert refused.value.code is ErrorCode.FILE_TOO_LARGE


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b"{}"),
        (f"multipart/form-data; boundary={BOUNDARY}", _form(b"").replace(b"pdf_file", b"other")),
    ],
)
def test_a_body_without_the_file_part_is_an_invalid_pdf(
    tmp_path: Path, content_type: str, body: bytes
) -> None:
    with pytest.raises(InputError) as refused:
        _run(receive_upload(content_type, None, _pieces(body), tmp_path / "x.pdf", max_bytes=1000))

    assert refused.value.code is ErrorCode.INVALID_PDF


@pytest.mark.parametrize(
    ("boundary", "part_header"),
    [("B" * 5000, b""), (BOUNDARY, b"X-Big: " + b"y" * 40_000 + b"\r\n")],
    ids=["a boundary over 256 characters", "a part header over 16 KB"],
)
def test_a_multipart_envelope_out_of_bounds_is_a_bad_upload_not_a_crash(
    tmp_path: Path, boundary: str, part_header: bytes
) -> None:
    body = _form(b"%PDF-1.7").replace(BOUNDARY.encode(), boundary.encode())
    body = body.replace(b"Content-Disposition", part_header + b"Content-Disposition", 1)
    path = tmp_path / "job" / "source.pdf"
    content_type = f"multipart/form-data; boundary={boundary}"

    with pytest.raises(InputError) as refused:
        _run(receive_upload(content_type, None, _pieces(body, 4096), path, max_bytes=1000))

    assert refused.value.code is ErrorCode.INVALID_PDF
    assert not path.exists()
