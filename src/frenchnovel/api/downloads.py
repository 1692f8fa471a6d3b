"""Results handed to a client from the blob store: streamed, or a redirect to a presigned URL.

A job's result JSON is stored once (``<job>/result.json``) and served as stored. The other
formats (CSV, XLSX, TXT) are rendered on their first download and stored beside it
(``<job>/result.csv`` …), so that every later download is a plain object too, and goes with the
job's other files at cleanup. With ``S3_PRESIGN_SECONDS`` > 0 on S3, the answer is a 307 to a
URL valid that long: the bytes go from the store to the client without passing through the API;
otherwise the API streams them a megabyte at a time, never the whole file in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from urllib.parse import quote

from fastapi.responses import RedirectResponse, Response, StreamingResponse
from starlette.concurrency import iterate_in_threadpool

from frenchnovel.config import Settings
from frenchnovel.errors import ErrorCode, FrenchNovelError
from frenchnovel.storage.blobs import BlobMissing, blob_store


def rendition_key(stored: str, fmt: str) -> str:
    """Where the ``fmt`` rendering of the stored JSON ``stored`` is kept."""
    path = PurePosixPath(stored)
    return str(path) if fmt == "json" else str(path.with_suffix(f".{fmt}"))


def serve(
    settings: Settings,
    stored: str,
    fmt: str,
    *,
    render: Callable[[bytes], bytes],
    filename: str,
    media_type: str,
) -> Response:
    """The download of ``stored`` as ``fmt`` (``render`` turns the stored JSON into it)."""
    store = blob_store(settings)
    key = rendition_key(stored, fmt)
    try:
        if fmt != "json" and not store.exists(key):
            store.put_bytes(key, render(store.get(stored)))
    except BlobMissing:
        raise FrenchNovelError(
            "the result is no longer stored", code=ErrorCode.INVALID_JOB_STATUS
        ) from None
    name = quote(filename)
    if settings.s3_presign_seconds > 0:
        url = store.presign(key, settings.s3_presign_seconds, filename=name, media_type=media_type)
        if url is not None:
            return RedirectResponse(url, status_code=307)
    chunks = store.chunks(key)
    try:
        first = next(chunks, b"")  # a missing object is an error answer, not a broken stream
    except BlobMissing:
        raise FrenchNovelError(
            "the result is no longer stored", code=ErrorCode.INVALID_JOB_STATUS
        ) from None

    def body() -> Iterator[bytes]:
        yield first
        yield from chunks

    return StreamingResponse(
        iterate_in_threadpool(body()),
        media_type=media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )
